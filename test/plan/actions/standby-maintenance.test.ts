// standby NODE, online NODE and maintenance on|off, planned from the lab's captures (demo-lab/running:
// node1 active; the lab's own standby captures of 2026-11-25) and run by the one engine against a world
// whose answers follow what the action changed (the states the real crm_attribute + crm_simulate + crm_mon
// computed from the lab's CIB, test/fixtures/actions/SOURCE.md). What changed, where, what was read back.
import { describe, expect, it } from 'vitest';
import { standbyAction } from '../../../src/plan/actions/standby.js';
import { onlineAction } from '../../../src/plan/actions/online.js';
import { maintenanceAction } from '../../../src/plan/actions/maintenance.js';
import { FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import { EXPORTFS_ARGV } from '../../../src/plan/actions/service-facts.js';
import { executeAction, prepareAction } from '../../../src/apply/action-run.js';
import type { ActionDef } from '../../../src/plan/actions/types.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import { byRead, CaptureNode, ran, type Change } from '../../helpers/capture-node.js';
import { captured, CIB_RUNNING, CRM_RUNNING, EV, EV_NODE2_PRIMARY, EXPORTS_NODE2_AFTER, ROOT, RUNNING as RUN, runningFactsWith as facts } from '../../helpers/action-facts.js';

const A = `${ROOT}/test/fixtures/actions`;
const M = `${ROOT}/test/fixtures/monitor`;
const CRM_STANDBY_SET = `${A}/crm_mon_1_xml.standby-node1-set.xml`;
const CRM_STANDBY_LEFT = `${A}/crm_mon_1_xml.standby-node1-left.xml`;
const CIB_STANDBY = `${A}/cibadmin_Q.standby-node1-set.xml`;
const CRM_ONLINE_AGAIN = `${A}/crm_mon_1_xml.online-node1-after-standby.xml`;
const CRM_MAINT = `${A}/crm_mon_1_xml.maintenance-mode-on.xml`;
const CIB_MAINT = `${A}/cibadmin_Q.maintenance-mode-on.xml`;
// The lab's own standby run (2026-11-25): node2 active put in standby, the service moved to node1.
const LAB_CIB = `${ROOT}/demo-lab/failover/node2/cibadmin_Q.nfs-running-with-ping.node2.xml`;
const LAB_BEFORE = `${M}/crm_mon_1_xml.nfs-running-with-ping.node2.xml`;
const LAB_AFTER = `${M}/crm_mon_1_xml.active-standby-failed-over.node1.xml`;
const LAB_MIDWAY = `${M}/crm_mon_1_xml.active-standby-transition-03.node1.xml`;

function args<A>(def: ActionDef<A>, p: string[]): A {
  const r = def.parse(p, {});
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
}
const nodes = [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }];

let t = 0;
const opts = () => ({ dryRun: false, journal: new Journal([], new Redactor([])), redactor: new Redactor([]), sleep: async (ms: number) => { t += ms; }, now: () => t, holder: 'test' });

/** Two nodes answering crm_mon / cibadmin / events2 / exportfs from the changes either made (one log). */
function world(answer: (log: readonly Change[], name: string, argv: readonly string[]) => string | null) {
  const log: Change[] = [];
  const make = (name: string) => new CaptureNode(`sb${process.pid}${name}${Math.floor(Math.random() * 1e9)}`, {
    name,
    log,
    answer: byRead([FACT_ARGV.crmMon, FACT_ARGV.cib, FACT_ARGV.events2Now, EXPORTFS_ARGV].map((argv) => [argv, (l) => answer(l, name, argv)])),
  });
  const a = make('node1');
  const b = make('node2');
  return { log, a, b, ns: [{ name: 'node1', runner: a }, { name: 'node2', runner: b }] };
}

