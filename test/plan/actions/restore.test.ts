// restore planned on the running demo lab's real captures (node1 Primary, snapshot vg0/snap1 of 19:31:36,
// the CIB's Filesystem on /srv/nfs) and run by the one engine: the snapshot mounted read-only with the
// storage actions' own step, the copy beside (or, typed, over) the live path, read back, unmounted.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Argv } from '../../../src/exec/runner.js';
import { FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { parseAt, restoreAction, statArgv, type RestoreArgs } from '../../../src/plan/actions/restore.js';
import { STORAGE_ARGV } from '../../../src/plan/actions/storage-facts.js';
import { findmntAt } from '../../../src/plan/actions/snapshot-steps.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import { CaptureNode, type Reply } from '../../helpers/capture-node.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const RUN = (n: string, f: string) => `${ROOT}/demo-lab/running/${n}/${f}`;
const FIX = (f: string) => `${ROOT}/test/fixtures/recovery/${f}`;
const ACT = (f: string) => `${ROOT}/test/fixtures/actions/${f}`;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function world(name: string) {
  return (argv: Argv, changes: { node: string; argv: Argv }[]): Reply => {
    const did = (w: string) => changes.some((c) => c.node === name && c.argv[0] === w);
    if (same(argv, FACT_ARGV.events2Now)) return { file: RUN(name, `drbdsetup_events2_now_statistics.pcmk-managed.${name}.txt`) };
    if (same(argv, FACT_ARGV.crmMon)) return { file: RUN('node1', 'crm_mon_1_xml.nfs-running.node1.xml') };
    if (same(argv, FACT_ARGV.cib)) return { file: RUN('node1', 'cibadmin_Q.nfs-running.xml') };
    if (same(argv, STORAGE_ARGV.lsblk)) return { file: name === 'node1' ? RUN('node1', 'lsblk_J_b_O.full-stack-active.node1.json') : RUN('node2', 'lsblk_J_b_O.full-stack-passive.node2.json') };
    if (same(argv, STORAGE_ARGV.vgs)) return { file: RUN(name, name === 'node1' ? 'vgs_reportformat_json_units_b.snapshot-fresh.node1.json' : 'vgs_reportformat_json_units_b.no-snapshot.node2.json') };
    if (same(argv, STORAGE_ARGV.lvs)) return { file: RUN(name, name === 'node1' ? 'lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json' : 'lvs_reportformat_json_units_b.no-snapshot.node2.json') };
    if (argv[0] === 'stat' && argv[1] === '-c' && argv[2] === '%s %Y %F') return { file: FIX('stat_c_size_mtime_type.regular-file.txt') };
    if (same(argv, findmntAt('/mnt/hanfs-snapshot/snap1'))) {
      const mounted = did('mount') && !did('umount');
      return mounted ? { file: ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.snapshot-mounted-ro-noload.txt') } : { file: ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.not-mounted.txt'), exitCode: 1 };
    }
    if (argv[0] === 'diff') return did('cp') ? { file: FIX('diff_rq.same.txt') } : { file: FIX('diff_rq.same.txt'), exitCode: 2 };
    return null;
  };
}

function cluster() {
  const changes: { node: string; argv: Argv }[] = [];
  const nodes = ['node1', 'node2'].map((n) => ({ name: n, runner: new CaptureNode(n, { log: changes, answer: world(n) }) }));
  return { changes, nodes };
}

const args = (pos: string[], flags: Record<string, string | boolean>): RestoreArgs => {
  const r = restoreAction.parse(pos, flags);
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};

