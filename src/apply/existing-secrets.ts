// A second apply must not roll new secrets: a new DRBD secret or Corosync authkey on a running cluster
// would change files that are already right (and a half-changed authkey splits the cluster). So the
// secrets already on the nodes are read back and reused; new ones are generated only where none exist.
import type { Answers } from '../answers/schema.js';
import type { Runner, RunResult } from '../exec/runner.js';
import { succeeded } from '../exec/runner.js';
import { generateSecrets, type Secrets } from '../generate/secrets.js';
import type { Journal } from './journal.js';

/** shared-secret "..." from a .res file (our generator's and drbd.conf(5)'s syntax). */
export function parseSharedSecret(res: string): string | null {
  return /^\s*shared-secret\s+"([^"]+)"\s*;/m.exec(res)?.[1] ?? null;
}

export interface ExistingSecrets {
  secrets: Partial<Secrets>;
  /** Reads that failed for another reason than "no such file": reusing nothing would roll the keys. */
  problems: string[];
}

/**
 * The secrets a previous apply left on the nodes. The authkey is reused only when both nodes hold the same
 * one (a cluster was set up): a distribution package may have put a different key on each, which is not a
 * cluster's key. A node that cannot be read at all stops apply (problems), so a passing network error never
 * makes a running cluster's keys change.
 */
export async function existingSecrets(a: Answers, runners: Runner[], nodeNames: string[], journal: Journal): Promise<ExistingSecrets> {
  const out: Partial<Secrets> = {};
  const problems: string[] = [];
  const keys: (Buffer | null)[] = [];
  const unreadable = (node: string, r: RunResult) => {
    if (r.error !== undefined || r.timedOut || r.aborted || (r.exitCode !== 0 && !/No such file/i.test(r.stderr))) {
      problems.push(`${node}: could not read ${r.argv[r.argv.length - 1]}: ${(r.error ?? r.stderr).trim() || `exit ${r.exitCode}`}`);
    }
  };
  // Both nodes read at once (the first command on each also opens its SSH connection: 1.4-1.5 s each on
  // the lab), then judged in the nodes' order, so the first node's DRBD secret wins as before.
  const read = await Promise.all(
    runners.map(async (runner, i) => {
      const node = nodeNames[i] ?? runner.label;
      let drbd: RunResult | null = null;
      if (a.drbd.secret === 'generate') {
        const argv = ['cat', '--', `/etc/drbd.d/${a.drbd.resource}.res`];
        drbd = await runner.run(argv);
        journal.command(node, 'secrets (read existing)', argv, drbd, { withheld: true });
      }
      const argv = ['base64', '-w', '0', '--', '/etc/corosync/authkey'];
      const key = await runner.run(argv);
      journal.command(node, 'secrets (read existing)', argv, key, { withheld: true });
      return { node, drbd, key };
    }),
  );
  for (const { node, drbd, key: r } of read) {
    if (drbd) {
      unreadable(node, drbd);
      const s = succeeded(drbd) ? parseSharedSecret(drbd.stdout) : null;
      if (s && out.drbdSecret === undefined) out.drbdSecret = s;
    }
    unreadable(node, r);
    keys.push(succeeded(r) && r.stdout.trim() !== '' ? Buffer.from(r.stdout.trim(), 'base64') : null);
  }
  const [k1, k2] = keys;
  if (k1 && k2 && k1.length >= 128 && k1.equals(k2)) out.corosyncAuthkey = k1;
  return { secrets: out, problems };
}

/** The secrets this run uses: existing ones first, fresh CSPRNG ones for the rest. */
export function mergeSecrets(a: Answers, existing: Partial<Secrets>): Secrets {
  const fresh = generateSecrets(a);
  return {
    drbdSecret: a.drbd.secret !== 'generate' ? a.drbd.secret : (existing.drbdSecret ?? fresh.drbdSecret),
    corosyncAuthkey: existing.corosyncAuthkey ?? fresh.corosyncAuthkey,
  };
}
