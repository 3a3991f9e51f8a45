// The quorum device in apply's plan (issue 26, point 6): with cluster.quorumDevice.ssh the plan installs
// corosync-qnetd on the qnetd host, sets up the certificates in corosync-qdevice-net-certutil(8)'s order
// (each file carried by the engine from the host that made it: a `from-node` input) and starts
// corosync-qdevice after the cluster. The certificate steps run here for real, in the engine's group order:
// each host a private mount namespace whose /etc/corosync is its own directory, every carried file read
// with the step's own argv on its source host and written with the step's own commands, every check read
// before (to do) and after (done).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { applyNotYet } from '../../src/answers/fencing-checks.js';
import { renderPlanScript } from '../../src/generate/plan-script.js';
import { groupOrder } from '../../src/apply/scheduler.js';
import { planSteps } from '../../src/plan/plan.js';
import type { PlanStep } from '../../src/plan/types.js';
import { describeRun, runTool } from '../helpers/validators/run.js';

const EXAMPLE = readFileSync('examples/answers.yaml', 'utf8');
const withDevice = (device: string) => EXAMPLE.replace(/^cluster:\n/m, `cluster:\n  quorumDevice: ${device}\n`);
function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}
const problems = (text: string) => {
  const r = parseAnswersText(text);
  return r.ok ? [] : r.problems.map((p) => p.path);
};

