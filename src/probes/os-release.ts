// /etc/os-release (KEY=value, values optionally quoted) and `uname`: which distribution, hence which
// package names and install command.
import type { OsInfo } from './types.js';

export const OS_RELEASE_ARGV = ['cat', '/etc/os-release'] as const;
export const UNAME_N_ARGV = ['uname', '-n'] as const;
export const UNAME_R_ARGV = ['uname', '-r'] as const;

export function parseOsReleaseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2] as string;
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      v = v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[m[1] as string] = v;
  }
  return out;
}

export function parseOsRelease(text: string): OsInfo | null {
  const f = parseOsReleaseFields(text);
  if (!f.ID) return null;
  return {
    id: f.ID,
    versionId: f.VERSION_ID ?? null,
    prettyName: f.PRETTY_NAME ?? f.NAME ?? f.ID,
    like: (f.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
  };
}

/** uname -n / -r print one word and a newline. */
export function parseUname(stdout: string): string | null {
  const s = stdout.trim();
  return s === '' ? null : s;
}
