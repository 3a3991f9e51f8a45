// A snapshot really mounted: the lab's capture after `snapshot create` and `snapshot mount` on lab2 (the
// Primary), taken at the end of a full e2e with every action drill (test/fixtures/lab/snapshot-mounted).
// The storage facts must find the mount in lsblk's tree (device-mapper stacks the snapshot beside the LV's
// -real and -cow devices), list it, and refuse its removal: the other snapshot tests set the mount by hand.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { snapshotListAction, snapshotRemoveAction } from '../../../src/plan/actions/snapshot.js';
import { STORAGE_ARGV, storageFactsFrom } from '../../../src/plan/actions/storage-facts.js';
import { parseCibFacts } from '../../../src/probes/cib-facts.js';
import { CIB, ROOT, res, runningFacts as facts } from '../../helpers/storage-captures.js';

const L = (f: string) => `${ROOT}/test/fixtures/lab/snapshot-mounted/${f}`;
const SNAP = 'lv_nfs_snap_20261207T195148Z';
/** Five minutes after the snapshot's lv_time. */
const NOW = Date.parse('2026-12-07T19:56:48Z');

function storage() {
  const cib = parseCibFacts(readFileSync(CIB, 'utf8'));
  if (!cib.ok) throw new Error(cib.error);
  // The capture's lvs has -a (hidden LVs too); a thick snapshot has none, so its rows are lvs's rows.
  return storageFactsFrom(cib.facts, null, (['lab1', 'lab2'] as const).map((name) => ({
    name,
    lsblk: res(STORAGE_ARGV.lsblk, L(`lsblk_J_b_O.${name}.json`)),
    vgs: res(STORAGE_ARGV.vgs, L(`vgs_reportformat_json_units_b.${name}.json`)),
    lvs: res(STORAGE_ARGV.lvs, L(`lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${name}.json`)),
  })));
}
const nodes = [{ name: 'lab1', runner: null as never }, { name: 'lab2', runner: null as never }];

describe('a snapshot mounted on the lab (real lsblk, vgs, lvs)', () => {
  it('finds the mount of lab2\'s snapshot in lsblk, and none on lab1', () => {
    const [lab1, lab2] = storage().nodes;
    expect(lab1).toMatchObject({ error: null, vg: 'vg_nfs', lv: 'lv_nfs', snapshots: [] });
    expect(lab2).toMatchObject({ error: null, vg: 'vg_nfs', lv: 'lv_nfs' });
    expect(lab2!.snapshots.map((s) => [s.name, s.timer, s.mountpoints])).toEqual([[SNAP, true, [`/mnt/hanfs-snapshot/${SNAP}`]]]);
    expect(lab2!.mounts).toContainEqual({ device: `vg_nfs-${SNAP}`, dir: `/mnt/hanfs-snapshot/${SNAP}` });
  });

  it('the list says where it is mounted; remove is refused until it is unmounted', () => {
    const st = storage();
    const list = snapshotListAction.plan({ nodes, facts: facts(), args: { now: NOW } }, st);
    expect(list.facts.join('\n')).toContain(`mounted at /mnt/hanfs-snapshot/${SNAP}`);
    const args = snapshotRemoveAction.parse([`lab2:${SNAP}`], {});
    if (!args.ok) throw new Error(args.error.message);
    const plan = snapshotRemoveAction.plan({ nodes, facts: facts(), args: { ...args.args, now: NOW } }, st);
    expect(plan.refusals).toEqual([`${SNAP} is mounted at /mnt/hanfs-snapshot/${SNAP} on lab2: unmount it first (hanfs-wizard snapshot unmount lab2:${SNAP})`]);
  });
});
