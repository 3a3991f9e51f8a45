// What a node's own configuration files say should exist there, read at start and then rarely
// (collect-config.ts): the Corosync nodelist, the DRBD resources with a section for this node (and their
// devices and backing disks), the md arrays of mdadm.conf. Turned into the expected topology with the
// CIB's declarations when no --answers is given (expected.ts). Pure.
import { parseCorosyncNodelist } from './corosync-nodes.js';
import { drbdResourcesOn, parseDrbdConfig, type DrbdConfigVolume } from '../probes/drbd-config.js';
import { parseMdadmConf, type MdConfArray } from '../probes/mdadm-conf.js';

/** Where each piece comes from, said with every finding built on it. */
export const CONFIG_FILES = {
  corosync: '/etc/corosync/corosync.conf',
  drbd: '/etc/drbd.d/*.res',
  mdadm: '/etc/mdadm/mdadm.conf',
} as const;
export type ConfigFile = keyof typeof CONFIG_FILES;

export interface NodeConfig {
  at: number;
  /** Node names of the corosync.conf nodelist; null when the file was not read. */
  corosyncNodes: string[] | null;
  /** DRBD resources configured for this node; null when not read. */
  drbd: { name: string; volumes: DrbdConfigVolume[] }[] | null;
  /** ARRAY lines of mdadm.conf; null when not read. */
  mdArrays: MdConfArray[] | null;
  /** Why a file was not read or not understood, one line each ("mdadm.conf: No such file or directory"). */
  notes: string[];
}

/** One file's read: its text, or why there is none. */
export type ConfigRead = { text: string } | { error: string };

export function nodeConfigOf(node: string, at: number, files: Record<ConfigFile, ConfigRead>): NodeConfig {
  const notes: string[] = [];
  const text = (f: ConfigFile): string | null => {
    const r = files[f];
    if ('text' in r) return r.text;
    notes.push(`${CONFIG_FILES[f]} not read: ${r.error}`);
    return null;
  };
  const cs = text('corosync');
  const corosyncNodes = cs === null ? null : parseCorosyncNodelist(cs).map((n) => n.name ?? n.ring0Addr).filter((x): x is string => x !== null);
  const dt = text('drbd');
  let drbd: NodeConfig['drbd'] = null;
  if (dt !== null) {
    const p = parseDrbdConfig(dt);
    if (p.ok) {
      drbd = drbdResourcesOn(p.resources, node);
      // The monitor's name for the node is not its `uname -n` (--node HOST): then nothing is expected.
      if (drbd.length === 0 && p.resources.length > 0) notes.push(`${CONFIG_FILES.drbd}: no section for ${node} (resources ${p.resources.map((r) => r.name).join(', ')} name hosts ${[...new Set(p.resources.flatMap((r) => r.hosts))].join(', ')})`);
    } else notes.push(`${CONFIG_FILES.drbd}: ${p.error}`);
  }
  const mt = text('mdadm');
  return { at, corosyncNodes, drbd, mdArrays: mt === null ? null : parseMdadmConf(mt), notes };
}
