// parseCrmMon on both releases' crm_mon: Pacemaker 3.0.0 (Debian 13) and 2.1.5 (Debian 12) printing the
// same real lab CIBs (test/fixtures/monitor/trixie, made by test/setup/crm-mon-captures.sh), and the
// state 3.0's own scheduler reached from one of them. The parsed status must not depend on the release.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCrmMon, type CrmStatus } from '../../src/probes/crm-mon.js';

const DIR = 'test/fixtures/monitor/trixie';
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');

function parsed(f: string): CrmStatus {
  const r = parseCrmMon(read(f));
  if (!r.ok) throw new Error(`${f}: ${r.message}`);
  return r;
}

/** Everything but what differs by design: the time crm_mon ran, and 3.0's new maintenance flag. */
function comparable(s: CrmStatus) {
  return { ...s, lastUpdate: null, resources: s.resources.map(({ maintenance: _m, ...r }) => r) };
}

const PAIRS = readdirSync(DIR)
  .filter((f) => f.endsWith('.pcmk-3.0.0.xml') && readdirSync(DIR).includes(f.replace('.pcmk-3.0.0.xml', '.pcmk-2.1.5.xml')))
  .sort();

describe('crm_mon of Pacemaker 3.0.0 and 2.1.5 on the same CIB', () => {
  it('has both releases for every lab CIB, -1 and -1 -A', () => {
    expect(PAIRS.length).toBe(8);
  });

  it.each(PAIRS)('%s parses to the same status as 2.1.5 printed it', (f) => {
    const v3 = parsed(f);
    const v2 = parsed(f.replace('.pcmk-3.0.0.xml', '.pcmk-2.1.5.xml'));
    expect(v3.resources.length).toBeGreaterThan(0);
    expect(comparable(v3)).toEqual(comparable(v2));
    // 3.0 says whether each resource is in maintenance; 2.1.5 does not print it (read as false).
    expect(read(f)).toContain(' maintenance="false"');
    expect(v3.resources.every((r) => r.maintenance === false)).toBe(true);
  });

  it('reads 3.0.0 roles, nodes and ping attributes of the running cluster', () => {
    const s = parsed('crm_mon_1A_xml.nfs-running-with-ping.node2.pcmk-3.0.0.xml');
    expect(s.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', true]]);
    const drbd = s.resources.filter((r) => r.id === 'p_drbd_r0').map((r) => [r.role, r.rawRole, r.nodes]);
    expect(drbd).toEqual(expect.arrayContaining([['Promoted', 'Promoted', ['node2']], ['Unpromoted', 'Unpromoted', ['node1']]]));
    expect(s.attributes['node2']?.['pingd']).toEqual({ value: '2000', expected: '2000' });
  });

  it("reads the state 3.0's scheduler reached after the active node failed", () => {
    const s = parsed('crm_mon_1_xml.active-failed-by-3.0.pcmk-3.0.0.xml');
    expect(s.nodes.map((n) => [n.name, n.online])).toEqual([['node1', true], ['node2', false]]);
    expect(s.resources.filter((r) => r.id === 'p_drbd_r0' && r.role === 'Promoted').map((r) => r.nodes)).toEqual([['node1']]);
    expect(s.resources.find((r) => r.id === 'p_ip')).toMatchObject({ role: 'Started', nodes: ['node1'], parent: 'g_nfs' });
    // The transition 3.0 played to get there, as it printed it.
    expect(read('crm_simulate_S.active-failed.pcmk-3.0.0.txt')).toMatch(/Promote\s+p_drbd_r0:0\s+\(\s*Unpromoted -> Promoted node1\s*\)/);
  });
});
