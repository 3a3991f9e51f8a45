import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../../src/answers/schema.js';
import type { RunResult } from '../../src/exec/runner.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { cibDifferences, cibSection } from '../../src/generate/cib-merge.js';
import { lvSizeArgs } from '../../src/plan/phases/storage.js';
import { nodeFileSpecs } from '../../src/plan/node-files.js';
import { planSteps } from '../../src/plan/plan.js';
import { STATD_DIR } from '../../src/generate/nfs-conf.js';
import { type PlanStep, type ProbeCheck } from '../../src/plan/types.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { loadAnswersFile } from '../../src/answers/load.js';
import { pinDisksArgv } from '../../src/plan/disk-pins.js';
import { mdMembersResult } from '../helpers/md-members.js';

const CAPTURES = join(import.meta.dirname, '../fixtures/lab-captures');
const FIX = join(import.meta.dirname, '../fixtures/apply');
/** A real capture as the runner would return it (exit code from the capture logs). */
function captured(rel: string, exitCode = 0, into: 'stdout' | 'stderr' = 'stdout'): RunResult {
  const text = readFileSync(join(rel.startsWith('/') ? '' : CAPTURES, rel), 'utf8');
  return { argv: [], exitCode, stdout: into === 'stdout' ? text : '', stderr: into === 'stderr' ? text : '', timedOut: false, aborted: false, durationMs: 1 };
}

async function lab(): Promise<Answers> {
  const r = await loadAnswersFile(join(FIX, 'done-answers.yaml'));
  if (!r.ok) throw new Error('fixture answers do not load');
  return r.answers;
}

const byId = (steps: PlanStep[], id: string) => {
  const s = steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
};
const probe = (s: PlanStep): ProbeCheck => {
  if (s.check?.kind !== 'probe') throw new Error(`${s.id} has no probe check`);
  return s.check;
};

