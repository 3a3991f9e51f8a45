// The quorum device of the Pacemaker step (issue 26, point 6): none (Corosync's two_node mode) or a third
// vote from corosync-qnetd on a third host, with how apply reaches that host. Writes exactly the answers'
// cluster.quorumDevice fields (host, port, algorithm, ssh; docs/answers.md).
import { getPath, setPath } from './draft.js';
import type { Draft, FieldDef, FieldErrors } from './types.js';

export const QDEVICE_PATH = 'cluster.quorumDevice';
const HOST = `${QDEVICE_PATH}.host`;
const PORT = `${QDEVICE_PATH}.port`;
const ALGORITHM = `${QDEVICE_PATH}.algorithm`;
const SSH = `${QDEVICE_PATH}.ssh`;

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
export const quorumDeviceOf = (d: Draft): Record<string, unknown> | null => {
  const q = getPath(d, QDEVICE_PATH);
  return isObject(q) ? q : null;
};

/** none drops the whole section; qnetd starts from the answers' defaults (port 5403, ffsplit), the host to type. */
export function chooseQuorumDevice(d: Draft, value: string): Draft {
  if (value !== 'qnetd') return setPath(d, QDEVICE_PATH, undefined);
  return quorumDeviceOf(d) ? d : setPath(d, QDEVICE_PATH, { port: 5403, algorithm: 'ffsplit' });
}

export function quorumDeviceFields(d: Draft): FieldDef[] {
  const select: FieldDef = {
    path: QDEVICE_PATH,
    label: 'Quorum device',
    kind: 'select',
    options: [
      { value: 'none', explain: 'none: Corosync\'s two_node mode; each node keeps quorum alone when its peer is lost, and fencing decides which node survives a split.' },
      { value: 'qnetd', explain: 'qnetd: a third vote from corosync-qnetd on a third host (not a node); the half of a split that qnetd picks keeps quorum (corosync.conf then has no two_node), and diskless SBD becomes possible.' },
    ],
    read: (dd) => (quorumDeviceOf(dd) ? 'qnetd' : 'none'),
    write: (dd, v) => chooseQuorumDevice(dd, String(v)),
  };
  if (!quorumDeviceOf(d)) return [select];
  return [
    select,
    { path: HOST, label: 'qnetd host', kind: 'text', hint: 'The third host that runs corosync-qnetd: its IPv4 address or name, reachable from both nodes on the port below.' },
    { path: PORT, label: 'qnetd port', kind: 'number', hint: 'corosync-qnetd\'s TCP port (5403 unless changed there).' },
    {
      path: ALGORITHM,
      label: 'qnetd algorithm',
      kind: 'select',
      options: [
        { value: 'ffsplit', explain: 'ffsplit: in a 50:50 split exactly one half gets qnetd\'s vote (the one with the active service, else the lower node id).' },
        { value: 'lms', explain: 'lms: the half that still reaches qnetd keeps quorum (last man standing).' },
      ],
    },
    {
      path: SSH,
      label: 'qnetd SSH (for apply)',
      kind: 'text',
      hint: 'user@host[:port] of the qnetd host, its host key in known_hosts: apply installs corosync-qnetd there and sets up the certificates. Empty: export only.',
      write: (dd, v) => setPath(dd, SSH, v === '' ? undefined : String(v)),
    },
  ];
}

export function quorumDeviceErrors(d: Draft): FieldErrors {
  const q = quorumDeviceOf(d);
  if (!q) return {};
  const errors: FieldErrors = {};
  for (const p of [HOST, PORT, ALGORITHM]) if (getPath(d, p) === undefined || getPath(d, p) === '') errors[p] = 'is required';
  return errors;
}

export function quorumDeviceNotes(d: Draft): string[] {
  const q = quorumDeviceOf(d);
  if (!q) return [];
  return q.ssh === undefined ? ['Without the qnetd SSH target apply refuses the quorum device (export still renders it): fill it in to apply.'] : [];
}
