// switchover planned from real captures of the lab (the running cluster of demo-lab/running, node1 active)
// and run by the one engine against a world whose answers follow what the action changed: the moved
// cluster (crm_simulate's transition of the real CIB with the real crm_resource --move, test/fixtures/
// actions/SOURCE.md), node2's own DRBD Primary and its exports (lab captures), the CIB with the cli-prefer
// constraint until --clear ran. What it changed, where, and what it read back.
import { describe, expect, it } from 'vitest';
import { switchoverAction, MOVE_LIFETIME } from '../../../src/plan/actions/switchover.js';
import { clusterFactsFrom, FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { EXPORTFS_ARGV } from '../../../src/plan/actions/service-facts.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import { byRead, CaptureNode, ran, type Change } from '../../helpers/capture-node.js';
import { captured, CIB_RUNNING, CRM_RUNNING, EV, EV_NODE2_PRIMARY, EXPORTS_NODE2_AFTER, ROOT, RUNNING as RUN, runningFactsWith as facts } from '../../helpers/action-facts.js';

const A = `${ROOT}/test/fixtures/actions`;
const M = `${ROOT}/test/fixtures/monitor`;
const CRM_SWITCHED = `${A}/crm_mon_1_xml.switched-to-node2.xml`;
const CIB_MOVED = `${A}/cibadmin_Q.moved-cli-prefer-node2.xml`;
const CIB_CLEARED = `${A}/cibadmin_Q.switched-to-node2-cleared.xml`;
const EXPORTS_NODE2_BEFORE = `${RUN}/node2/exportfs_v.pcmk-managed.node2.txt`;

const parse = (p: string[], flags: Record<string, string> = {}) => {
  const r = switchoverAction.parse(p, flags);
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};
const nodes = [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }];
const plan = (f = facts(), args = parse([])) => switchoverAction.plan({ nodes, facts: f, args }, undefined);