describe('planSteps', () => {
  it('installs exactly the node files the export tree carries (targets, modes, secret flags)', async () => {
    for (const file of EXAMPLE_FILES) {
      const { answers } = await loadExample(file);
      const tree = buildExportFiles(answers, [], generateSecrets(answers)).filter((f) => f.node === answers.nodes[0].name && f.target);
      expect(nodeFileSpecs(answers).map((f) => [f.target, f.mode, f.secret]).sort()).toEqual(tree.map((f) => [f.target, f.mode, f.secret]).sort());
      const steps = planSteps(answers);
      for (const n of answers.nodes) for (const f of nodeFileSpecs(answers)) expect(steps.some((s) => s.id === `${n.name}/file:${f.target}`)).toBe(true);
    }
  });

  it('never puts a user value into a shell script: values travel as positional arguments', async () => {
    for (const file of EXAMPLE_FILES) {
      const { answers } = await loadExample(file);
      const values = [
        ...answers.nodes.flatMap((n) => [n.name, ...n.disks]), answers.raid.device, answers.lvm.vg, answers.lvm.lv,
        answers.drbd.resource, answers.drbd.device, answers.filesystem.mount, ...answers.nfs.exports.map((e) => e.path),
      ];
      for (const s of planSteps(answers)) {
        for (const argv of [...s.commands, ...(s.check ? [s.check.argv] : []), ...(s.verify ? [s.verify.argv] : [])]) {
          expect(Array.isArray(argv)).toBe(true);
          if (argv[0] === 'sh') {
            expect(argv[1]).toBe('-c');
            for (const v of values) expect(argv[2], `${s.id}: ${v}`).not.toContain(v);
          }
        }
      }
    }
  });

  it('NFSv3: each node gets statd\'s directory where the cluster\'s agents look (hanfs.conf moves statd there); NFSv4 only: none', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    for (const versions of [[3], [3, 4], [4]] as (3 | 4)[][]) {
      const a: Answers = { ...answers, nfs: { ...answers.nfs, versions } };
      const steps = planSteps(a);
      for (const n of a.nodes) {
        const s = steps.find((x) => x.id === `${n.name}/statd-dir`);
        if (!versions.includes(3)) {
          expect(s).toBeUndefined();
          continue;
        }
        // sm/ and sm.bak/ owned by statd, like Debian's own /var/lib/nfs/sm; checked by the directory itself.
        expect(s!.commands).toEqual([
          ['mkdir', '-p', STATD_DIR, `${STATD_DIR}/sm`, `${STATD_DIR}/sm.bak`],
          ['chown', 'statd:nogroup', STATD_DIR, `${STATD_DIR}/sm`, `${STATD_DIR}/sm.bak`],
        ]);
        expect(probe(s!).argv).toEqual(['test', '-d', `${STATD_DIR}/sm.bak`]);
        // Before the cluster can start the NFS server anywhere (the agent looks for it before its bind mount).
        const order = steps.map((x) => x.id);
        expect(order.indexOf(s!.id)).toBeLessThan(order.indexOf('cluster/cib'));
        expect(order.indexOf(s!.id)).toBeGreaterThan(order.indexOf(`${n.name}/file:/etc/nfs.conf.d/hanfs.conf`));
      }
    }
  });

  it('marks the destructive steps and names the disks the RAID step wipes', async () => {
    const a = await lab();
    const steps = planSteps(a);
    expect(steps.filter((s) => s.destructive).map((s) => s.id).sort()).toEqual(
      ['cluster/initial-sync', 'cluster/mkfs', 'node1/create-md', 'node1/pvcreate', 'node1/raid', 'node2/create-md', 'node2/pvcreate', 'node2/raid'].sort(),
    );
    expect(byId(steps, 'node1/raid').wipes).toEqual(['/dev/vdb', '/dev/vdc']);
    // The disks' identities are pinned on the node first (issue 25), then the array is made of them.
    expect(byId(steps, 'node1/raid').commands[0]).toEqual(pinDisksArgv(['/dev/vdb', '/dev/vdc']));
    expect(byId(steps, 'node1/raid').commands[1]).toEqual(['mdadm', '--create', '/dev/md0', '--run', '--metadata=1.2', '--level=1', '--raid-devices=2', '--homehost=any', '--name=0', '/dev/vdb', '/dev/vdc']);
    // The destructive steps without disks name the device they overwrite: reviewed and confirmed like a disk.
    expect(steps.filter((s) => s.overwrites).map((s) => `${s.id} ${s.overwrites}`)).toEqual(['node1/pvcreate /dev/md0', 'node1/create-md /dev/vg0/nfs', 'node2/pvcreate /dev/md0', 'node2/create-md /dev/vg0/nfs']);
    // The wildcard homehost keeps the name at boot with the initramfs as it is: no rebuild is planned.
    expect(steps.flatMap((s) => s.commands.flat()).some((x) => /update-initramfs|dracut/.test(x))).toBe(false);
    expect(byId(steps, 'node1/lvcreate').commands[0]).toContain('80%VG');
    expect(lvSizeArgs('500G')).toEqual(['-L', `${500 * 2 ** 30}b`]);
  });

  it('skips the initial sync with the clear-bitmap command of the node\'s DRBD version, or syncs fully', async () => {
    const a = await lab();
    // The forms of the DRBD 9 user's guide and of drbdsetup(8) for 8.4 (plan-drbd-skip.test.ts runs them).
    expect(byId(planSteps(a), 'cluster/initial-sync').commands).toEqual([['drbdadm', 'new-current-uuid', '--clear-bitmap', 'r0']]);
    expect(byId(planSteps({ ...a, drbd: { ...a.drbd, version: '9' } }), 'cluster/initial-sync').commands).toEqual([['drbdadm', 'new-current-uuid', '--clear-bitmap', 'r0/0']]);
    const full = byId(planSteps({ ...a, drbd: { ...a.drbd, initialSync: 'full' } }), 'cluster/initial-sync');
    expect(full.commands).toEqual([['drbdadm', 'primary', '--force', 'r0']]);
    expect(full.verify?.progress).toBe('drbd-sync');
  });
});