describe('standby NODE', () => {
  it('of the active node: the service moves first (typed), read back on the other node', () => {
    const p = standbyAction.plan({ nodes, facts: facts(), args: args(standbyAction, ['node1']) }, undefined);
    expect(p.refusals).toEqual([]);
    expect(p.summary).toBe('put node1 in standby: the service moves to node2 first');
    expect(p.steps.map((s) => [s.id, s.commands])).toEqual([
      ['cluster/standby', [['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on']]],
      ['node2/drbd-primary', []],
      ['node2/nfs-exported', []],
      ['cluster/read-back', []],
    ]);
    expect(p.confirm).toMatchObject({ kind: 'typed', words: 'standby node1' });
    const v = p.steps[0]!.verify!;
    // The real states: standby set but the service still there (not yet), gone (done).
    expect(v.judge(captured(FACT_ARGV.crmMon, CRM_STANDBY_SET))).toBe(false);
    expect(v.judge(captured(FACT_ARGV.crmMon, CRM_STANDBY_LEFT))).toBe(true);
    expect(v.judge(captured(FACT_ARGV.crmMon, CRM_RUNNING))).toBe(false);
  });

  it("judges the lab's own standby run: midway not yet, after the move done", () => {
    const p = standbyAction.plan({ nodes, facts: facts({ crm: LAB_BEFORE, cib: LAB_CIB }), args: args(standbyAction, ['node2']) }, undefined);
    expect(p.summary).toBe('put node2 in standby: the service moves to node1 first');
    const v = p.steps[0]!.verify!;
    expect(v.judge(captured(FACT_ARGV.crmMon, LAB_MIDWAY))).toBe(false);
    expect(v.judge(captured(FACT_ARGV.crmMon, LAB_AFTER))).toBe(true);
  });

  it('of the passive node: no move, a y/n question', () => {
    const p = standbyAction.plan({ nodes, facts: facts(), args: args(standbyAction, ['node2']) }, undefined);
    expect(p.refusals).toEqual([]);
    expect(p.confirm.kind).toBe('yes');
    expect(p.steps[0]!.interruptsService).toBeNull();
    expect(p.facts.join('\n')).toMatch(/DRBD on node1 runs without its peer until hanfs-wizard online node2/);
  });

  it('refuses the standby of the only node able to run the service', () => {
    // The other node's own DRBD StandAlone (the lab's split-brain capture): it has not got the data.
    const stale = standbyAction.plan({ nodes, facts: facts({ ev2: `${M}/drbdsetup_events2_now_statistics.split-brain-standalone.node2.txt` }), args: args(standbyAction, ['node1']) }, undefined);
    expect(stale.refusals.join('\n')).toMatch(/node1 is the only node with the data the service needs/);
    // The other node in standby (the lab capture: node1 standby, the service on node2).
    const other = standbyAction.plan({ nodes, facts: facts({ crm: `${M}/crm_mon_1_xml.passive-standby.node1.xml`, cib: LAB_CIB }), args: args(standbyAction, ['node2']) }, undefined);
    expect(other.refusals.join('\n')).toMatch(/node1 is in standby .*: node2 is the only node able to run the service/);
  });

  it('bad input: a node the cluster lacks (exit 2), a missing or malformed NODE', () => {
    const p = standbyAction.plan({ nodes, facts: facts(), args: args(standbyAction, ['node7']) }, undefined);
    expect(p.bad).toEqual({ field: 'NODE', message: '"node7" is no node of this cluster; its nodes: node1, node2' });
    expect(standbyAction.parse([], {})).toMatchObject({ ok: false, error: { field: 'NODE' } });
    expect(standbyAction.parse(['-x;y'], {})).toMatchObject({ ok: false, error: { field: 'NODE' } });
    expect(onlineAction.parse(['a', 'b'], {})).toMatchObject({ ok: false, error: { field: 'NODE' } });
  });

  it('run by the engine: sets the attribute once, reads back node1 empty and the service on node2', async () => {
    const { log, ns } = world((ww, name, argv) => {
      const done = ran(ww, 'crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on');
      if (argv === FACT_ARGV.crmMon) return done ? CRM_STANDBY_LEFT : CRM_RUNNING;
      if (argv === FACT_ARGV.cib) return done ? CIB_STANDBY : CIB_RUNNING;
      if (argv === FACT_ARGV.events2Now) return name === 'node2' && done ? EV_NODE2_PRIMARY : EV(name);
      return name === 'node2' && done ? EXPORTS_NODE2_AFTER : `${RUN}/node2/exportfs_v.pcmk-managed.node2.txt`;
    });
    const p = await prepareAction(standbyAction, ns, args(standbyAction, ['node1']));
    const out = await executeAction(p, ns, opts());
    expect(out.kind).toBe('done');
    expect(log).toEqual([{ node: 'node2', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'on'] }]);
  });

  it('run by the engine: fails when the service never leaves (standby set, nothing moved)', async () => {
    const { log, ns } = world((ww, name, argv) => {
      const done = ran(ww, 'crm_attribute');
      if (argv === FACT_ARGV.crmMon) return done ? CRM_STANDBY_SET : CRM_RUNNING;
      if (argv === FACT_ARGV.cib) return CIB_RUNNING;
      if (argv === FACT_ARGV.events2Now) return EV(name);
      return null;
    });
    const p = await prepareAction(standbyAction, ns, args(standbyAction, ['node1']));
    const out = await executeAction(p, ns, opts());
    expect(out).toMatchObject({ kind: 'failed', step: 'cluster/standby' });
    expect(log.length).toBe(1);
  });
});

