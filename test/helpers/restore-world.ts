// The running demo lab's captures as a restore sees them (node1 Primary, snapshot vg0/snap1 of 19:31:36,
// the CIB's Filesystem on /srv/nfs), answering after the changes made so far: findmnt shows the snapshot
// mounted once mount ran (and not after umount), diff agrees once cp ran. For CaptureNode.
import { resolve } from 'node:path';
import type { Argv } from '../../src/exec/runner.js';
import { FACT_ARGV } from '../../src/plan/actions/cluster-facts.js';
import { findmntAt } from '../../src/plan/actions/snapshot-steps.js';
import { STORAGE_ARGV } from '../../src/plan/actions/storage-facts.js';
import { CaptureNode, type Reply } from './capture-node.js';

const ROOT = resolve(import.meta.dirname, '../..');
const RUN = (n: string, f: string) => `${ROOT}/demo-lab/running/${n}/${f}`;
const FIX = (f: string) => `${ROOT}/test/fixtures/recovery/${f}`;
const ACT = (f: string) => `${ROOT}/test/fixtures/actions/${f}`;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function restoreWorld(name: string) {
  return (argv: Argv, changes: { node: string; argv: Argv }[]): Reply => {
    const did = (w: string) => changes.some((c) => c.node === name && c.argv[0] === w);
    if (same(argv, FACT_ARGV.events2Now)) return { file: RUN(name, `drbdsetup_events2_now_statistics.pcmk-managed.${name}.txt`) };
    if (same(argv, FACT_ARGV.crmMon)) return { file: RUN('node1', 'crm_mon_1_xml.nfs-running.node1.xml') };
    if (same(argv, FACT_ARGV.cib)) return { file: RUN('node1', 'cibadmin_Q.nfs-running.xml') };
    if (same(argv, STORAGE_ARGV.lsblk)) return { file: name === 'node1' ? RUN('node1', 'lsblk_J_b_O.full-stack-active.node1.json') : RUN('node2', 'lsblk_J_b_O.full-stack-passive.node2.json') };
    if (same(argv, STORAGE_ARGV.vgs)) return { file: RUN(name, name === 'node1' ? 'vgs_reportformat_json_units_b.snapshot-fresh.node1.json' : 'vgs_reportformat_json_units_b.no-snapshot.node2.json') };
    if (same(argv, STORAGE_ARGV.lvs)) return { file: RUN(name, name === 'node1' ? 'lvs_o_+snap_percent,lv_time_reportformat_json_units_b.snapshot-written.node1.json' : 'lvs_reportformat_json_units_b.no-snapshot.node2.json') };
    if (argv[0] === 'stat' && argv[1] === '-c' && argv[2] === '%s %Y %F') return { file: FIX('stat_c_size_mtime_type.regular-file.txt') };
    if (same(argv, findmntAt('/mnt/hanfs-snapshot/snap1'))) {
      const mounted = did('mount') && !did('umount');
      return mounted ? { file: ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.snapshot-mounted-ro-noload.txt') } : { file: ACT('findmnt_n_o_SOURCE,OPTIONS_mountpoint.not-mounted.txt'), exitCode: 1 };
    }
    if (argv[0] === 'diff') return did('cp') ? { file: FIX('diff_rq.same.txt') } : { file: FIX('diff_rq.same.txt'), exitCode: 2 };
    return null;
  };
}

/** Both nodes of the running cluster for a restore, sharing one record of the changes made. */
export function restoreCluster() {
  const changes: { node: string; argv: Argv }[] = [];
  const nodes = ['node1', 'node2'].map((n) => ({ name: n, runner: new CaptureNode(n, { log: changes, answer: restoreWorld(n) }) }));
  return { changes, nodes };
}
