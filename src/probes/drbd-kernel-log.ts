// DRBD's lines in the kernel log (`journalctl -k -o short-precise`): when a split brain was detected, and
// when the node's role changed. What `drbdsetup events2 --now` cannot say (it shows the state now, not its
// history), the split-brain action shows the admin before a victim is chosen. Pure: text in, events out.
export const KERNEL_LOG_ARGV = ['journalctl', '-k', '-b', '--no-pager', '-o', 'short-precise', '--grep', 'drbd'] as const;

export interface DrbdKernelEvent {
  /** As printed ("Nov 25 19:34:01.715539"): journalctl's short-precise time, the node's local time. */
  at: string;
  kind: 'split-brain' | 'role' | 'connection';
  /** split-brain: the kernel's words; role/connection: "Secondary -> Primary", "WFReportParams -> NetworkFailure". */
  text: string;
}

const LINE = /^(\w{3} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?) \S+ kernel: (.*)$/;

export function parseDrbdKernelLog(text: string): DrbdKernelEvent[] {
  const out: DrbdKernelEvent[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, at, msg] = m as unknown as [string, string, string];
    if (!/drbd/.test(msg)) continue;
    const sb = /(Split-Brain detected[^!]*)/.exec(msg);
    if (sb) {
      out.push({ at, kind: 'split-brain', text: sb[1]! });
      continue;
    }
    const role = /\brole\( (\w+) -> (\w+) \)/.exec(msg);
    if (role) out.push({ at, kind: 'role', text: `${role[1]} -> ${role[2]}` });
    const conn = /\bconn(?:ection)?\( (\w+) -> (\w+) \)/.exec(msg);
    if (conn) out.push({ at, kind: 'connection', text: `${conn[1]} -> ${conn[2]}` });
  }
  return out;
}

/** The kernel log's story in two lines: the last split brain detected and the last promotion. */
export function kernelLogSummary(events: DrbdKernelEvent[]): { splitBrainAt: string | null; promotedAt: string | null } {
  const last = (f: (e: DrbdKernelEvent) => boolean) => [...events].reverse().find(f)?.at ?? null;
  return { splitBrainAt: last((e) => e.kind === 'split-brain'), promotedAt: last((e) => e.kind === 'role' && e.text.endsWith('-> Primary')) };
}
