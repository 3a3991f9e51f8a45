// Secrets are made here and nowhere else: from the CSPRNG, never from Math.random, never logged.
import { randomBytes } from 'node:crypto';
import type { Answers } from '../answers/schema.js';

export interface Secrets {
  /** DRBD shared-secret for cram-hmac-alg: 32 random bytes as 43 base64url characters (DRBD allows 64). */
  drbdSecret: string;
  /** Corosync authkey: 256 random bytes, the size corosync-keygen writes. */
  corosyncAuthkey: Buffer;
}

export function generateSecrets(a: Answers): Secrets {
  return {
    drbdSecret: a.drbd.secret === 'generate' ? randomBytes(32).toString('base64url') : a.drbd.secret,
    corosyncAuthkey: randomBytes(256),
  };
}

/** Every secret's text, for redacting journals and screens. */
export function secretStrings(s: Secrets): string[] {
  return [s.drbdSecret, s.corosyncAuthkey.toString('base64'), s.corosyncAuthkey.toString('hex')];
}
