// The D key's node, from the monitor's states built on the demo lab's recordings: node1's md0 with vdc
// failed (degraded-raid), the running cluster's clean arrays, and nothing read yet.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { degradedNodes, diskReplaceArgs } from '../../../src/screens/monitor/disk-replace-key.js';
import { diskReplaceAction } from '../../../src/plan/actions/disk-replace.js';
import { initialState } from '../../../src/monitor/model.js';
import { reduceAll } from '../../../src/monitor/reducer.js';
import { DEMO_T, demoMonitorState } from '../../helpers/demo-monitor-state.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FAULTY = readFileSync(`${ROOT}/demo-lab/degraded-raid/node1/proc_mdstat.degraded-vdc-faulty.node1.txt`, 'utf8');
const degraded = () => demoMonitorState('degraded-raid', { mdstat: 'proc_mdstat.degraded-vdc-faulty' });

describe('D: the node whose disk is replaced', () => {
  it('is the node with the degraded array, whatever is selected; its positionals are what disk replace parses', () => {
    expect(degradedNodes(degraded())).toEqual(['node1']);
    for (const sel of [null, { node: 'node2', resource: null }]) {
      const a = diskReplaceArgs(sel, degraded());
      expect(a).toEqual({ ok: true, positionals: ['replace', 'node1'] });
      if (a.ok) expect(diskReplaceAction.parse(a.positionals, {})).toMatchObject({ ok: true, args: { node: 'node1', disk: null } });
    }
  });

  it('no degraded array: one line saying why the key does nothing (and which nodes were not read yet)', () => {
    expect(diskReplaceArgs(null, demoMonitorState('running'))).toEqual({ ok: false, why: 'no RAID array is degraded (mdstat): no disk to replace' });
    // The lab's node1 after the rebuild: clean again.
    expect(diskReplaceArgs(null, demoMonitorState('degraded-raid', { mdstat: 'proc_mdstat.clean-after-recovery' }))).toMatchObject({ ok: false });
    const unread = initialState([{ name: 'node1', target: 'x' }, { name: 'node2', target: 'y' }], DEMO_T);
    expect(diskReplaceArgs(null, unread)).toEqual({ ok: false, why: 'no RAID array is degraded (mdstat); not read yet on node1, node2: no disk to replace' });
  });

  it('both nodes degraded: the selected one; none selected: says to select', () => {
    // node2 reporting the same (real) degraded mdstat capture as node1.
    const both = reduceAll(degraded(), [{ type: 'mdstat', node: 'node2', at: DEMO_T, text: FAULTY }]);
    expect(degradedNodes(both)).toEqual(['node1', 'node2']);
    expect(diskReplaceArgs(null, both)).toEqual({ ok: false, why: 'RAID degraded on node1 and node2: select the node whose disk to replace (up/down), then press the key again' });
    expect(diskReplaceArgs({ node: 'node2', resource: 'r0' }, both)).toEqual({ ok: true, positionals: ['replace', 'node2'] });
  });
});
