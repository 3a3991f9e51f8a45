// The DRBD kernel module's version decides which configuration syntax the wizard generates (8.4 or 9):
// /proc/drbd's first line when the module is loaded, `modinfo drbd` otherwise. (DRBD state from /proc/drbd
// is the monitor's parser, src/probes/proc-drbd.ts; only the version line is read here.)
export const PROC_DRBD_ARGV = ['cat', '/proc/drbd'] as const;
export const MODINFO_DRBD_ARGV = ['modinfo', 'drbd'] as const;

/** "version: 8.4.11 (api:1/proto:86-101)" -> "8.4.11". */
export function parseProcDrbdVersion(text: string): string | null {
  const m = /^version:\s*(\d+\.\d+\.\d+(?:[-.][0-9A-Za-z.]+)?)/m.exec(text);
  return m ? (m[1] as string) : null;
}

/** modinfo's "version:        8.4.11" line. */
export function parseModinfoVersion(text: string): string | null {
  const m = /^version:\s+(\S+)/m.exec(text);
  return m ? (m[1] as string) : null;
}

/** 8 or 9 (the configuration dialect), from a version string. */
export function drbdMajor(version: string | null): number | null {
  const m = version === null ? null : /^(\d+)\./.exec(version);
  return m ? Number(m[1]) : null;
}
