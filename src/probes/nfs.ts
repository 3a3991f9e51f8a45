// Parsers for the NFS server's state: `systemctl is-active UNIT...`, `exportfs -v`, `showmount -e [HOST]`.
// Pure: each takes the command's stdout (showmount's error goes to stderr; pass it too when it failed).

/** `systemctl is-active a b c` prints one state a line, in argument order. */
export function parseSystemctlIsActive(stdout: string, units: readonly string[]): Record<string, string> {
  const states = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const out: Record<string, string> = {};
  units.forEach((u, i) => {
    out[u] = states[i] ?? 'unknown';
  });
  return out;
}

export interface ExportClient {
  client: string;
  options: string[];
}

export interface ExportEntry {
  path: string;
  clients: ExportClient[];
}

/**
 * `exportfs -v`: `PATH<whitespace>CLIENT(opts)`, one client a line; a path longer than the column is
 * printed alone with the client on the next, indented, line.
 */
export function parseExportfsV(stdout: string): ExportEntry[] {
  const byPath = new Map<string, ExportEntry>();
  let pending: string | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    let path: string | null;
    let rest: string;
    if (/^\s/.test(line)) {
      path = pending;
      rest = line.trim();
    } else {
      const m = /^(\S+)\s*(.*)$/.exec(line)!;
      path = m[1]!;
      rest = m[2]!.trim();
    }
    if (path === null) continue;
    if (rest === '') {
      pending = path;
      continue;
    }
    const c = /^(\S+?)\(([^)]*)\)$/.exec(rest);
    const client: ExportClient = c
      ? { client: c[1]!, options: c[2]!.split(',').filter((o) => o !== '') }
      : { client: rest, options: [] };
    const entry = byPath.get(path) ?? { path, clients: [] };
    entry.clients.push(client);
    byPath.set(path, entry);
    pending = null;
  }
  return [...byPath.values()];
}

export type ShowmountResult =
  | { ok: true; host: string; exports: { path: string; clients: string[] }[] }
  | { ok: false; error: string };

/** `showmount -e HOST`: "Export list for HOST:" then `PATH CLIENT[,CLIENT...]` lines. */
export function parseShowmountE(output: string): ShowmountResult {
  const head = /^Export list for (.+):\s*$/m.exec(output);
  if (!head) {
    const first = output.trim().split('\n')[0] ?? '';
    return { ok: false, error: first === '' ? 'no output' : first };
  }
  const exports: { path: string; clients: string[] }[] = [];
  for (const line of output.slice(head.index + head[0].length).split('\n')) {
    const m = /^(\/\S*)\s+(.*)$/.exec(line.trim());
    if (m) exports.push({ path: m[1]!, clients: m[2]!.split(',').map((c) => c.trim()).filter((c) => c !== '') });
  }
  return { ok: true, host: head[1]!, exports };
}
