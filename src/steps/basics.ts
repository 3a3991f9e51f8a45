// The two types the wizard's steps and its services share (types.ts and services.ts import them from here,
// so neither imports the other).

/** The answers as the wizard builds them: any part may be missing or not yet valid. */
export type Draft = { [key: string]: unknown };

/** An SSH host key the user must accept before the peer is probed (from the SSH runner's callback). */
export interface HostKeyQuestion {
  label: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** OpenSSH's warning when keys of other types are already known for this host. */
  otherKeysWarning?: string;
}
