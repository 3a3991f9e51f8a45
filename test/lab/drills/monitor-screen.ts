// Reading the live monitor's screen as a person does (a tmux capture, plain text, NO_COLOR): a node's
// panel, its RAID line and what that line says (degraded, rebuilding, clean), and the action overlay's
// disk-replace flow (the disk offered, the words to type, the rebuild's progress line, the outcome with
// its journal). Pure, no lab: the lab drill (disk-replace-monitor.ts) waits on these, and the demo's tmux
// test (test/screens/monitor/monitor-disk-replace-tmux.test.ts) runs the same flow through the same
// readers, so the drill cannot wait for a screen the monitor never draws.

/** The lines of `node`'s panel: from its node line ("  lab1 reachable ...", "> lab1 ...") to the next node's. */
export function nodePanel(screen: string, node: string, nodes: readonly string[]): string[] {
  const lines = screen.split('\n');
  const isNodeLine = (l: string, n: string) => new RegExp(`^[ >] ${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `).test(l);
  const start = lines.findIndex((l) => isNodeLine(l, node));
  if (start < 0) return [];
  const out = [lines[start]!];
  for (const l of lines.slice(start + 1)) {
    if (nodes.some((n) => n !== node && isNodeLine(l, n)) || /^\s*actions: /.test(l)) break;
    out.push(l);
  }
  return out;
}

/** The panel's RAID line of the array ("RAID md0: active raid1 [U_] DEGRADED failed vdc(F)"), or null. */
export function raidLine(panel: string[], array = 'md0'): string | null {
  return panel.map((l) => l.trim()).find((l) => l.startsWith(`RAID ${array}: `)) ?? null;
}

export type RaidLook = 'clean' | 'degraded' | 'rebuilding' | 'other';

/**
 * What the RAID line says: rebuilding (a recovery or resync with its percentage: still degraded while it
 * runs), degraded (a member missing or failed), clean (every member up: [UU], nothing running).
 */
export function raidLook(line: string | null): RaidLook {
  if (line === null) return 'other';
  if (/\b(recovery|resync)\b.*\d+(\.\d+)?%/.test(line)) return 'rebuilding';
  if (/\bDEGRADED\b/.test(line)) return 'degraded';
  if (/\[U+\]/.test(line) && !/\bfailed\b/.test(line)) return 'clean';
  return 'other';
}

/** The node's array as its panel shows it now. */
export const panelRaid = (screen: string, node: string, nodes: readonly string[], array = 'md0'): RaidLook =>
  raidLook(raidLine(nodePanel(screen, node, nodes), array));

/** The footer lists the action keys: the monitor is up and takes keys. */
export const monitorReady = (screen: string): boolean => /^\s*actions: /m.test(screen);

/** The overlay's question for the new disk ("replacement disk (blank, at least 512 MiB):"). */
export const asksReplacement = (screen: string): boolean => /replacement disk \((blank|blank, at least [^)]*)\):/.test(screen);

/** The listed disks: the one under the cursor marked, each with its label ("/dev/vdf  512 MiB  virtio-..."). */
export function offeredDisks(screen: string): { cursor: boolean; path: string; line: string }[] {
  const out: { cursor: boolean; path: string; line: string }[] = [];
  for (const l of screen.split('\n')) {
    const m = /^\s*[│|]?\s*([> ]) (\/dev\/\S+) {2}\S/.exec(l);
    if (m) out.push({ cursor: m[1] === '>', path: m[2]!, line: l.trim() });
  }
  return out;
}

/** The words the typed confirmation asks for (the new disk's path), or null while it is not asked. */
export function confirmWords(screen: string): string | null {
  return /Type "([^"]+)" \+ Enter \(Esc stops\)/.exec(screen)?.[1] ?? null;
}

/**
 * What was typed so far after the question. Enter goes only once the words are seen there: keys sent
 * together reach the monitor as one chunk, and "/dev/vdf\r" in one chunk is text, not the Enter key.
 */
export function typedSoFar(screen: string): string | null {
  return /Type "[^"]+" \+ Enter \(Esc stops\): (\S*)/.exec(screen)?.[1] ?? null;
}

/**
 * The engine's rebuild progress in the overlay while the action runs ("[lab1] RAID1 recovery of /dev/md0:
 * 12.3%, 5.0 MiB/s, ETA 0:01:40 ..."): its percent. Read loosely (the node's line naming a recovery or
 * resync of the array, with a percentage): the panel's RAID line is hidden while the overlay is open, so
 * this line is where the monitor shows the rebuild then.
 */
export function overlayRebuildPercent(screen: string, node: string, md = '/dev/md0'): number | null {
  for (const l of screen.split('\n')) {
    if (!l.includes(`[${node}] `) || !l.includes(md) || !/\b(recovery|resync)\b/.test(l)) continue;
    const m = /(\d+(?:\.\d+)?)%/.exec(l);
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * The overlay's outcome once the run ended ("disk replace: done: ... (journal: PATH)"), or null while it
 * runs. The overlay wraps a long outcome over several of its lines (up to its "esc closes"): they are
 * joined again, a path broken inside without a space.
 */
export function actionOutcome(screen: string, action = 'disk replace'): { kind: 'done' | 'dry-run' | 'other'; line: string; journal: string | null } | null {
  // The overlay's lines without its border.
  const lines = screen.split('\n').map((l) => l.replace(/^\s*[│|] ?/, '').replace(/\s*[│|]\s*$/, '').trim());
  const re = new RegExp(`${action}: (done|dry run|stopped|refused|interrupted)\\b`);
  const i = lines.findIndex((l) => re.test(l));
  if (i < 0) return null;
  const m = re.exec(lines[i]!)!;
  let line = lines[i]!.slice(m.index);
  for (const next of lines.slice(i + 1)) {
    if (next === '' || next === 'esc closes' || /^[└┌─]/.test(next)) break;
    line += /\(journal: [^)\s]*$/.test(line) ? next : ` ${next}`;
  }
  const journal = /\(journal: ([^)]+)\)/.exec(line)?.[1]?.trim() ?? null;
  return { kind: m[1] === 'done' ? 'done' : m[1] === 'dry run' ? 'dry-run' : 'other', line, journal };
}

/** The journal of a run confirmed in the live monitor that added `dev` to `md` (the journal's own lines). */
export function journalOfMonitorAdd(journal: string, md: string, dev: string): boolean {
  return /: confirmed in the live monitor$/m.test(journal) && journal.includes(`: $ mdadm --manage ${md} --add ${dev}\n`);
}