describe('online NODE', () => {
  it('ends the standby and reads back the node online with DRBD started, the service staying', async () => {
    const { log, ns } = world((ww, name, argv) => {
      const done = ran(ww, 'crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off');
      if (argv === FACT_ARGV.crmMon) return done ? CRM_ONLINE_AGAIN : CRM_STANDBY_LEFT;
      if (argv === FACT_ARGV.cib) return CIB_STANDBY;
      if (argv === FACT_ARGV.events2Now) return name === 'node2' ? EV_NODE2_PRIMARY : EV(name);
      return null;
    });
    const p = await prepareAction(onlineAction, ns, args(onlineAction, ['node1']));
    expect(p.summary).toBe('end the standby of node1: the service stays on node2');
    expect(p.confirm.kind).toBe('yes');
    const out = await executeAction(p, ns, opts());
    expect(out.kind).toBe('done');
    expect(log).toEqual([{ node: 'node1', argv: ['crm_attribute', '--node', 'node1', '--name', 'standby', '--update', 'off'] }]);
    // Not yet: standby still set.
    expect(p.steps[0]!.verify!.judge(captured(FACT_ARGV.crmMon, CRM_STANDBY_LEFT))).toBe(false);
  });

  it('a node not in standby: nothing to do; an unknown node: bad input', () => {
    expect(onlineAction.plan({ nodes, facts: facts(), args: args(onlineAction, ['node2']) }, undefined).steps).toEqual([]);
    expect(onlineAction.plan({ nodes, facts: facts(), args: args(onlineAction, ['nodeZ']) }, undefined).bad?.field).toBe('NODE');
  });
});

describe('maintenance on|off', () => {
  it('on: sets the property and reads it back from crm_mon', async () => {
    const { log, ns } = world((ww, name, argv) => {
      const on = ran(ww, 'crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'true');
      if (argv === FACT_ARGV.crmMon) return on ? CRM_MAINT : CRM_RUNNING;
      if (argv === FACT_ARGV.cib) return on ? CIB_MAINT : CIB_RUNNING;
      if (argv === FACT_ARGV.events2Now) return EV(name);
      return null;
    });
    const p = await prepareAction(maintenanceAction, ns, args(maintenanceAction, ['on']));
    expect(p.action).toBe('maintenance on');
    expect(p.confirm.kind).toBe('yes');
    const out = await executeAction(p, ns, opts());
    expect(out.kind).toBe('done');
    expect(log).toEqual([{ node: 'node1', argv: ['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'true'] }]);
  });

  it('off: sets it back and waits for crm_mon to show it off with the service running', async () => {
    const { log, ns } = world((ww, name, argv) => {
      const off = ran(ww, 'crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'false');
      if (argv === FACT_ARGV.crmMon) return off ? CRM_RUNNING : CRM_MAINT;
      if (argv === FACT_ARGV.cib) return off ? CIB_RUNNING : CIB_MAINT;
      if (argv === FACT_ARGV.events2Now) return EV(name);
      return null;
    });
    const p = await prepareAction(maintenanceAction, ns, args(maintenanceAction, ['off']));
    const out = await executeAction(p, ns, opts());
    expect(out.kind).toBe('done');
    expect(log.map((c) => c.argv.at(-1))).toEqual(['false']);
  });

  it('fails when crm_mon never shows it: the read-back is what counts', async () => {
    const { ns } = world((_w, name, argv) => (argv === FACT_ARGV.crmMon ? CRM_RUNNING : argv === FACT_ARGV.cib ? CIB_RUNNING : argv === FACT_ARGV.events2Now ? EV(name) : null));
    const p = await prepareAction(maintenanceAction, ns, args(maintenanceAction, ['on']));
    expect((await executeAction(p, ns, opts())).kind).toBe('failed');
  });

  it('already in the state: nothing to do; a wrong word: bad input naming on|off', () => {
    expect(maintenanceAction.plan({ nodes, facts: facts(), args: args(maintenanceAction, ['off']) }, undefined).steps).toEqual([]);
    expect(maintenanceAction.parse(['maybe'], {})).toEqual({ ok: false, error: { field: 'on|off', message: 'maintenance takes on or off (got maybe)' } });
    expect(maintenanceAction.parse([], {})).toMatchObject({ ok: false, error: { field: 'on|off' } });
  });
});