describe('the quorum device and apply', () => {
  it('without the qnetd host\'s SSH target apply refuses it, naming the field; with it, nothing is refused', () => {
    expect(applyNotYet(load(withDevice('{ host: 192.168.1.5 }'))).map((p) => p.path)).toEqual(['cluster.quorumDevice.ssh']);
    expect(applyNotYet(load(withDevice('{ host: 192.168.1.5, ssh: root@192.168.1.5 }')))).toEqual([]);
    expect(problems(withDevice('{ host: 192.168.1.5, ssh: local }'))).toEqual(['cluster.quorumDevice.ssh']);
    expect(problems(withDevice('{ host: 192.168.1.5, ssh: "root at qnetd" }'))).toEqual(['cluster.quorumDevice.ssh']);
  });

  const a = load(withDevice('{ host: 192.168.1.5, ssh: root@192.168.1.5 }'));
  const steps = planSteps(a);
  const Q = 'qnetd@192.168.1.5';

  it('installs corosync-qnetd on the qnetd host and corosync-qdevice on the nodes, with consent', () => {
    const q = steps.find((s) => s.id === `${Q}/packages`)!;
    expect(q).toMatchObject({ node: Q, consent: true, parallelGroup: '01-packages' });
    expect(q.commands[0]!.at(-1)).toBe('corosync-qnetd/corosync-qnetd');
    for (const n of ['nfs1', 'nfs2']) expect(steps.find((s) => s.id === `${n}/fencing-packages`)!.commands[0]).toContain('corosync-qdevice/corosync-qdevice');
  });

  it('starts corosync-qdevice on each node after the cluster, and carries files only through the engine', () => {
    for (const n of ['nfs1', 'nfs2']) {
      const i = steps.findIndex((s) => s.id === `${n}/qdevice-start`);
      expect(i).toBeGreaterThan(steps.findIndex((s) => s.id === `${n}/cluster-start`));
      expect(steps[i]!.commands).toEqual([['systemctl', 'enable', '--now', 'corosync-qdevice.service']]);
    }
    // No step runs ssh or scp itself: every carried file is a from-node input the engine reads.
    for (const s of steps) for (const c of s.commands) expect(['ssh', 'scp']).not.toContain(c[0]);
    expect(steps.filter((s) => s.stdin[0]?.kind === 'from-node').map((s) => s.id)).toEqual(['nfs1/qdevice-db', `${Q}/qnetd-sign`, 'nfs1/qdevice-import', 'nfs2/qdevice-import', 'nfs2/qdevice-db']);
    // plan/<node>.sh says what to copy instead of carrying it.
    expect(renderPlanScript(a, 'nfs2')).toMatch(/first copy \/etc\/corosync\/qdevice\/net\/nssdb\/qdevice-net-node\.p12 from nfs1 to /);
  });

  describe('the certificate steps, run for real in the engine\'s order', () => {
    const root = mkdtempSync(join(tmpdir(), 'hanfs-plan-qdevice-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    /** Runs argv as `host` would: its own /etc/corosync and /var/lib/hanfs-wizard in a private mount namespace. */
    const on = (host: string, argv: readonly string[], input?: string) => {
      for (const d of ['etc/corosync', 'var/lib/hanfs-wizard']) mkdirSync(join(root, host, d), { recursive: true });
      const script = 'mount --bind "$1/etc/corosync" /etc/corosync && mkdir -p /var/lib/hanfs-wizard && mount --bind "$1/var/lib/hanfs-wizard" /var/lib/hanfs-wizard && shift && exec "$@"';
      return runTool(['unshare', '-m', 'sh', '-c', script, 'sh', join(root, host), ...argv], input === undefined ? {} : { input });
    };
    const judged = (s: PlanStep) => {
      if (s.check?.kind !== 'probe') throw new Error(`${s.id}: expected a probe check`);
      const r = on(s.node, s.check.argv);
      return s.check.judge({ argv: s.check.argv, exitCode: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 0 });
    };

    it('each step is to do, runs, and is then done; both nodes end with the cluster certificate', () => {
      const certSteps = steps.filter((s) => /\/(qnetd-ca|qdevice-db|qdevice-request|qnetd-sign|qdevice-import)$/.test(s.id));
      const order = groupOrder(certSteps);
      const ran: string[] = [];
      for (const g of order) {
        for (const s of certSteps.filter((x) => x.parallelGroup === g)) {
          expect(judged(s), `${s.id} before`).toBe(false);
          for (const [i, argv] of s.commands.entries()) {
            const stdin = s.stdin[i];
            let input: string | undefined;
            if (stdin?.kind === 'from-node') {
              const src = on(stdin.node, stdin.argv);
              expect(src.code, describeRun(`${stdin.node}: ${stdin.argv.join(' ')}`, src)).toBe(0);
              input = src.stdout;
            }
            const r = on(s.node, argv, input);
            expect(r.code, describeRun(`${s.node}: ${argv.join(' ')}`, r)).toBe(0);
          }
          expect(judged(s), `${s.id} after`).toBe(true);
          ran.push(s.id);
        }
      }
      expect(ran).toEqual([`${Q}/qnetd-ca`, 'nfs1/qdevice-db', 'nfs2/qdevice-db', 'nfs1/qdevice-request', `${Q}/qnetd-sign`, 'nfs1/qdevice-import', 'nfs2/qdevice-import']);
      for (const n of ['nfs1', 'nfs2']) {
        const r = runTool(['certutil', '-L', '-d', `sql:${join(root, n, 'etc/corosync/qdevice/net/nssdb')}`]);
        expect(r.code, describeRun('certutil -L', r)).toBe(0);
        expect(r.stdout).toMatch(/Cluster Cert/);
        expect(r.stdout).toMatch(/QNet CA/);
      }
    }, 300_000);
  });
});

describe('diskless SBD with the quorum device', () => {
  it('plans sbd without a disk step: the file, the watchdog checks, sbd enabled; the quorum device beside it', () => {
    const a = load(withDevice('{ host: 192.168.1.5, ssh: root@192.168.1.5 }').replace(/^ {2}fencing: resource-only.*\n/m, '').replace(/^ {2}stonith: none.*$/m, '  stonith: { sbd: {} }'));
    const ids = planSteps(a).map((s) => s.id);
    expect(ids.filter((id) => /sbd/.test(id))).toEqual([
      'nfs1/sbd-watchdog', 'nfs1/sbd-watchdog-found', 'nfs1/file:/etc/default/sbd', 'nfs1/sbd-enable', 'nfs1/sbd-running',
      'nfs2/sbd-watchdog', 'nfs2/sbd-watchdog-found', 'nfs2/file:/etc/default/sbd', 'nfs2/sbd-enable', 'nfs2/sbd-running',
    ]);
    expect(ids).toContain('nfs2/qdevice-start');
    expect(applyNotYet(a)).toEqual([]);
  });
});
