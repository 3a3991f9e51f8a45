// The storage actions as subcommands (snapshot VERB, grow SIZE), driven in-process on the demo lab's
// recordings (the running scenario: node1 Primary, snapshot snap1 of vg0/nfs on node1): the plan printed,
// the exit codes, one error line for bad input.
import { describe, expect, it } from 'vitest';
import { runActionCommand, type ActionCommandIo } from '../../src/commands/action-command.js';
import { snapshotListAction, snapshotMountAction, snapshotRemoveAction } from '../../src/plan/actions/snapshot.js';
import { growAction } from '../../src/plan/actions/grow.js';
import type { ActionDef } from '../../src/plan/actions/types.js';

async function run<A>(def: ActionDef<A>, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const x: ActionCommandIo = { out: (l) => out.push(l), err: (l) => err.push(l), ask: null };
  const code = await runActionCommand(def, argv, 'usage\n', {}, x);
  return { code, out, err };
}

describe('snapshot and grow on the demo lab', () => {
  it('snapshot list --demo --dry-run lists each node\'s snapshots and exits 0', async () => {
    const r = await run(snapshotListAction, ['--demo', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^snapshot list: 1 snapshot\(s\) of the LV under DRBD r0/);
    expect(r.out.some((l) => /^ {4}node1: vg0\/snap1, \d+ d( \d+ h)? old, 16 MiB, 37\.7% full/.test(l))).toBe(true);
    expect(r.out.some((l) => /^ {2}node2: vg0\/nfs .* 0 snapshot\(s\)$/.test(l))).toBe(true);
    expect(r.err).toEqual([]);
  });

  it('snapshot mount --demo --dry-run shows the read-only mount on node1 and changes nothing', async () => {
    const r = await run(snapshotMountAction, ['snap1', '--demo', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('      $ mount -t ext4 -o ro,noload /dev/vg0/snap1 /mnt/hanfs-snapshot/snap1');
    expect(r.out.at(-1)).toMatch(/dry run: 1 steps would run.*nothing was changed/);
  });

  it('bad input is one error line and exit 2: a snapshot that does not exist, sizes lvextend would not take or that do not grow', async () => {
    for (const [def, argv, field] of [
      [snapshotRemoveAction, ['nope'], 'NAME'],
      [snapshotRemoveAction, [], 'NAME'],
      [growAction, ['10%FREE'], 'SIZE'],
      [growAction, ['100M'], 'SIZE'],
      [growAction, ['+1T'], 'SIZE'],
    ] as [ActionDef<unknown>, string[], string][]) {
      const r = await run(def, [...argv, '--demo', '--dry-run']);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(new RegExp(`^error: ${field}: `));
    }
  });

  it('grow on the demo is refused (exit 3) with the reasons: a snapshot of the LV, the resync snapshot\'s reserve', async () => {
    const r = await run(growAction, ['+16M', '--demo', '--dry-run']);
    expect(r.code).toBe(3);
    expect(r.err.some((l) => l.startsWith('error: grow: node1: vg0/nfs has 1 snapshot(s) (snap1)'))).toBe(true);
    expect(r.err.some((l) => /^error: grow: node1: vg0 would keep 20 MiB free/.test(l))).toBe(true);
  });
});
