// NFS exports (add, edit, remove) and the protocol versions served.
import { getPath, schemaErrors, setDefault } from './draft.js';
import { networkCidr, parseCidr } from '../answers/net.js';
import type { Draft, Step } from './types.js';

export interface ExportDraft {
  path: string;
  clients: string;
  options: string;
}

export const DEFAULT_EXPORT_OPTIONS = 'rw,sync,no_subtree_check';

export function exportsOf(d: Draft): ExportDraft[] {
  const v = getPath(d, 'nfs.exports');
  return Array.isArray(v) ? (v as ExportDraft[]) : [];
}

const FIELDS = ['nfs.exports', 'nfs.versions'];

function validate(d: Draft) {
  const errors = schemaErrors(d, FIELDS);
  if (exportsOf(d).length === 0) errors['nfs.exports'] = 'add at least one export (a)';
  return errors;
}

export const exportsStep: Step = {
  id: 'exports',
  title: 'NFS exports',
  help:
    'Each export is a directory under the replicated mount point, the clients allowed (host, CIDR such as ' +
    '192.168.1.0/24, or wildcard) and exports(5) options. sync is safest: async can lose writes on failover. ' +
    'With NFSv4 the client state lives on the replicated filesystem, so leases survive failover.',
  prefill: (d) => {
    let out = setDefault(d, 'nfs.versions', [3, 4]);
    const svc = parseCidr(String(getPath(d, 'nodes[0].service.address') ?? ''));
    const mount = String(getPath(d, 'filesystem.mount') ?? '/srv/nfs').replace(/\/+$/, '');
    if (svc) out = setDefault(out, 'nfs.exports', [{ path: `${mount}/export`, clients: networkCidr(svc), options: DEFAULT_EXPORT_OPTIONS }]);
    return out;
  },
  validate,
  isComplete: (d) => getPath(d, 'nfs.exports') !== undefined && Object.keys(validate(d)).length === 0,
  screen: 'exports',
};
