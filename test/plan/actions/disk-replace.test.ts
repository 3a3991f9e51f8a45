// disk replace planned from the lab's real captures (node1: md0 with vdc failed, vdb surviving; its disks
// vdd with an old ext4, vde 32 MiB, vdf 512 MiB blank), then run by the one engine: the failed member
// failed and removed, the new disk added, mdadm.conf's DEVICE line, the read-back that must find the new
// disk in the array (the lab's own recovery re-added vdc: the read-back refuses to call that done).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv } from '../../../src/exec/runner.js';
import { READ_PINS_ARGV } from '../../../src/plan/disk-pins.js';
import { diskReplaceAction, MDADM_CONF, type DiskReplaceArgs } from '../../../src/plan/actions/disk-replace.js';
import type { DiskReplaceRead } from '../../../src/plan/actions/disk-replace-facts.js';
import { mdadmConfWith } from '../../../src/plan/actions/disk-replace-facts.js';
import { replaceAnswersDisk } from '../../../src/plan/actions/answers-disks.js';
import { readClusterFacts } from '../../../src/plan/actions/cluster-facts.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import { loadAnswersFile } from '../../../src/answers/load.js';
import { renderMdadmConf } from '../../../src/generate/mdadm-conf.js';
import { CaptureNode, type Reply } from '../../helpers/capture-node.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = (f: string) => `${ROOT}/test/fixtures/recovery/${f}`;
const DETAIL = { faulty: FIX('mdadm_detail_md0.degraded-vdc-faulty.node1.txt'), removed: FIX('mdadm_detail_md0.degraded-vdc-removed.node1.txt'), recovering: FIX('mdadm_detail_md0.recovering.node1.txt'), clean: FIX('mdadm_detail_md0.clean.node1.txt') };
const WIPEFS: Record<string, string> = {
  vdb: FIX('wipefs_n_json_vdb.in-use-raid-member.node1.txt'),
  vdc: FIX('wipefs_n_json_vdc.in-use-raid-member.node1.txt'),
  vdd: FIX('wipefs_n_json_vdd.bare.node1.txt'),
  vde: FIX('wipefs_n_json_vde.bare.node1.txt'),
  vdf: FIX('wipefs_n_json_vdf.bare.node1.txt'),
};
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The md0 of node1 as the changes leave it: faulty, removed after --remove, then the lab's recovery states. */
function node1(start: keyof typeof DETAIL, conf: string | null) {
  return (argv: Argv, changes: { node: string; argv: Argv }[]): Reply => {
    const did = (w: string) => changes.some((c) => c.argv[0] === 'mdadm' && c.argv.includes(w));
    if (same(argv, ['mdadm', '--detail', '/dev/md0'])) return { file: did('--add') ? DETAIL.recovering : did('--remove') ? DETAIL.removed : DETAIL[start] };
    // The disk review reads apply's pin record too (issue 25); the lab's nodes were never pinned: no file.
    if (same(argv, READ_PINS_ARGV)) return 'missing';
    if (same(argv, ['cat', '/proc/mdstat'])) return { file: FIX(did('--add') ? 'proc_mdstat.recovering.node1.txt' : 'proc_mdstat.degraded-vdc-faulty.node1.txt') };
    if (same(argv, ['lsblk', '-J', '-b', '-O'])) return { file: FIX('lsblk_J_b_O.full-stack-active.node1.json') };
    if (same(argv, ['ls', '-l', '/dev/disk/by-id/'])) return { file: FIX('ls_l_dev_disk_by-id.bare.node1.txt') };
    if (argv[0] === 'wipefs') return { file: WIPEFS[argv[3]!.replace('/dev/', '')]! };
    if (same(argv, ['cat', MDADM_CONF])) {
      if (conf === null) return 'missing';
      const written = [...changes].reverse().find((c) => c.argv[0] === 'tee');
      return written ? null : { file: conf };
    }
    if (argv[0] === 'crm_mon' || argv[0] === 'cibadmin' || argv[0] === 'drbdsetup') return 'missing';
    return null;
  };
}

function cluster(start: keyof typeof DETAIL, conf: string | null = null) {
  const changes: { node: string; argv: Argv }[] = [];
  const nodes = [
    { name: 'node1', runner: new CaptureNode('node1', { log: changes, answer: node1(start, conf) }) },
    { name: 'node2', runner: new CaptureNode('node2', { log: changes, answer: () => 'missing' }) },
  ];
  return { changes, nodes };
}

const args = (pos: string[], flags: Record<string, string> = {}): DiskReplaceArgs => {
  const r = diskReplaceAction.parse(pos, flags);
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};

