// grow planned from real captures of the lab (vg0/nfs 200 MiB under r0, 52 MiB free in each VG, node1
// Primary, both UpToDate; df of an ext4 of /dev/drbd0's size before and after a 16 MiB growth, made with
// the real tools here), then run by the one engine: what it changed, and that the read-back is what counts.
import { describe, expect, it } from 'vitest';
import { dfSize, growAction, internalMetaBytes, maxGrowth, parseDfSize, parseGrowSize } from '../../../src/plan/actions/grow.js';
import { prepareAction, type ActionPlan } from '../../../src/apply/action-run.js';
import type { CaptureNode } from '../../helpers/capture-node.js';
import { ACT, EVENTS, LC, LVS_SNAP, N1, N2, ROOT, RUN, res, runningFacts as facts, runPlan, storageFacts, storageNode } from '../../helpers/storage-captures.js';

const FAILED_OVER = `${ROOT}/demo-lab/failed-over/node2/drbdsetup_events2.failed-over-primary.node2.txt`;
/** node1: pvs; vgs; lvs in one capture (vg0/nfs, no snapshot, 52 MiB free); node2 the same layout. */
const FULL1 = LC('raid/pvs_vgs_lvs_reportformat_json_units_b.full-stack-active.node1.json');
const VGS = { node1: FULL1, node2: RUN('node2', 'vgs_reportformat_json_units_b.no-snapshot.node2.json') };
const LVS = { node1: FULL1, node2: RUN('node2', 'lvs_reportformat_json_units_b.no-snapshot.node2.json') };
const DF_BEFORE = ACT('df_B1_output_size.before-grow.txt');
const DF_AFTER = ACT('df_B1_output_size.after-grow-16M.txt');
const MiB = 2 ** 20;

const storage = (lvs = LVS) => storageFacts(VGS, lvs);
const extra = (lvs = LVS) => ({ storage: storage(lvs), fsBytes: parseDfSize(res(dfSize('/srv/nfs'), DF_BEFORE)), fsError: null });
const nodes = [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }];
const args = (s: string) => {
  const r = growAction.parse([s], {});
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};

describe('grow: the size as lvextend takes it', () => {
  it('reads +SIZE and SIZE in binary units, M without one; refuses what lvextend -L would not take', () => {
    expect(parseGrowSize('+10G')).toEqual({ relative: true, bytes: 10 * 2 ** 30, text: '+10G' });
    expect(parseGrowSize('500g')).toMatchObject({ relative: false, bytes: 500 * 2 ** 30 });
    expect(parseGrowSize('1.5T')).toMatchObject({ bytes: 1.5 * 2 ** 40 });
    expect(parseGrowSize('+16')).toMatchObject({ relative: true, bytes: 16 * MiB });
    expect(parseGrowSize('+16MiB')).toMatchObject({ bytes: 16 * MiB });
    for (const bad of ['10%FREE', '-5G', 'x', '+', '0', '+0M', '1e3G']) expect(parseGrowSize(bad)).toBeNull();
    expect(growAction.parse(['10%FREE'], {})).toMatchObject({ ok: false, error: { field: 'SIZE' } });
    expect(growAction.parse([], {})).toMatchObject({ ok: false, error: { field: 'SIZE' } });
  });

  it('reads df\'s size (real df output before and after a growth)', () => {
    expect(parseDfSize(res(dfSize('/srv/nfs'), DF_BEFORE))).toBe(190725120);
    expect(parseDfSize(res(dfSize('/srv/nfs'), DF_AFTER))).toBe(206184448);
  });

  it('knows DRBD 8.4\'s internal metadata size (the lab: LV 209715200 bytes, /dev/drbd0 209670144)', () => {
    expect(209715200 - internalMetaBytes(209715200)).toBe(204756 * 1024);
  });

  it('keeps the resync snapshot\'s 15 % of the grown LV free', () => {
    // 52 MiB free, 200 MiB LV: g <= (52 - 30) / 1.15 = 19.1 MiB.
    expect(maxGrowth(54525952, 209715200)).toBe(19 * MiB);
  });
});

