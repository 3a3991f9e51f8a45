// A second apply must not roll new secrets: a new DRBD secret or Corosync authkey on a running cluster
// would change files that are already right (and a half-changed authkey splits the cluster). So the
// secrets already on the nodes are read back and reused; new ones are generated only where none exist.
import type { Answers } from '../answers/schema.js';
import type { Runner } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { generateSecrets, type Secrets } from '../generate/secrets.js';
import type { Journal } from './journal.js';

/** shared-secret "..." from a .res file (our generator's and drbd.conf(5)'s syntax). */
export function parseSharedSecret(res: string): string | null {
  return /^\s*shared-secret\s+"([^"]+)"\s*;/m.exec(res)?.[1] ?? null;
}

export async function existingSecrets(a: Answers, runners: Runner[], nodeNames: string[], journal: Journal): Promise<Partial<Secrets>> {
  const out: Partial<Secrets> = {};
  for (const [i, runner] of runners.entries()) {
    const node = nodeNames[i] ?? runner.label;
    if (a.drbd.secret === 'generate' && out.drbdSecret === undefined) {
      const argv = ['cat', '--', `/etc/drbd.d/${a.drbd.resource}.res`];
      const r = await runner.run(argv);
      journal.command(node, 'secrets (read existing)', argv, r, { withheld: true });
      const s = succeeded(r) ? parseSharedSecret(r.stdout) : null;
      if (s) out.drbdSecret = s;
    }
    if (out.corosyncAuthkey === undefined) {
      const argv = ['base64', '-w', '0', '--', '/etc/corosync/authkey'];
      const r = await runner.run(argv);
      journal.command(node, 'secrets (read existing)', argv, r, { withheld: true });
      if (succeeded(r) && r.stdout.trim() !== '') {
        const key = Buffer.from(r.stdout.trim(), 'base64');
        // corosync-keygen writes 256 bytes; anything else is not ours to keep (a package's placeholder).
        if (key.length >= 128) out.corosyncAuthkey = key;
      }
    }
  }
  return out;
}

/** The secrets this run uses: existing ones first, fresh CSPRNG ones for the rest. */
export function mergeSecrets(a: Answers, existing: Partial<Secrets>): Secrets {
  const fresh = generateSecrets(a);
  return {
    drbdSecret: a.drbd.secret !== 'generate' ? a.drbd.secret : (existing.drbdSecret ?? fresh.drbdSecret),
    corosyncAuthkey: existing.corosyncAuthkey ?? fresh.corosyncAuthkey,
  };
}
