// The monitor's action keys: each key's arguments, derived from what the monitor shows (states built from
// real captures: the running lab cluster, and maintenance-mode on as Pacemaker's own tools produced it),
// are accepted by its action's own parse(); what a key needs and does not have is one line saying so.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACTION_KEYS, maintenanceOn, RESERVED_KEYS, selectedNode } from '../../../src/screens/monitor/action-keys.js';
import { initialState, type MonitorState } from '../../../src/monitor/model.js';
import { reduceAll } from '../../../src/monitor/reducer.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const T = Date.parse('2026-11-25T19:32:16Z');
const nodes = [{ name: 'node1', target: 'root@192.168.100.11' }, { name: 'node2', target: 'root@192.168.100.12' }];
const withCrm = (file: string | null): MonitorState =>
  reduceAll(initialState(nodes, T), file ? [{ type: 'crm-mon', node: 'node1', at: T, xml: readFileSync(`${ROOT}/${file}`, 'utf8') }] : []);
const RUNNING = 'demo-lab/running/node1/crm_mon_1_xml.nfs-running.node1.xml';
const MAINT = 'test/fixtures/actions/crm_mon_1_xml.maintenance-mode-on.xml';
const key = (k: string) => ACTION_KEYS.find((x) => x.key === k)!;
/** A value typed in the overlay for a key that asks one. */
const TYPED: Record<string, string> = { g: '+1G', M: 'node1:snap1', u: 'node1:snap1', X: 'node1:snap1' };

describe('the action keys', () => {
  it('bind every action of issues 30-32 once, on keys the monitor itself does not use', () => {
    const keys = ACTION_KEYS.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(RESERVED_KEYS as readonly string[]).not.toContain(k);
    expect(ACTION_KEYS.map((k) => k.def.words.join(' ')).sort()).toEqual(
      ['cleanup', 'disk replace', 'grow', 'maintenance', 'online', 'restore', 'snapshot create', 'snapshot list', 'snapshot mount', 'snapshot remove', 'snapshot unmount', 'split-brain', 'standby', 'switchover'],
    );
  });

  it("each key's arguments, with node2 selected on the running cluster, are accepted by its action's parse", () => {
    const state = withCrm(RUNNING);
    // D needs a degraded array and R asks its own questions: their tests are below.
    for (const k of ACTION_KEYS.filter((x) => x.key !== 'D' && x.key !== 'R')) {
      const a = k.positionals({ node: 'node2', resource: null }, state);
      expect(a.ok, k.key).toBe(true);
      if (!a.ok) continue;
      const typed = TYPED[k.key];
      expect(k.ask !== undefined, `${k.key} asks a value`).toBe(typed !== undefined);
      const parsed = k.def.parse(typed ? [...a.positionals, typed] : a.positionals, {});
      expect(parsed.ok, `${k.key}: ${JSON.stringify(parsed)}`).toBe(true);
    }
  });

  it('standby and online act on the selected node, and say so when none is selected', () => {
    expect(key('b').positionals({ node: 'node2', resource: 'r0' }, withCrm(RUNNING))).toEqual({ ok: true, positionals: ['node2'] });
    expect(key('o').positionals({ node: 'node1', resource: null }, withCrm(RUNNING))).toEqual({ ok: true, positionals: ['node1'] });
    expect(key('b').positionals(null, withCrm(RUNNING))).toEqual({ ok: false, why: 'select the node to put in standby first (up/down), then press the key again' });
    expect(selectedNode(null, 'bring online')).toMatchObject({ ok: false });
  });

  it('m turns maintenance mode on when it is off, off when it is on, and refuses while it is not known', () => {
    expect(maintenanceOn(withCrm(RUNNING))).toBe(false);
    expect(key('m').positionals(null, withCrm(RUNNING))).toEqual({ ok: true, positionals: ['on'] });
    expect(maintenanceOn(withCrm(MAINT))).toBe(true);
    expect(key('m').positionals(null, withCrm(MAINT))).toEqual({ ok: true, positionals: ['off'] });
    expect(maintenanceOn(withCrm(null))).toBeNull();
    expect(key('m').positionals(null, withCrm(null))).toMatchObject({ ok: false, why: expect.stringMatching(/^maintenance-mode is not known yet/) });
  });
});