describe('grow: the plan', () => {
  it('lvextend on both nodes (a2), drbdadm resize on the Primary (a3), resize2fs there (a4), then the read-back', () => {
    const plan = growAction.plan({ nodes, facts: facts(), args: args('+16M') }, extra());
    expect(plan.refusals).toEqual([]);
    expect(plan.bad).toBeUndefined();
    expect(plan.steps.map((s) => [s.node, s.parallelGroup, s.commands])).toEqual([
      ['node1', 'a2-act', [['lvextend', '--size', `${216 * MiB}b`, 'vg0/nfs']]],
      ['node2', 'a2-act', [['lvextend', '--size', `${216 * MiB}b`, 'vg0/nfs']]],
      ['node1', 'a3-act', [['drbdadm', 'resize', 'r0']]],
      ['node1', 'a4-act', [['resize2fs', '/dev/drbd0']]],
      ['node1', 'a7-read-back', []],
    ]);
    // The filesystem step's check: done once df reads more than today's size (real df outputs).
    const fs = plan.steps[3]!.check!;
    if (fs.kind !== 'probe') throw new Error('probe');
    expect(fs.judge(res(fs.argv, DF_BEFORE))).toBe(false);
    expect(fs.judge(res(fs.argv, DF_AFTER))).toBe(true);
    // The read-back: both UpToDate and connected (the running capture), not with the peer gone.
    const rb = plan.steps[4]!.verify!;
    expect(rb.judge(res(rb.argv, EVENTS('node1')))).toBe(true);
    expect(rb.judge(res(rb.argv, FAILED_OVER))).toBe(false);
    expect(plan.confirm.kind).toBe('yes');
  });

  it('an absolute SIZE is the new size; not larger than today\'s, or larger than a VG\'s free space: bad input naming SIZE', () => {
    expect(growAction.plan({ nodes, facts: facts(), args: args('216M') }, extra()).steps[0]!.commands[0]).toEqual(['lvextend', '--size', `${216 * MiB}b`, 'vg0/nfs']);
    const small = growAction.plan({ nodes, facts: facts(), args: args('200M') }, extra());
    expect(small.bad).toEqual({ field: 'SIZE', message: '200M is not larger than vg0/nfs today (200 MiB): the volume only grows (use +SIZE to add)' });
    const big = growAction.plan({ nodes, facts: facts(), args: args('+1G') }, extra());
    expect(big.bad?.field).toBe('SIZE');
    expect(big.bad?.message).toMatch(/^\+1G needs 1 GiB on node1, its VG vg0 has 52 MiB free$/);
  });

  it('the same absolute SIZE resumes a grow that stopped after lvextend (the LV larger than DRBD uses)', () => {
    const f = facts();
    // As if DRBD were still at its size before a 16 MiB lvextend: 200 MiB LV, DRBD 184 MiB minus metadata.
    for (const n of f.nodes) for (const d of n.drbd ?? []) d.sizeKiB = (209715200 - 16 * MiB - internalMetaBytes(209715200 - 16 * MiB)) / 1024;
    const plan = growAction.plan({ nodes, facts: f, args: args('200M') }, extra());
    expect(plan.bad).toBeUndefined();
    const lv = plan.steps[0]!.check!;
    if (lv.kind !== 'probe') throw new Error('probe');
    expect(lv.judge(res(lv.argv, FULL1))).toBe(true);
    expect(plan.steps[2]!.commands).toEqual([['drbdadm', 'resize', 'r0']]);
    // Without the gap, the same size is bad input.
    expect(growAction.plan({ nodes, facts: facts(), args: args('200M') }, extra()).bad?.field).toBe('SIZE');
  });

  it('refuses: the resync snapshot\'s reserve, a snapshot of the LV, the peer not connected', () => {
    const reserve = growAction.plan({ nodes, facts: facts(), args: args('+40M') }, extra());
    expect(reserve.refusals.some((r) => r.startsWith('node1: vg0 would keep 12 MiB free, DRBD\'s resync snapshot needs 15% of the LV (36 MiB): grow by at most 19 MiB'))).toBe(true);
    const snap = growAction.plan({ nodes, facts: facts(), args: args('+4M') }, extra({ node1: LVS_SNAP, node2: LVS.node2 }));
    expect(snap.refusals.some((r) => r.startsWith('node1: vg0/nfs has 1 snapshot(s) (snap1)'))).toBe(true);
    const alone = growAction.plan({ nodes, facts: facts((n) => (n === 'node1' ? FAILED_OVER : EVENTS(n))), args: args('+4M') }, extra());
    expect(alone.refusals.some((r) => r.startsWith('node1: DRBD r0 is Connecting: both nodes must be connected'))).toBe(true);
  });
});

describe('grow: run by the engine', () => {
  const node = (name: 'node1' | 'node2') => storageNode(name, { vgs: VGS[name], lvs: LVS[name], reads: [[dfSize('/srv/nfs'), [DF_BEFORE]]] });
  const exec = async (plan: ActionPlan, ns: { name: string; runner: CaptureNode }[], dryRun = false) => (await runPlan(plan, ns, dryRun)).out;

  it('extends the LV on both nodes, and stops there when lvs does not read back the larger LV (nothing further runs)', async () => {
    const a = node('node1');
    const b = node('node2');
    const ns = [{ name: N1, runner: a }, { name: N2, runner: b }];
    const plan = await prepareAction(growAction, ns, args('+16M'));
    expect(plan.refusals).toEqual([]);
    const out = await exec(plan, ns);
    expect(out.kind).toBe('failed');
    expect(a.changes).toEqual([['lvextend', '--size', `${216 * MiB}b`, 'vg0/nfs']]);
    expect(b.changes).toEqual([['lvextend', '--size', `${216 * MiB}b`, 'vg0/nfs']]);
  });

  it('a dry run shows the five steps and changes nothing', async () => {
    const a = node('node1');
    const b = node('node2');
    const ns = [{ name: N1, runner: a }, { name: N2, runner: b }];
    const plan = await prepareAction(growAction, ns, args('+16M'));
    const out = await exec(plan, ns, true);
    expect(out.kind).toBe('dry-run');
    if (out.kind === 'dry-run') expect(out.wouldRun.length).toBe(5);
    expect([...a.changes, ...b.changes]).toEqual([]);
  });
});
