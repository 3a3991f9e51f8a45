// Fencing in apply's plan (issue 26): SBD applied, not only exported (its file, `sbd create` as a
// destructive step confirmed like every wipe, the header read back on the other node, sbd enabled before
// the cluster starts and checked running after), the fence agents' packages, and the fencing preflight
// before anything is configured. The sbd create step runs for real on a loop device here; the fence
// status step runs against a real BMC simulator in test/generate/fencing-steps.test.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { applyNotYet } from '../../src/answers/fencing-checks.js';
import { parseWipeFlags } from '../../src/commands/apply.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { renderSbdDefaults } from '../../src/generate/sbd.js';
import { GROUPS } from '../../src/plan/order.js';
import { planSteps } from '../../src/plan/plan.js';
import type { PlanStep } from '../../src/plan/types.js';
import { describeRun, runTool } from '../helpers/validators/run.js';

const EXAMPLE = readFileSync('examples/answers.yaml', 'utf8');
const IPMI = readFileSync('examples/varied/nfs3-stay-fence-ipmilan.yaml', 'utf8');
const DISK = '/dev/disk/by-id/scsi-36001405sbdshared0001';
const withSbd = (sbd: string) => EXAMPLE.replace(/^ {2}fencing: resource-only.*\n/m, '').replace(/^ {2}stonith: none.*$/m, `  stonith: { sbd: ${sbd} }`);

