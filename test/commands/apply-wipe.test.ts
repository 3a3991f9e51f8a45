// --yes --wipe never wipes on a path match alone (issue 25): a disk whose name has no recorded identity
// (the answers' diskIdentity, or pinned on the node) is refused with the YAML that records what the
// review found; --wipe names the answers' disks, or the array and volume a step would overwrite.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseWipeFlags, unrecordedWipes } from '../../src/commands/apply.js';
import { reviewDisks } from '../../src/apply/disk-review.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';

const FIX = join(import.meta.dirname, '../fixtures/apply');

async function demo(): Promise<Answers> {
  const r = await loadAnswersFile(join(FIX, 'demo-answers.yaml'));
  if (!r.ok) throw new Error('demo answers');
  return r.answers;
}

describe('--yes --wipe and disk identities', () => {
  it('refuses disks without a recorded identity, giving the YAML to record them (real review of node1)', async () => {
    const a = await demo();
    const r = new ReplayRunner({ dir: join(FIX, 'disk-changed/node1'), label: 'node1' });
    const reviews = await reviewDisks(r, 'node1', a.nodes[0].disks);
    const lines = unrecordedWipes(reviews, a);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: --wipe: node1:\/dev\/disk\/by-id\/virtio-HANFS-N1-RAID-B, node1:\/dev\/disk\/by-id\/virtio-HANFS-N1-SPARE: no identity is recorded for these disks, and --yes never wipes on a path match alone\. Record what the review found under nodes\[0\] of the answers/);
    // The YAML it gives loads as the node's diskIdentity, and then nothing is refused.
    const yaml = lines[0]!.split('\n').filter((l) => l.startsWith('    ')).map((l) => l.slice(4)).join('\n');
    expect(parse(yaml)).toEqual({
      diskIdentity: {
        '/dev/disk/by-id/virtio-HANFS-N1-RAID-B': { serial: 'HANFS-N1-RAID-B', size: 268435456 },
        '/dev/disk/by-id/virtio-HANFS-N1-SPARE': { serial: 'HANFS-N1-SPARE', size: 536870912 },
      },
    });
    const recorded = await reviewDisks(new ReplayRunner({ dir: join(FIX, 'disk-changed/node1'), label: 'node1' }), 'node1', a.nodes[0].disks, undefined, { identities: parse(yaml).diskIdentity, field: 'nodes[0]' });
    expect(recorded.map((x) => x.problems)).toEqual([[], []]);
    expect(unrecordedWipes(recorded, a)).toEqual([]);
  });

  it('--wipe may name the array and the volume a step would overwrite, nothing else', async () => {
    const a = await demo();
    expect(parseWipeFlags(['node1:/dev/md0', 'node2:/dev/vg_nfs/lv_nfs', `node1:${a.nodes[0].disks[0]}`], a)).toEqual({ ok: true, wipe: new Set(['node1:/dev/md0', 'node2:/dev/vg_nfs/lv_nfs', `node1:${a.nodes[0].disks[0]}`]) });
    const bad = parseWipeFlags(['node1:/dev/sdb'], a);
    expect(bad.ok ? [] : bad.errors).toEqual([expect.stringMatching(/^error: --wipe: node1:\/dev\/sdb: \/dev\/sdb is not one of node1's disks in the answers \(.*\), nor its array \(\/dev\/md0\) or volume \(\/dev\/vg_nfs\/lv_nfs\)$/)]);
  });
});