describe('disk replace: the plan', () => {
  it('names the failed member and the one eligible disk (vdf), refusing the others for the wizard\'s reasons', async () => {
    const c = cluster('faulty');
    const plan = await prepareAction(diskReplaceAction, c.nodes, args(['replace', 'node1']));
    expect(plan.refusals).toEqual([]);
    const text = formatActionPlan(plan).join('\n');
    expect(text).toContain('failed member (still listed): /dev/vdc');
    expect(text).toContain('surviving member: /dev/vdb');
    expect(text).toMatch(/replacement: \/dev\/vdf \(512 MiB.*\/dev\/disk\/by-id\/virtio-HANFS-N1-SPARE\)/);
    expect(plan.steps.map((s) => s.commands)).toEqual([
      [['mdadm', '--manage', '/dev/md0', '--fail', '/dev/vdc'], ['mdadm', '--manage', '/dev/md0', '--remove', '/dev/vdc']],
      [['mdadm', '--manage', '/dev/md0', '--add', '/dev/vdf']],
      [],
    ]);
    expect(plan.steps[1]!.wipes).toEqual(['/dev/vdf']);
    expect(plan.steps.some((s) => s.commands.some((x) => x[0]!.startsWith('crm') || x[0] === 'pcs'))).toBe(false);
    expect(plan.confirm).toMatchObject({ kind: 'typed', words: '/dev/vdf' });
  });

  it('a member already removed: nothing to fail, the new disk is added', async () => {
    const plan = await prepareAction(diskReplaceAction, cluster('removed').nodes, args(['replace', 'node1']));
    expect(plan.facts.join('\n')).toContain('missing member: 1 slot(s) "removed"');
    expect(plan.steps[0]!.commands).toEqual([['mdadm', '--manage', '/dev/md0', '--add', '/dev/vdf']]);
  });

  it('a clean array: nothing to replace (refused with how to fail a working disk first)', async () => {
    const plan = await prepareAction(diskReplaceAction, cluster('clean').nodes, args(['replace', 'node1']));
    expect(plan.refusals[0]).toMatch(/lists no faulty or removed member/);
    expect(plan.steps).toEqual([]);
  });

  it('bad input, one clear error each: no such node; a disk in use, too small, with a signature, the surviving member, absent', async () => {
    const bad = async (a: DiskReplaceArgs) => (await prepareAction(diskReplaceAction, cluster('faulty').nodes, a)).bad;
    expect(await bad(args(['replace', 'node3']))).toEqual({ field: 'NODE', message: '"node3" is not a node of this cluster; its nodes: node1, node2' });
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/vdb' })))?.message).toMatch(/\/dev\/vdb is the surviving member of \/dev\/md0/);
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/vdc' })))?.message).toMatch(/failed member of \/dev\/md0 itself/);
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/vde' })))?.message).toMatch(/\/dev\/vde cannot replace a member of \/dev\/md0: too small: 32 MiB.*smaller than the member it replaces: 32 MiB < 256 MiB/);
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/disk/by-id/virtio-HANFS-N1-OLDEXT4' })))?.message).toMatch(/\/dev\/vdd cannot replace .*carries a signature: ext4/);
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/vda' })))?.message).toMatch(/holds the root filesystem/);
    expect((await bad(args(['replace', 'node1'], { disk: '/dev/vdz' })))?.message).toMatch(/\/dev\/vdz is no whole disk of node1/);
    expect(diskReplaceAction.parse(['replace'], {})).toMatchObject({ ok: false, error: { field: 'NODE' } });
    expect(diskReplaceAction.parse(['swap', 'node1'], {})).toMatchObject({ ok: false, error: { field: 'disk' } });
    expect(diskReplaceAction.parse(['replace', 'node1'], { disk: 'vdf;reboot' })).toMatchObject({ ok: false, error: { field: '--disk' } });
  });

  it('mdadm.conf: the DEVICE line names the new disk instead of the failed one (the generated file)', async () => {
    const a = await loadAnswersFile(`${ROOT}/test/fixtures/wizard/demo-flow-answers.yaml`);
    if (!a.ok) throw new Error('answers');
    const conf = renderMdadmConf(a.answers, { ...a.answers.nodes[0]!, disks: ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/disk/by-id/virtio-HANFS-N1-RAID-C'] });
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-disk-'));
    try {
      writeFileSync(join(dir, 'mdadm.conf'), conf);
      const plan = await prepareAction(diskReplaceAction, cluster('faulty', join(dir, 'mdadm.conf')).nodes, args(['replace', 'node1']));
      const s = plan.steps.find((x) => x.id === 'node1/mdadm-conf')!;
      expect(s.commands).toEqual([['tee', MDADM_CONF]]);
      const text = (s.stdin[0] as { text: string }).text;
      expect(text).toContain('DEVICE /dev/disk/by-id/virtio-HANFS-N1-RAID-B /dev/disk/by-id/virtio-HANFS-N1-SPARE\n');
      expect(text.replace('virtio-HANFS-N1-SPARE', 'virtio-HANFS-N1-RAID-C')).toBe(conf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(mdadmConfWith('DEVICE /dev/vdb /dev/vdc\nDEVICE partitions containers\n', ['/dev/vdc'], '/dev/vdf')).toBe('DEVICE /dev/vdb /dev/vdf\nDEVICE partitions containers\n');
  });

  it('the answers file: only nodes[].disks changes, comments and the rest kept', () => {
    const text = readFileSync(`${ROOT}/test/fixtures/wizard/demo-flow-answers.yaml`, 'utf8');
    const out = replaceAnswersDisk(text, 'node1', '/dev/disk/by-id/virtio-HANFS-N1-SPARE', '/dev/disk/by-id/virtio-NEW', { serial: 'NEW', wwn: null, size: 536870912 });
    // The disk in disks, and its diskIdentity entry renamed with the new disk's identity: nothing else.
    expect(out).toBe(text
      .replace('/dev/disk/by-id/virtio-HANFS-N1-SPARE]', '/dev/disk/by-id/virtio-NEW]')
      .replace('/dev/disk/by-id/virtio-HANFS-N1-SPARE: { serial: HANFS-N1-SPARE, size: 536870912 }', '/dev/disk/by-id/virtio-NEW: { serial: "NEW", size: 536870912 }'));
    expect(() => replaceAnswersDisk(text, 'node1', '/dev/nope', '/dev/x')).toThrow(/does not list \/dev\/nope/);
  });

  it('the answers file with diskIdentity (the lab\'s): the entry follows the disk with its identity, and the file still loads', async () => {
    const text = readFileSync(`${ROOT}/test/lab/lab-answers.yaml`, 'utf8');
    const oldDisk = '/dev/disk/by-id/virtio-HANFS-LAB2-C';
    const newDisk = '/dev/disk/by-id/virtio-HANFS-LAB2-E';
    const out = replaceAnswersDisk(text, 'lab2', oldDisk, newDisk, { serial: 'HANFS-LAB2-E', wwn: null, size: 268435456 });
    // Only lab2's disk and its identity entry changed; lab1's lines and every comment as they were.
    expect(out.split('\n').filter((l, i) => l !== text.split('\n')[i])).toEqual([
      '    disks: [/dev/disk/by-id/virtio-HANFS-LAB2-B, /dev/disk/by-id/virtio-HANFS-LAB2-E]',
      '      /dev/disk/by-id/virtio-HANFS-LAB2-E: { serial: "HANFS-LAB2-E", size: 268435456 }',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-answers-disk-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), out);
      const loaded = await loadAnswersFile(join(dir, 'a.yaml'));
      expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // No serial or WWN for the new disk: the entry cannot follow it, said rather than left broken.
    expect(() => replaceAnswersDisk(text, 'lab2', oldDisk, newDisk, { serial: null, wwn: null, size: 1 })).toThrow(/diskIdentity records .*no serial or WWN/);
  });

  it('with --answers: the plan says the answers file records the new disk once done', async () => {
    const c = cluster('faulty');
    const a = args(['replace', 'node1'], { answers: '/nonexistent/answers.yaml' });
    const facts = await readClusterFacts(c.nodes);
    const extra = (await diskReplaceAction.read!({ nodes: c.nodes, facts, args: a })) as DiskReplaceRead;
    const plan = diskReplaceAction.plan({ nodes: c.nodes, facts, args: a }, { ...extra, answerDisks: ['/dev/disk/by-id/virtio-HANFS-N1-RAID-B', '/dev/disk/by-id/virtio-HANFS-N1-RAID-C'] });
    expect(plan.afterDone?.describe).toBe('/nonexistent/answers.yaml: nodes[node1].disks: /dev/disk/by-id/virtio-HANFS-N1-RAID-C -> /dev/disk/by-id/virtio-HANFS-N1-SPARE');
  });
});

describe('disk replace: run by the engine', () => {
  it('fails and removes vdc, adds vdf (re-probed before it is written), and does not call it done while the array lacks vdf', async () => {
    const c = cluster('faulty');
    const plan = await prepareAction(diskReplaceAction, c.nodes, args(['replace', 'node1']));
    let t = 0;
    let wiped: string[] = [];
    const out = await executeAction(plan, c.nodes, {
      dryRun: false, journal: new Journal([], new Redactor([])), redactor: new Redactor([]), sleep: async (ms) => { t += ms; }, now: () => t, holder: 'test',
      confirmWipe: async (d) => { wiped = d.map((x) => `${x.node}:${x.disk}`); return true; },
    });
    expect(wiped).toEqual(['node1:/dev/vdf']);
    expect(c.changes.map((x) => `${x.node}: ${x.argv.join(' ')}`)).toEqual([
      'node1: mdadm --manage /dev/md0 --fail /dev/vdc',
      'node1: mdadm --manage /dev/md0 --remove /dev/vdc',
      'node1: mdadm --manage /dev/md0 --add /dev/vdf',
    ]);
    // The lab's captured recovery is vdc's, not vdf's: the read-back must not pass.
    expect(out.kind).toBe('failed');
  });
});
