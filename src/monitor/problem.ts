// What every health rule produces: a problem with its severity. Its own file, so that health.ts and the
// rule files it calls (health-readings.ts, health-admin.ts) all import it without importing each other.
export type Severity = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';

export interface Problem {
  severity: Exclude<Severity, 'OK'>;
  /** Higher is worse; sorts problems of the same severity. */
  score: number;
  node: string | null;
  /** What it is about: "drbd r0", "raid md0", "pacemaker p_nfsserver", "ping 192.168.100.1"... */
  subject: string;
  text: string;
}