function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}
const g = (s: PlanStep) => GROUPS.indexOf(s.parallelGroup);
const byId = (steps: PlanStep[], id: string) => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id} in ${steps.map((x) => x.id).join(', ')}`);
  return s;
};

describe('SBD in the plan', () => {
  const a = load(withSbd(`{ device: ${DISK}, watchdogTimeout: 5 }`));
  const steps = planSteps(a);

  it('is applied now: apply no longer refuses it', () => {
    expect(applyNotYet(a)).toEqual([]);
  });

  it('sbd create is destructive, wipes exactly the SBD disk, once, from the first node, before the cluster starts', () => {
    const create = steps.filter((s) => s.commands.some((c) => c[0] === 'sbd' && c.at(-1) === 'create'));
    expect(create.map((s) => s.id)).toEqual(['cluster/sbd-create']);
    const s = create[0]!;
    expect(s).toMatchObject({ node: 'nfs1', destructive: true, wipes: [DISK] });
    expect(s.commands).toEqual([['sbd', '-d', DISK, '-1', '5', '-4', '10', 'create']]);
    const starts = steps.filter((x) => x.id.endsWith('/cluster-start'));
    expect(starts).toHaveLength(2);
    for (const st of starts) expect(g(s)).toBeLessThan(g(st));
    // The file sbd reads, and the enablement that makes Corosync's start pull sbd in, come before too.
    for (const n of ['nfs1', 'nfs2']) {
      expect(g(byId(steps, `${n}/file:/etc/default/sbd`))).toBeLessThan(g(byId(steps, `${n}/cluster-start`)));
      expect(g(byId(steps, `${n}/sbd-enable`))).toBeLessThan(g(byId(steps, `${n}/cluster-start`)));
      expect(g(byId(steps, `${n}/sbd-running`))).toBeGreaterThanOrEqual(g(byId(steps, `${n}/cluster-start`)));
      expect(steps.indexOf(byId(steps, `${n}/sbd-running`))).toBeGreaterThan(steps.indexOf(byId(steps, `${n}/cluster-start`)));
    }
  });

  it('the second node reads the header after the first wrote it (a disk that is not shared fails there, naming the field)', () => {
    const header = byId(steps, 'nfs2/sbd-header');
    expect(g(header)).toBeGreaterThan(g(byId(steps, 'cluster/sbd-create')));
    expect(header.verify?.advice?.({ argv: [], exitCode: 1, stdout: '', stderr: '', timedOut: false, aborted: false, durationMs: 0 })).toMatch(/^pacemaker\.stonith\.sbd\.device: nfs2 does not see the header/);
  });

  it('--wipe accepts the SBD disk on the first node only', () => {
    expect(parseWipeFlags([`nfs1:${DISK}`], a).ok).toBe(true);
    expect(parseWipeFlags([`nfs2:${DISK}`], a).ok).toBe(false);
    expect(parseWipeFlags([`nfs1:${DISK}`], load(IPMI)).ok).toBe(false);
  });

  it('installs sbd and fence_sbd\'s package, and checks the watchdog and the disk on both nodes before anything is configured', () => {
    for (const n of ['nfs1', 'nfs2']) {
      const pkg = byId(steps, `${n}/fencing-packages`);
      expect(pkg.consent).toBe(true);
      expect(pkg.commands[0]!.slice(3)).toEqual(['--', 'fence-agents/fence-agents-sbd', 'sbd/sbd']);
      const checks = ['sbd-watchdog', 'sbd-watchdog-found', 'sbd-disk'].map((x) => byId(steps, `${n}/${x}`));
      for (const c of checks) {
        expect(c.commands).toEqual([]);
        expect(c.parallelGroup).toBe('01-fence-check');
      }
      expect(checks[0]!.check?.argv).toEqual(['wdctl', '/dev/watchdog']);
      // Not `sbd query-watchdog`: it opens (arms) every watchdog; the sysfs listing opens none.
      expect(checks[1]!.check?.argv).toEqual(['find', '/sys/class/watchdog/', '-mindepth', '1', '-maxdepth', '1', '-name', 'watchdog*']);
      expect(steps.flatMap((x) => [x.check?.argv, ...x.commands]).filter((a) => a?.includes('query-watchdog'))).toEqual([]);
      expect(checks[2]!.check?.argv).toEqual(['blockdev', '--getsize64', DISK]);
    }
    // Before every step that changes anything but the packages.
    const changing = steps.filter((s) => s.commands.length > 0 && !/\/(fencing-)?packages$/.test(s.id));
    const firstChange = Math.min(...changing.map(g));
    expect(GROUPS[firstChange]).toBe('02-modules');
    expect(GROUPS.indexOf('01-fence-check')).toBeLessThan(firstChange);
  });

  it('the watchdog check fails on this machine (it has none) with the real wdctl and the sysfs listing, naming the field', () => {
    const s = byId(steps, 'nfs1/sbd-watchdog');
    const r = runTool([...s.check!.argv]);
    const result = { argv: s.check!.argv, exitCode: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 0 };
    if (s.check?.kind !== 'probe') throw new Error('expected a probe');
    expect(s.check.judge(result), describeRun('wdctl', r)).toBe(false);
    expect(s.verify?.advice?.(result)).toMatch(/^pacemaker\.stonith\.sbd\.watchdog: \/dev\/watchdog does not exist on nfs1 \(.+\)/);
    const found = byId(steps, 'nfs1/sbd-watchdog-found');
    const q = runTool([...found.check!.argv]);
    if (found.check?.kind !== 'probe') throw new Error('expected a probe');
    const qr = { ...result, argv: found.check.argv, exitCode: q.code, stdout: q.stdout, stderr: q.stderr };
    expect(found.check.judge(qr), describeRun('find /sys/class/watchdog/', q)).toBe(false);
    expect(found.verify?.advice?.(qr)).toMatch(/^pacemaker\.stonith\.sbd\.watchdog: the kernel on nfs1 registered no watchdog \(\/sys\/class\/watchdog is empty or missing\), not \/dev\/watchdog's: enable the hardware watchdog/);
  });

  it('the create step, run for real on a loop device, leaves a header its own check counts as done', () => {
    const s = byId(steps, 'cluster/sbd-create');
    if (s.check?.kind !== 'probe') throw new Error('expected a probe');
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-plan-sbd-'));
    const img = join(dir, 'shared.img');
    writeFileSync(img, Buffer.alloc(8 * 1024 * 1024));
    const loop = runTool(['losetup', '-f', '--show', img]);
    expect(loop.code, describeRun('losetup', loop)).toBe(0);
    const dev = loop.stdout.trim();
    const on = (argv: readonly string[]) => argv.map((x) => (x === DISK ? dev : x));
    const judge = (argv: readonly string[]) => {
      const r = runTool(on(argv));
      return s.check!.kind === 'probe' && s.check!.judge({ argv: [...argv], exitCode: r.code, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 0 });
    };
    try {
      expect(judge(s.check.argv)).toBe(false);
      const created = runTool(on(s.commands[0]!));
      expect(created.code, describeRun('sbd create', created)).toBe(0);
      expect(judge(s.check.argv)).toBe(true);
      expect(judge(s.verify!.argv)).toBe(true);
    } finally {
      runTool(['losetup', '-d', dev]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('installs /etc/default/sbd from the export tree, the same bytes on both nodes', () => {
    const files = buildExportFiles(a, [], generateSecrets(a));
    const mine = files.filter((f) => f.target === '/etc/default/sbd');
    expect(mine.map((f) => f.path)).toEqual(['nfs1/etc/default/sbd', 'nfs2/etc/default/sbd']);
    for (const f of mine) expect(f.content).toBe(renderSbdDefaults(a));
    expect(buildExportFiles(load(EXAMPLE), [], generateSecrets(load(EXAMPLE))).some((f) => f.target === '/etc/default/sbd')).toBe(false);
  });
});

describe('fence agents in the plan', () => {
  const a = load(IPMI);
  const steps = planSteps(a);

  it('installs fence-agents and ipmitool (the CIB\'s agent and the preflight need them) and asks each BMC from the peer', () => {
    // ipmitool: fence_ipmilan runs it, and Debian 12's fence-agents does not depend on it.
    expect(byId(steps, 'nfs1/fencing-packages').commands[0]!.slice(3)).toEqual(['--', 'fence-agents/fence-agents-all', 'ipmitool/ipmitool']);
    expect(byId(steps, 'nfs1/fencing-packages').check?.argv.slice(-2)).toEqual(['fence_ipmilan', 'ipmitool']);
    expect(steps.filter((s) => s.id.includes('/fence-status:')).map((s) => [s.node, s.id])).toEqual([
      ['nfs1', 'nfs1/fence-status:nfs2'],
      ['nfs2', 'nfs2/fence-status:nfs1'],
    ]);
  });

  it('answers without fencing get no fencing step at all', () => {
    const plain = planSteps(load(EXAMPLE));
    expect(plain.filter((s) => /fenc|sbd/.test(s.id))).toEqual([]);
  });
});
