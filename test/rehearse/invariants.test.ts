// The invariants as pure functions over one state: each one fires on the state it forbids and stays
// quiet on a healthy one. (Views are built by hand: they are data structures, not captured output.)
import { describe, expect, it } from 'vitest';
import { checkExpectation, checkState, eligibleNodes, serviceNode, viewOf, type CheckContext, type StateView } from '../../src/rehearse/invariants.js';
import { parseCrmMon } from '../../src/probes/crm-mon.js';
import { readFileSync } from 'node:fs';

const SERVICE = ['p_fs', 'p_nfsserver', 'p_exportfs_1', 'p_vip'];
const ctx = (over: Partial<CheckContext> = {}): CheckContext => ({
  drbdPrimitive: 'p_drbd_r0',
  service: SERVICE,
  pingAttribute: 'pingd',
  whenAllLost: 'stop',
  banned: new Set(),
  ...over,
});
const healthy = { pingd: '1000', 'master-p_drbd_r0': '10000' };

function view(over: Partial<StateView> = {}, on: string | null = 'n1'): StateView {
  return {
    nodes: [
      { name: 'n1', online: true, standby: false },
      { name: 'n2', online: true, standby: false },
    ],
    promoted: on ? [on] : [],
    drbdRunning: ['n1', 'n2'],
    running: Object.fromEntries(SERVICE.map((id) => [id, on ? [on] : []])),
    attributes: { n1: { ...healthy }, n2: { ...healthy } },
    ...over,
  };
}

const ids = (v: StateView, c = ctx()) => checkState(v, c).map((x) => x.invariant);

describe('invariants', () => {
  it('hold in a healthy state', () => {
    expect(checkState(view(), ctx())).toEqual([]);
    expect(serviceNode(view())).toBe('n1');
  });

  it('drbd-runs-everywhere fires when an online node runs no DRBD instance, not for an offline one', () => {
    expect(ids(view({ drbdRunning: ['n1'] }))).toContain('drbd-runs-everywhere');
    const off = view({ drbdRunning: ['n1'] });
    off.nodes[1]!.online = false;
    expect(ids(off)).toEqual([]);
  });

  it('one-promoted fires on two Promoted instances', () => {
    expect(ids(view({ promoted: ['n1', 'n2'] }))).toContain('one-promoted');
  });

  it('service-together-on-promoted fires on a split service and on a service away from the Promoted node', () => {
    const split = view();
    split.running['p_vip'] = ['n2'];
    expect(serviceNode(split)).toBe('split');
    expect(ids(split)).toContain('service-together-on-promoted');
    const partly = view();
    partly.running['p_vip'] = [];
    expect(ids(partly)).toContain('service-together-on-promoted');
    expect(ids(view({ promoted: ['n2'] }))).toContain('service-together-on-promoted');
  });

  it('service-where-allowed fires when the service is down but a node could run it, or runs where ping forbids', () => {
    expect(ids(view({}, null))).toContain('service-where-allowed');
    const noPing = view();
    noPing.attributes['n1']!['pingd'] = '0';
    expect(ids(noPing)).toContain('service-where-allowed');
    // With "stay", a node without ping may serve when no node has ping...
    const bothLost = view();
    bothLost.attributes['n1']!['pingd'] = '0';
    bothLost.attributes['n2']!['pingd'] = '0';
    expect(ids(bothLost, ctx({ whenAllLost: 'stay' }))).toEqual([]);
    expect(ids(bothLost, ctx({ whenAllLost: 'stop' }))).toContain('service-where-allowed');
    // ...but not while the other node has it.
    expect(ids(noPing, ctx({ whenAllLost: 'stay' }))).toContain('service-where-allowed');
    expect(ids(view(), ctx({ banned: new Set(['n1']) }))).toContain('service-where-allowed');
  });

  it('no-stale-data fires on a Promoted node without UpToDate data', () => {
    const stale = view({}, 'n2');
    stale.attributes['n2']!['master-p_drbd_r0'] = '0';
    stale.nodes[0]!.online = false;
    expect(ids(stale)).toEqual(expect.arrayContaining(['no-stale-data', 'service-where-allowed']));
    expect(eligibleNodes(stale, ctx())).toEqual([]);
  });

  it('checks the scenario\'s expected end', () => {
    expect(checkExpectation('stays', 'x', 'n1', 'n1')).toEqual([]);
    expect(checkExpectation('stays', 'x', 'n1', 'n2')[0]?.invariant).toBe('expected-outcome');
    expect(checkExpectation('moves', 'x', 'n1', 'n2')).toEqual([]);
    expect(checkExpectation('moves', 'x', 'n1', null)).toHaveLength(1);
    expect(checkExpectation('stopped', 'x', 'n1', null)).toEqual([]);
    expect(checkExpectation('runs', 'x', 'n1', 'split')).toHaveLength(1);
  });

  it('reads a real crm_mon capture from the lab (NFS running with ping on node1)', () => {
    // test/fixtures/monitor/SOURCE.md: captured on the QEMU lab of LAB.md.
    const mon = parseCrmMon(readFileSync('test/fixtures/monitor/crm_mon_1A_xml.nfs-running-with-ping.node1.xml', 'utf8'));
    if (!mon.ok) throw new Error('fixture does not parse');
    const v = viewOf(mon, { drbdPrimitive: 'p_drbd_r0', service: ['p_fs', 'p_nfsserver', 'p_exportfs', 'p_ip'] });
    expect(v.promoted).toHaveLength(1);
    expect(serviceNode(v)).toBe(v.promoted[0]);
    expect(checkState(v, ctx({ service: ['p_fs', 'p_nfsserver', 'p_exportfs', 'p_ip'] }))).toEqual([]);
  });
});
