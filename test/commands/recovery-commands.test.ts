// The recovery actions as subcommands (split-brain, disk replace, restore), in-process on the demo lab's
// recordings: the dry run's plan, and bad input as one error line with exit 2, nothing contacted beyond reads.
import { describe, expect, it } from 'vitest';
import { runActionCommand, type ActionCommandIo } from '../../src/commands/action-command.js';
import { splitBrainAction } from '../../src/plan/actions/split-brain.js';
import { diskReplaceAction } from '../../src/plan/actions/disk-replace.js';
import { restoreAction } from '../../src/plan/actions/restore.js';
import type { ActionDef } from '../../src/plan/actions/types.js';

async function run<A>(def: ActionDef<A>, own: Record<string, { type: 'string' | 'boolean' }>, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const x: ActionCommandIo = { out: (l) => out.push(l), err: (l) => err.push(l), ask: null };
  const code = await runActionCommand(def, argv, 'usage\n', own, x);
  return { code, out, err };
}
const sb = (argv: string[]) => run(splitBrainAction, { victim: { type: 'string' } }, argv);
const disk = (argv: string[]) => run(diskReplaceAction, { disk: { type: 'string' } }, argv);
const restore = (argv: string[]) => run(restoreAction, { from: { type: 'string' }, at: { type: 'string' }, replace: { type: 'boolean' } }, argv);

describe('recovery subcommands on the demo lab', () => {
  it('split-brain --demo=split-brain --dry-run: the recommendation and the 8.4 recovery, exit 0', async () => {
    const r = await sb(['--demo=split-brain', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/recommended victim: node2[\s\S]*\$ drbdadm connect --discard-my-data r0/);
  });

  it('split-brain: a victim that is no node, --yes without --victim: one error line, exit 2', async () => {
    for (const argv of [['--demo=split-brain', '--dry-run', '--victim', 'node9'], ['--yes']]) {
      const r = await sb(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(/^error: --victim: /);
    }
  });

  it('disk replace node1 --demo=degraded-raid --dry-run: vdf replaces vdc; the surviving member refused (exit 2)', async () => {
    const r = await disk(['replace', 'node1', '--demo=degraded-raid', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('$ mdadm --manage /dev/md0 --add /dev/vdf');
    const b = await disk(['replace', 'node1', '--disk', '/dev/vdb', '--demo=degraded-raid', '--dry-run']);
    expect(b.code).toBe(2);
    expect(b.err).toEqual(["error: --disk: /dev/vdb is the surviving member of /dev/md0: it holds the array's only copy; name a blank disk"]);
  });

  it('restore: a path outside the export and a snapshot that does not exist: one error line each, exit 2', async () => {
    const a = await restore(['/etc/shadow', '--from', 'snap1', '--demo', '--dry-run']);
    expect([a.code, a.err.length]).toEqual([2, 1]);
    expect(a.err[0]).toMatch(/^error: PATH: \/etc\/shadow is outside the export/);
    const b = await restore(['/srv/nfs/a', '--from', 'gone', '--demo', '--dry-run']);
    expect([b.code, b.err]).toEqual([2, ['error: --from: no snapshot "gone" on node1 (the Primary); its snapshots: snap1']]);
  });
});
