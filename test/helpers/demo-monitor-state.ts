// A monitor state built from a demo-lab scenario's own recordings (the real captures the demo replays):
// DRBD (events2), mdstat, LVM (vgs + lvs: the demo answers the collector's `lvm fullreport` with them),
// crm_mon and the CIB where the scenario has them. For screen tests of the action keys on the same
// recordings the demo's runners answer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { initialState, type MonitorState } from '../../src/monitor/model.js';
import { reduceAll, type MonitorEvent } from '../../src/monitor/reducer.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const DEMO_T = Date.parse('2026-11-25T19:32:16Z');
const NODES = [{ name: 'node1', target: 'root@192.168.100.11' }, { name: 'node2', target: 'root@192.168.100.12' }];

/** The first file of the node's folder whose name starts with `prefix` (the scenario's first poll), or null. */
function first(scenario: string, node: string, prefix: string): string | null {
  const dir = `${ROOT}/demo-lab/${scenario}/${node}`;
  const f = readdirSync(dir).filter((x) => x.startsWith(prefix)).sort()[0];
  return f && existsSync(`${dir}/${f}`) ? readFileSync(`${dir}/${f}`, 'utf8') : null;
}

/** `mdstat`: which mdstat capture of the folder (its file name's start); default the first by name. */
export function demoMonitorState(scenario: string, o: { mdstat?: string } = {}): MonitorState {
  const events: MonitorEvent[] = [];
  for (const { name: n } of NODES) {
    const at = DEMO_T;
    const ev = first(scenario, n, 'drbdsetup_events2_now_statistics');
    if (ev) for (const line of ev.split('\n').filter((l) => l !== '')) events.push({ type: 'events2-line', node: n, at, line });
    const md = first(scenario, n, o.mdstat ?? 'proc_mdstat') ?? first(scenario, n, 'proc_mdstat');
    if (md !== null) events.push({ type: 'mdstat', node: n, at, text: md });
    const vgs = first(scenario, n, 'vgs_');
    const lvs = first(scenario, n, 'lvs_');
    if (vgs !== null && lvs !== null) events.push({ type: 'lvm', node: n, at, text: `${vgs}\n${lvs}` });
    const crm = first(scenario, n, 'crm_mon_1_xml');
    if (crm) events.push({ type: 'crm-mon', node: n, at, xml: crm });
    const cib = first(scenario, n, 'cibadmin_Q');
    if (cib) events.push({ type: 'cib', node: n, at, xml: cib });
    events.push({ type: 'reachability', node: n, at, reachable: true });
  }
  return reduceAll(initialState(NODES, DEMO_T), events);
}