describe('switchover: the plan', () => {
  it('moves the group the CIB places (with an expiring constraint), reads the peer back, then clears the constraint', () => {
    const p = plan();
    expect(p.refusals).toEqual([]);
    expect(p.summary).toBe('move the service from node1 to node2');
    expect(p.steps.map((s) => [s.id, s.node, s.commands])).toEqual([
      ['cluster/move', 'node1', [['crm_resource', '--move', '--resource', 'g_nfs', '--node', 'node2', '--lifetime', MOVE_LIFETIME]]],
      ['node2/drbd-primary', 'node2', []],
      ['node2/nfs-exported', 'node2', []],
      ['cluster/clear', 'node2', [['crm_resource', '--clear', '--resource', 'g_nfs']]],
      ['cluster/read-back', 'node2', []],
    ]);
    expect(p.steps[0]!.interruptsService).toMatch(/NFS pauses/);
    expect(p.confirm).toMatchObject({ kind: 'typed', words: 'switchover to node2' });
    expect(p.facts.join('\n')).toContain('ms_drbd_r0 follows the group');
    expect(formatActionPlan(p).join('\n')).toContain(`$ crm_resource --move --resource g_nfs --node node2 --lifetime ${MOVE_LIFETIME}`);
  });

  it('judges the read-backs on real states: the moved cluster passes, the running one does not', () => {
    const p = plan();
    const move = p.steps[0]!.verify!;
    expect(move.judge(captured(FACT_ARGV.crmMon, CRM_SWITCHED))).toBe(true);
    expect(move.judge(captured(FACT_ARGV.crmMon, CRM_RUNNING))).toBe(false);
    const drbd = p.steps[1]!.verify!;
    expect(drbd.judge(captured(FACT_ARGV.events2Now, EV_NODE2_PRIMARY))).toBe(true);
    expect(drbd.judge(captured(FACT_ARGV.events2Now, EV('node2')))).toBe(false);
    const exp = p.steps[2]!.verify!;
    expect(exp.judge(captured(EXPORTFS_ARGV, EXPORTS_NODE2_AFTER))).toBe(true);
    expect(exp.judge(captured(EXPORTFS_ARGV, EXPORTS_NODE2_BEFORE))).toBe(false);
    const clear = p.steps[3]!.verify!;
    expect(clear.judge(captured(FACT_ARGV.cib, CIB_MOVED))).toBe(false);
    expect(clear.judge(captured(FACT_ARGV.cib, CIB_CLEARED))).toBe(true);
  });

  it('--to the node that runs the service: nothing to do', () => {
    const p = plan(facts(), parse([], { to: 'node1' }));
    expect(p.steps).toEqual([]);
    expect(p.refusals).toEqual([]);
    expect(p.summary).toMatch(/already runs on node1/);
  });

  it('names a node the cluster does not have (exit 2), and bad arguments before any node is read', () => {
    const p = plan(facts(), parse([], { to: 'node9' }));
    expect(p.bad).toEqual({ field: '--to', message: '"node9" is no node of this cluster; its nodes: node1, node2' });
    expect(switchoverAction.parse(['node2'], {})).toMatchObject({ ok: false, error: { field: 'switchover' } });
    expect(switchoverAction.parse([], { to: 'a;b' })).toMatchObject({ ok: false, error: { field: '--to' } });
  });

  it('refuses when the peer is in standby (lab capture: node1 standby, service on node2)', () => {
    const p = plan(facts({ crm: `${M}/crm_mon_1_xml.passive-standby.node1.xml`, cib: `${ROOT}/demo-lab/failover/node2/cibadmin_Q.nfs-running-with-ping.node2.xml` }));
    expect(p.refusals.some((r) => r.startsWith('node1 is in standby'))).toBe(true);
  });

  it("refuses when the peer's own DRBD is not UpToDate and connected (lab capture: StandAlone after a split brain)", () => {
    const p = plan(facts({ ev2: `${M}/drbdsetup_events2_now_statistics.split-brain-standalone.node2.txt` }));
    expect(p.refusals.join('\n')).toMatch(/DRBD r0 on node2 is StandAlone to its peer, not Connected/);
  });

  it('refuses with a failed action of ours in the way (lab capture), in maintenance mode, and with a ban on the clone', () => {
    const failed = plan(facts({ crm: `${M}/crm_mon_1_xml.failed-action-nfsserver.node1.xml`, cib: `${ROOT}/demo-lab/failover/node2/cibadmin_Q.nfs-running-with-ping.node2.xml` }));
    expect(failed.refusals.join('\n')).toMatch(/failed action in the way: p_nfsserver monitor on node2/);
    const maint = plan(facts({ cib: `${A}/cibadmin_Q.maintenance-mode-on.xml` }));
    expect(maint.refusals.join('\n')).toMatch(/maintenance mode/);
    const ban = plan(facts({ cib: `${A}/cibadmin_Q.cli-ban-promoted-node2.xml` }));
    expect(ban.refusals.join('\n')).toMatch(/cli-ban-ms_drbd_r0-on-node2 \(cli-ban on node2\) constrains ms_drbd_r0: remove it first/);
  });

  it('refuses when Pacemaker cannot be read', () => {
    const f = clusterFactsFrom(['node1', 'node2'].map((name) => ({ name, crmMon: captured(FACT_ARGV.crmMon, null), cib: captured(FACT_ARGV.cib, null), events2: captured(FACT_ARGV.events2Now, EV(name)) })));
    expect(plan(f).refusals[0]).toMatch(/Pacemaker's status could not be read/);
  });
});

describe('switchover: run by the engine', () => {
  function world(o: { clearWorks?: boolean } = {}) {
    const log: Change[] = [];
    const moved = () => ran(log, 'crm_resource', '--move');
    const cleared = () => (o.clearWorks ?? true) && ran(log, 'crm_resource', '--clear');
    const answers = (name: string) => byRead([
      [FACT_ARGV.crmMon, () => (moved() ? CRM_SWITCHED : CRM_RUNNING)],
      [FACT_ARGV.cib, () => (cleared() ? CIB_CLEARED : moved() ? CIB_MOVED : CIB_RUNNING)],
      [FACT_ARGV.events2Now, () => (name === 'node2' && moved() ? EV_NODE2_PRIMARY : EV(name))],
      [EXPORTFS_ARGV, () => (name === 'node2' ? (moved() ? EXPORTS_NODE2_AFTER : EXPORTS_NODE2_BEFORE) : null)],
    ]);
    const a = new CaptureNode(`sw${process.pid}a${Math.floor(Math.random() * 1e9)}`, { name: 'node1', log, answer: answers('node1') });
    const b = new CaptureNode(`sw${process.pid}b${Math.floor(Math.random() * 1e9)}`, { name: 'node2', log, answer: answers('node2') });
    return { log, a, b, ns: [{ name: 'node1', runner: a }, { name: 'node2', runner: b }] };
  }
  let t = 0;
  const opts = (journal: Journal) => ({ dryRun: false, journal, redactor: new Redactor([]), sleep: async (ms: number) => { t += ms; }, now: () => t, holder: 'test' });

  it('moves, reads back the service on node2, clears the constraint and reads back that none is left', async () => {
    const { log, a, b, ns } = world();
    const p = await prepareAction(switchoverAction, ns, parse([]));
    const journal = new Journal([], new Redactor([]));
    const out = await executeAction(p, ns, opts(journal));
    expect(out.kind).toBe('done');
    expect(log).toEqual([
      { node: 'node1', argv: ['crm_resource', '--move', '--resource', 'g_nfs', '--node', 'node2', '--lifetime', MOVE_LIFETIME] },
      { node: 'node2', argv: ['crm_resource', '--clear', '--resource', 'g_nfs'] },
    ]);
    // The peer's own reads (its kernel's DRBD, its exports) were asked of the peer.
    expect(b.all.some((x) => x[0] === 'exportfs')).toBe(true);
    expect(a.all.some((x) => x[0] === 'exportfs')).toBe(false);
    expect(journal.entries.some((e) => e.argv === 'crm_resource --clear --resource g_nfs')).toBe(true);
  });

  it('fails (not done) when a cli-prefer stays behind after --clear: the read-back is what counts', async () => {
    const { log, ns } = world({ clearWorks: false });
    const p = await prepareAction(switchoverAction, ns, parse([]));
    const out = await executeAction(p, ns, opts(new Journal([], new Redactor([]))));
    expect(out).toMatchObject({ kind: 'failed', step: 'cluster/clear' });
    expect(log.length).toBe(2);
  });

  it('a dry run changes nothing', async () => {
    const { log, ns } = world();
    const p = await prepareAction(switchoverAction, ns, parse([]));
    const out = await executeAction(p, ns, { ...opts(new Journal([], new Redactor([]))), dryRun: true });
    expect(out.kind).toBe('dry-run');
    expect(log).toEqual([]);
  });
});
