// The e2e's per-node agreement check, on the replayed demo lab (no VMs): the monitor's JSON of a state
// agrees with each node's own /proc/drbd and crm_mon of that state (the same captures), and a truth with
// the two nodes swapped is caught node by node.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './lab.js';
import { agreementProblems, type MonitorDoc, type NodeTruth } from './monitor-agreement.js';
import { parseCrmMonXml, parseProcDrbd84 } from './truth.js';

const demo = (f: string) => readFileSync(join(REPO, 'demo-lab', f), 'utf8');
function monitorJson(scenario: string): MonitorDoc {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli.ts'), 'monitor', `--demo=${scenario}`, '--json'], { encoding: 'utf8', cwd: REPO });
  return JSON.parse(out) as MonitorDoc;
}
const truthOf = (node: string): NodeTruth => ({
  reachable: true,
  drbd: parseProcDrbd84(demo(`running/${node}/proc_drbd.pcmk-managed.${node}.txt`))[0] ?? null,
  crm: parseCrmMonXml(demo(`running/${node}/crm_mon_1_xml.nfs-running.${node}.xml`)),
});

describe('monitor --json against what each node says (per node)', () => {
  const doc = monitorJson('running');

  it('agrees on the running cluster', () => {
    expect(agreementProblems(doc, { node1: truthOf('node1'), node2: truthOf('node2') })).toEqual([]);
  });

  it('catches a monitor that swapped the two nodes', () => {
    const p = agreementProblems(doc, { node1: truthOf('node2'), node2: truthOf('node1') });
    expect(p).toContain('node1: DRBD r0 is Secondary here, the monitor says Primary');
    expect(p).toContain('node2: DRBD r0 is Primary here, the monitor says Secondary');
  });

  it('an unreachable node must be said down; a live one with an unread component is caught', () => {
    const failed = monitorJson('failed-over');
    const down: NodeTruth = { reachable: false, drbd: null, crm: null };
    expect(agreementProblems(failed, { node1: down })).toEqual([]);
    expect(agreementProblems(doc, { node1: down })).toEqual(['node1: is down, the monitor says up']);
    const blind: MonitorDoc = { ...doc, nodes: doc.nodes.map((n) => (n.name === 'node2' ? { ...n, readings: { ...n.readings, raid: { state: 'failed', error: 'timed out' } } } : n)) };
    expect(agreementProblems(blind, { node2: truthOf('node2') })).toEqual(['node2: the monitor cannot read raid (failed: timed out)']);
  });
});