describe('state checks on real captured node states', () => {
  it('fresh nodes (bare captures): nothing built yet', async () => {
    const steps = planSteps(await lab());
    const bare = mdMembersResult({ detail: null, lsblk: 'lsblk_J_b_O.bare.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' });
    expect(probe(byId(steps, 'node1/raid')).judge(bare)).toBe(false);
    expect(probe(byId(steps, 'node1/raid')).refuse!(bare)).toBe(null);
    expect(probe(byId(steps, 'node1/lvcreate')).judge(captured('bare-nodes/lvs_reportformat_json_units_b.bare.node1.json'))).toBe(false);
    expect(probe(byId(steps, 'node1/drbd-up')).judge(captured('bare-nodes/drbdadm_status.bare-module-loaded-no-resource.node1.txt', 10, 'stderr'))).toBe(false);
    expect(probe(byId(steps, 'node1/modprobe')).judge(captured('bare-nodes/proc_drbd.module-not-loaded.node1.txt', 1, 'stderr'))).toBe(false);
    expect(probe(byId(steps, 'node1/cluster-start')).judge(captured('bare-nodes/crm_mon_1_xml.bare-pacemaker-stopped.node1.xml', 102))).toBe(false);
  });

  it('half-done: RAID resyncing counts as created; DRBD connected but Inconsistent still needs its initial sync', async () => {
    const steps = planSteps(await lab());
    const resyncing = mdMembersResult({ detail: 'mdadm_detail_md0.resyncing.node1.txt', lsblk: 'lsblk_J_b_O.md-resyncing.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' });
    expect(probe(byId(steps, 'node1/raid')).judge(resyncing)).toBe(true);
    expect(probe(byId(steps, 'node1/raid')).refuse!(resyncing)).toBe(null);
    const connect = probe(byId(steps, 'cluster/drbd-connect'));
    const sync = probe(byId(steps, 'cluster/initial-sync'));
    const inconsistent = captured('manual-run/drbdadm_status.connected-inconsistent.node1.txt');
    expect(connect.judge(inconsistent)).toBe(true);
    expect(sync.judge(inconsistent)).toBe(false);
    const syncing = captured('drbd-streams/drbdadm_status.initial-syncsource.node1.txt');
    expect(connect.judge(syncing)).toBe(true);
    expect(sync.judge(syncing)).toBe(false);
    // A peer that went away is not "connected".
    expect(connect.judge(captured('drbd-streams/drbdadm_status.peer-lost-wfconnection.node1.txt'))).toBe(false);
    // Cluster started but no resources yet: both nodes online (the wait passes), but the cluster has not
    // taken over DRBD, so its check is not done (it would imply the DRBD steps: plan-implied.test.ts),
    // and the service is not settled.
    const noRes = captured('e2e-run/03-cluster-no-resources/crm_mon_1_xml.node1.xml');
    expect(probe(byId(steps, 'cluster/cluster-online')).judge(noRes)).toBe(false);
    expect(byId(steps, 'cluster/cluster-online').verify!.judge(noRes)).toBe(true);
    expect(byId(steps, 'cluster/settle').verify!.judge(noRes)).toBe(false);
  });

  it('done: every state probe of a running cluster says done; a failover in progress is not "settled"', async () => {
    const steps = planSteps(await lab());
    expect(probe(byId(steps, 'node1/raid')).judge(mdMembersResult({ detail: 'mdadm_detail_md0.clean.node1.txt', lsblk: 'lsblk_J_b_O.full-stack-active.node1.json', byId: 'ls_l_dev_disk_by-id.bare.node1.txt' }))).toBe(true);
    expect(probe(byId(steps, 'node1/lvcreate')).judge(captured('manual-run/lvs_reportformat_json.node1.json'))).toBe(true);
    const status = captured('manual-run/drbdadm_status.pcmk-managed.node2.txt');
    expect(probe(byId(steps, 'node2/drbd-up')).judge(status)).toBe(true);
    expect(probe(byId(steps, 'cluster/initial-sync')).judge(status)).toBe(true);
    expect(byId(steps, 'node2/verify-drbd').verify!.judge(status)).toBe(true);
    const running = captured('manual-run/crm_mon_1_xml.nfs-running.node1.xml');
    expect(byId(steps, 'cluster/settle').verify!.judge(running)).toBe(true);
    expect(byId(steps, 'cluster/verify-mount').verify!.judge(running)).toBe(true);
    expect(byId(steps, 'cluster/verify-export').verify!.judge(captured('manual-run/showmount_e_vip.from-node2.txt'))).toBe(true);
    expect(byId(steps, 'cluster/settle').verify!.judge(captured('pacemaker/crm_mon_1_xml.active-killed-transition-05.node2.xml'))).toBe(false);
    // A failed action stays until `crm_resource --cleanup`, even after Pacemaker recovered the service:
    // not settled, and a blocker (waiting cannot clear it) that names the operation, node and status.
    const recovered = captured('pacemaker/crm_mon_1_xml.failed-action-recovered.node1.xml');
    expect(byId(steps, 'cluster/settle').verify!.judge(recovered)).toBe(false);
    expect(byId(steps, 'cluster/settle').verify!.blockers!(recovered)!.lines.join('\n')).toMatch(/p_nfsserver monitor \(every 30 s\) on node2 returned 'not running' \(exit 7\)/);
  });

  it('the final DRBD verify waits out a reconnect and its resync, explains what it saw, and stops at once only when stuck', async () => {
    // The project lab's answers (resource nfsdata, nodes lab1/lab2): the cluster of the fence-handler captures.
    const projectLab = await loadAnswersFile(join(import.meta.dirname, '../lab/lab-answers.yaml'));
    if (!projectLab.ok) throw new Error('test/lab/lab-answers.yaml does not load');
    const v = byId(planSteps(projectLab.answers), 'lab1/verify-drbd').verify!;
    // A CI apply (2026-11-27) failed its one-shot verify on this tail of a resync (fence-handler/SOURCE.md).
    const tail = captured(join(FIX, 'fence-handler/drbdadm_status.ci-syncsource-100.lab1.txt'));
    expect(v.judge(tail)).toBe(false);
    expect(v.waitMs).toBeGreaterThanOrEqual(120_000);
    expect(v.progress).toBe('drbd-resync');
    expect(v.blockers!(tail)).toBeNull();
    expect(v.explain!(tail)).toEqual(['peer peer: SyncSource, 100.00% done, its disk Inconsistent']);
    expect(v.advice!(tail)).toMatch(/^a resync is still running: follow it with hanfs-wizard monitor/);
    // The replication link cut on the lab: the advice names the peer's replication address and DRBD's port.
    const cut = captured(join(FIX, 'fence-handler/drbdadm_status.fenced.lab2.txt'));
    expect(byId(planSteps(projectLab.answers), 'lab2/verify-drbd').verify!.advice!(cut))
      .toBe('DRBD on lab2 cannot reach its peer over the replication link: check it (ping 192.168.102.11 from lab2, TCP port 7789 open both ways, DRBD up on lab1), then run apply again.');
    expect(byId(planSteps(await lab()), 'node1/verify-drbd').verify!.judge(captured('manual-run/drbdadm_status.pcmk-managed.node1.txt'))).toBe(true);
    // StandAlone: `drbdadm up` passes through it for a moment, so only a second reading in a row blocks.
    const sb = captured('drbd-streams/drbdadm_status.split-brain-standalone.node1.txt');
    const fresh = byId(planSteps(await lab()), 'node1/verify-drbd').verify!;
    expect(fresh.blockers!(sb)).toBeNull();
    expect(fresh.blockers!(sb)!.lines).toEqual(['r0 is StandAlone: not connected to its peer and not trying to connect']);
    expect(fresh.blockers!(captured('manual-run/drbdadm_status.pcmk-managed.node1.txt'))).toBeNull();
    expect(fresh.blockers!(sb)).toBeNull();
    expect(fresh.explain!({ ...sb, exitCode: 10, stdout: '' })).toEqual(['drbdadm status exited 10']);
  });

  it('the CIB check compares the live CIB section by section', async () => {
    const a = await lab();
    const ours = renderCibXml(a);
    const live = readFileSync(join(CAPTURES, 'manual-run/cibadmin_Q.nfs-running.xml'), 'utf8');
    // The lab's hand-written CIB has other resource ids: resources and constraints differ.
    expect(cibDifferences(live, ours)).toEqual(expect.arrayContaining(['resources', 'constraints']));
    // The live CIB with our sections in place: nothing to change, even with Pacemaker's own properties.
    let merged = live;
    for (const s of ['resources', 'constraints', 'rsc_defaults'] as const) merged = merged.replace(cibSection(merged, s) ?? '</configuration>', `${cibSection(ours, s)}${cibSection(merged, s) ? '' : '</configuration>'}`);
    const liveCrm = cibSection(merged, 'crm_config')!;
    const ourCrmInner = cibSection(ours, 'crm_config')!.replace(/^<crm_config>|<\/crm_config>$/g, '');
    merged = merged.replace(liveCrm, liveCrm.replace('</crm_config>', `${ourCrmInner}</crm_config>`));
    expect(cibDifferences(merged, ours)).toEqual([]);
    // A new stickiness changes the resource defaults (and possibly the ping multiplier derived from it,
    // cib-model.ts), never the constraints or the cluster properties.
    const changed = cibDifferences(merged, renderCibXml({ ...a, pacemaker: { ...a.pacemaker, stickiness: 150 } }));
    expect(changed).toContain('rsc_defaults');
    expect(changed).not.toContain('constraints');
    expect(changed).not.toContain('crm_config');
  });
});