describe('restore: the plan', () => {
  it('--from: mounts snap1 read-only on the Primary, copies beside the live path, unmounts', async () => {
    const plan = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1' }));
    expect(plan.refusals).toEqual([]);
    const text = formatActionPlan(plan).join('\n');
    expect(text).toContain('live: /srv/nfs/e2e/f1: regular file, 6 bytes, modified 2026-11-25T19:40:00Z');
    expect(text).toContain('taken 2026-11-25T19:31:36Z');
    expect(plan.steps.map((s) => s.id)).toEqual(['node1/snapshot-mount-snap1', 'node1/restore-copy', 'node1/snapshot-unmount-snap1']);
    expect(plan.steps[0]!.commands.at(-1)).toEqual(['mount', '-o', 'ro,noload', '/dev/vg0/snap1', '/mnt/hanfs-snapshot/snap1']);
    expect(plan.steps[1]!.commands[1]).toEqual(['cp', '-a', '--no-target-directory', '/mnt/hanfs-snapshot/snap1/e2e/f1', expect.stringMatching(/^\/srv\/nfs\/e2e\/f1\.restored-\d{8}-\d{6}$/)]);
    expect(plan.confirm.kind).toBe('yes');
  });

  it('--at picks the newest snapshot taken before the time; none before it: bad input', async () => {
    const p = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/x'], { at: '2026-11-26 08:00' }));
    expect(p.summary).toContain('from snapshot snap1');
    const early = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/x'], { at: '2026-11-25 19:00' }));
    expect(early.bad).toMatchObject({ field: '--at' });
    expect(early.bad!.message).toMatch(/no snapshot on node1 was taken at or before 2026-11-25T19:00:00Z; its snapshots: snap1 \(2026-11-25T19:31:36Z\)/);
    expect(parseAt('2026-11-25T19:40:00+01:00')).toBe(Date.parse('2026-11-25T18:40:00Z'));
  });

  it('--replace: over the live path, typed, destructive', async () => {
    const plan = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1', replace: true }));
    expect(plan.confirm).toMatchObject({ kind: 'typed', words: '/srv/nfs/e2e/f1' });
    expect(plan.steps[1]!.commands[1]!.at(-1)).toBe('/srv/nfs/e2e/f1');
    expect(plan.steps[1]!.destructive).toBe(true);
  });

  it('bad input, one clear error each: outside the export, a snapshot that does not exist, neither or both of --from/--at', async () => {
    const bad = async (a: RestoreArgs) => (await prepareAction(restoreAction, cluster().nodes, a)).bad;
    expect(await bad(args(['/etc/passwd'], { from: 'snap1' }))).toEqual({ field: 'PATH', message: '/etc/passwd is outside the export (/srv/nfs): restore brings back files of the export only' });
    expect(await bad(args(['/srv/nfs'], { from: 'snap1' }))).toMatchObject({ field: 'PATH' });
    expect(await bad(args(['/srv/nfs/a'], { from: 'nosuch' }))).toEqual({ field: '--from', message: 'no snapshot "nosuch" on node1 (the Primary); its snapshots: snap1' });
    expect(restoreAction.parse(['/srv/nfs/a'], {})).toMatchObject({ ok: false, error: { field: '--from' } });
    expect(restoreAction.parse(['/srv/nfs/a'], { from: 'snap1', at: '2026-11-25 19:00' })).toMatchObject({ ok: false, error: { field: '--from' } });
    expect(restoreAction.parse(['/srv/nfs/../etc/passwd'], { from: 'snap1' })).toMatchObject({ ok: false, error: { field: 'PATH' } });
    expect(restoreAction.parse(['relative'], { from: 'snap1' })).toMatchObject({ ok: false, error: { field: 'PATH' } });
    expect(restoreAction.parse(['/srv/nfs/a'], { at: 'yesterday' })).toMatchObject({ ok: false, error: { field: '--at' } });
  });
});

describe('restore: run by the engine', () => {
  it('mounts, copies, reads the copy back, unmounts: in that order, on the Primary only', async () => {
    const c = cluster();
    const plan = await prepareAction(restoreAction, c.nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1' }));
    const out = await executeAction(plan, c.nodes, { dryRun: false, journal: new Journal([], new Redactor([])), redactor: new Redactor([]), sleep: async () => {}, holder: 'test' });
    expect(out.kind).toBe('done');
    expect(c.changes.map((x) => `${x.node}: ${x.argv[0]}`)).toEqual(['node1: lvchange', 'node1: mkdir', 'node1: mount', 'node1: stat', 'node1: cp', 'node1: umount']);
  });
});
