// Judging a node file against the export tree's bytes, from FILE_STATE_SCRIPT's one line
// "<mode> <sha256> <recorded sha256>": the same, missing, ours but outdated (replace), or edited by hand
// since the last apply (show the difference and ask).
import { createHash } from 'node:crypto';
import type { ExportFile } from '../generate/export-layout.js';

export interface FileState {
  /** Octal mode as stat prints it ("600"), null when the file is absent. */
  mode: string | null;
  sha256: string | null;
  /** What apply last wrote there, null when it never did. */
  recorded: string | null;
}

export type FileJudgement = { kind: 'same' } | { kind: 'missing' } | { kind: 'outdated' } | { kind: 'edited' };

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

export function fileState(stdout: string): FileState | null {
  const m = /^(\S+) (\S+) (\S+)\s*$/.exec(stdout.trim());
  if (!m) return null;
  const v = (x: string) => (x === '-' ? null : x);
  return { mode: v(m[1]!), sha256: v(m[2]!), recorded: v(m[3]!) };
}

export function judgeFile(st: FileState, f: Pick<ExportFile, 'content' | 'mode'>): FileJudgement {
  if (st.sha256 === null) return { kind: 'missing' };
  const want = sha256(f.content);
  if (st.sha256 === want && st.mode === f.mode.toString(8) && st.recorded === want) return { kind: 'same' };
  // Our own earlier bytes (or a file we never wrote that already matches) are replaced without asking;
  // anything else was changed on the node since we wrote it.
  if (st.sha256 === want || st.recorded === null || st.recorded === st.sha256) return { kind: 'outdated' };
  return { kind: 'edited' };
}
