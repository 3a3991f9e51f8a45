// What the monitor and the actions share about finding the nodes when none are given: the local
// corosync.conf nodelist (this node reached locally, the peers as root over SSH at their ring0 address),
// and the --demo[=SCENARIO] flag, which parseArgs cannot take (an optional value after "=").
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LocalNode {
  /** The cluster's name of the node (its ring0 address when the nodelist names none). */
  name: string;
  /** "local" for this machine, else root@<ring0 address>. */
  spec: string;
  /** The other nodes' ring0 addresses (what the monitor pings when nothing else is configured). */
  peers: string[];
}

export async function localNodelist(path = '/etc/corosync/corosync.conf'): Promise<{ ok: true; nodes: LocalNode[] } | { ok: false; error: string }> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, error: `--node: no nodes given and ${path} is not readable; use --answers FILE, --node USER@HOST or --demo` };
  }
  const { parseCorosyncNodelist } = await import('../monitor/corosync-nodes.js');
  const list = parseCorosyncNodelist(text).filter((n) => n.name !== null || n.ring0Addr !== null);
  if (list.length === 0) return { ok: false, error: `--node: ${path} has no nodelist; use --answers FILE or --node USER@HOST` };
  const me = hostname();
  return {
    ok: true,
    nodes: list.map((n) => {
      const name = n.name ?? n.ring0Addr!;
      return { name, spec: name === me ? 'local' : `root@${n.ring0Addr ?? name}`, peers: list.filter((p) => p !== n && p.ring0Addr !== null).map((p) => p.ring0Addr!) };
    }),
  };
}

/** Takes --demo and --demo=SCENARIO out of argv: the scenario (a bare --demo means `fallback`) and the rest. */
export function splitDemoFlag(argv: readonly string[], fallback: string): { demo: string | null; rest: string[] } {
  let demo: string | null = null;
  const rest: string[] = [];
  for (const a of argv) {
    if (a === '--demo') demo = fallback;
    else if (a.startsWith('--demo=')) demo = a.slice('--demo='.length);
    else rest.push(a);
  }
  return { demo, rest };
}
