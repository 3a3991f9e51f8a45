// restore planned on the running demo lab's real captures (node1 Primary, snapshot vg0/snap1 of 19:31:36,
// the CIB's Filesystem on /srv/nfs) and run by the one engine: the snapshot mounted read-only with the
// storage actions' own step, the copy beside (or, typed, over) the live path, read back, unmounted.
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRunner } from '../../../src/exec/local-runner.js';
import { readClusterFacts } from '../../../src/plan/actions/cluster-facts.js';
import { parseAt, restoreAction, statArgv, statMountedCopy, type RestoreArgs, type RestoreRead } from '../../../src/plan/actions/restore.js';
import { executeAction, formatActionPlan, prepareAction } from '../../../src/apply/action-run.js';
import { Journal } from '../../../src/apply/journal.js';
import { Redactor } from '../../../src/apply/redact.js';
import type { CaptureNode } from '../../helpers/capture-node.js';
import { restoreCluster } from '../../helpers/restore-world.js';

const cluster = restoreCluster;

const args = (pos: string[], flags: Record<string, string | boolean>): RestoreArgs => {
  const r = restoreAction.parse(pos, flags);
  if (!r.ok) throw new Error(r.error.message);
  return r.args;
};

describe('restore: the plan', () => {
  it('--from: mounts snap1 read-only on the Primary, copies beside the live path, unmounts', async () => {
    const plan = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1' }));
    expect(plan.refusals).toEqual([]);
    const text = formatActionPlan(plan).join('\n');
    expect(text).toContain('live: /srv/nfs/e2e/f1: regular file, 6 bytes, modified 2026-11-25T19:40:00Z');
    expect(text).toContain('taken 2026-11-25T19:31:36Z');
    expect(plan.steps.map((s) => s.id)).toEqual(['node1/snapshot-mount-snap1', 'node1/restore-copy', 'node1/snapshot-unmount-snap1']);
    expect(plan.steps[0]!.commands.at(-1)).toEqual(['mount', '-t', 'ext4', '-o', 'ro,noload', '/dev/vg0/snap1', '/mnt/hanfs-snapshot/snap1']);
    expect(plan.steps[1]!.commands[1]).toEqual(['cp', '-a', '--no-target-directory', '/mnt/hanfs-snapshot/snap1/e2e/f1', expect.stringMatching(/^\/srv\/nfs\/e2e\/f1\.restored-\d{8}-\d{6}$/)]);
    expect(plan.confirm.kind).toBe('yes');
  });

  it('--at picks the newest snapshot taken before the time; none before it: bad input', async () => {
    const p = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/x'], { at: '2026-11-26 08:00' }));
    expect(p.summary).toContain('from snapshot snap1');
    const early = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/x'], { at: '2026-11-25 19:00' }));
    expect(early.bad).toMatchObject({ field: '--at' });
    expect(early.bad!.message).toMatch(/no snapshot on node1 was taken at or before 2026-11-25T19:00:00Z; its snapshots: snap1 \(2026-11-25T19:31:36Z\)/);
    expect(parseAt('2026-11-25T19:40:00+01:00')).toBe(Date.parse('2026-11-25T18:40:00Z'));
  });

  it('--replace: over the live path, typed, destructive', async () => {
    const plan = await prepareAction(restoreAction, cluster().nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1', replace: true }));
    expect(plan.confirm).toMatchObject({ kind: 'typed', words: '/srv/nfs/e2e/f1' });
    expect(plan.steps[1]!.commands[1]!.at(-1)).toBe('/srv/nfs/e2e/f1');
    expect(plan.steps[1]!.destructive).toBe(true);
  });

  it('bad input, one clear error each: outside the export, a snapshot that does not exist, neither or both of --from/--at', async () => {
    const bad = async (a: RestoreArgs) => (await prepareAction(restoreAction, cluster().nodes, a)).bad;
    expect(await bad(args(['/etc/passwd'], { from: 'snap1' }))).toEqual({ field: 'PATH', message: '/etc/passwd is outside the export (/srv/nfs): restore brings back files of the export only' });
    expect(await bad(args(['/srv/nfs'], { from: 'snap1' }))).toMatchObject({ field: 'PATH' });
    expect(await bad(args(['/srv/nfs/a'], { from: 'nosuch' }))).toEqual({ field: '--from', message: 'no snapshot "nosuch" on node1 (the Primary); its snapshots: snap1' });
    expect(restoreAction.parse(['/srv/nfs/a'], {})).toMatchObject({ ok: false, error: { field: '--from' } });
    expect(restoreAction.parse(['/srv/nfs/a'], { from: 'snap1', at: '2026-11-25 19:00' })).toMatchObject({ ok: false, error: { field: '--from' } });
    expect(restoreAction.parse(['/srv/nfs/../etc/passwd'], { from: 'snap1' })).toMatchObject({ ok: false, error: { field: 'PATH' } });
    expect(restoreAction.parse(['relative'], { from: 'snap1' })).toMatchObject({ ok: false, error: { field: 'PATH' } });
    expect(restoreAction.parse(['/srv/nfs/a'], { at: 'yesterday' })).toMatchObject({ ok: false, error: { field: '--at' } });
  });
});

describe('restore: run by the engine', () => {
  it('mounts, copies, reads the copy back, unmounts: in that order, on the Primary only', async () => {
    const c = cluster();
    const plan = await prepareAction(restoreAction, c.nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1' }));
    const out = await executeAction(plan, c.nodes, { dryRun: false, journal: new Journal([], new Redactor([])), redactor: new Redactor([]), sleep: async () => {}, holder: 'test' });
    expect(out.kind).toBe('done');
    expect(c.changes.map((x) => `${x.node}: ${x.argv[0]}`)).toEqual(['node1: mkdir', 'node1: mount', 'node1: stat', 'node1: cp', 'node1: umount']);
  });
});

describe('restore: the snapshot copy\'s size and time before the plan is shown', () => {
  it('not mounted (the lab\'s captures): read() mounts nothing and stats only the live path; the plan says when they are read', async () => {
    const c = cluster();
    const plan = await prepareAction(restoreAction, c.nodes, args(['/srv/nfs/e2e/f1'], { from: 'snap1' }));
    const runner = c.nodes[0]!.runner as CaptureNode;
    expect(runner.all.filter((a) => a[0] === 'stat')).toEqual([statArgv('/srv/nfs/e2e/f1')]);
    expect(c.changes).toEqual([]);
    expect(formatActionPlan(plan).join('\n')).toContain('snapshot: /mnt/hanfs-snapshot/snap1/e2e/f1; its size and time are read after the snapshot is mounted');
  });

  // The lab kept no lsblk capture with a snapshot mounted: the storage facts read from the real captures
  // are told in code that snap1 is mounted at a directory of this machine, and the real stat reads it.
  async function mountedAt(dir: string) {
    const c = cluster();
    const a = args(['/srv/nfs/e2e/f1'], { from: 'snap1' });
    const facts = await readClusterFacts(c.nodes);
    const read = (await restoreAction.read!({ nodes: c.nodes, facts, args: a })) as RestoreRead;
    read.storage.nodes.find((n) => n.name === 'node1')!.snapshots.find((x) => x.name === 'snap1')!.mountpoints = [dir];
    const copy = await statMountedCopy(new LocalRunner(), read.storage, 'node1', a);
    return restoreAction.plan({ nodes: c.nodes, facts, args: a }, { ...read, copy });
  }

  it('mounted already: its copy is stat\'ed read-only and shown; no mount step, left mounted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-restore-'));
    try {
      mkdirSync(join(dir, 'e2e'));
      writeFileSync(join(dir, 'e2e/f1'), 'hello\n');
      utimesSync(join(dir, 'e2e/f1'), new Date('2026-11-25T19:30:00Z'), new Date('2026-11-25T19:30:00Z'));
      const plan = await mountedAt(dir);
      expect(plan.refusals).toEqual([]);
      expect(formatActionPlan(plan).join('\n')).toContain(`snapshot: ${dir}/e2e/f1: regular file, 6 bytes, modified 2026-11-25T19:30:00Z (the snapshot is mounted there already: left mounted)`);
      expect(plan.steps.map((s) => s.id)).toEqual(['node1/restore-copy']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mounted already and the path not in it: refused before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-restore-'));
    try {
      const plan = await mountedAt(dir);
      expect(plan.refusals).toEqual([`/e2e/f1 does not exist in snap1 (taken 2026-11-25T19:31:36Z, mounted at ${dir}): choose an older snapshot`]);
      expect(formatActionPlan(plan).join('\n')).toContain('does not exist in the snapshot');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
