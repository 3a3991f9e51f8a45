// The mkfs step's guard run for real (sh, blkid, mkfs.ext4 on an image file): it formats a blank device
// and refuses one that already holds a filesystem, so a resumed apply never formats twice.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import { planSteps } from '../../src/plan/plan.js';

describe('the mkfs guard', () => {
  it('formats a blank device once, then refuses', async () => {
    const r = await loadAnswersFile(join(import.meta.dirname, '../fixtures/apply/done-answers.yaml'));
    if (!r.ok) throw new Error('answers');
    const mkfs = planSteps(r.answers).find((s) => s.id === 'cluster/mkfs')!;
    const guard = mkfs.commands[1]!;
    expect(guard.slice(0, 2)).toEqual(['sh', '-c']);
    // No discard pass (DRBD would replicate it to the peer as zero writes of the whole device), and 4 KiB
    // blocks even on a volume this small, where mke2fs would pick 1 KiB.
    expect(guard.slice(-9)).toEqual(['mkfs.ext4', '-q', '-b', '4096', '-E', 'nodiscard', '-L', r.answers.drbd.resource, r.answers.drbd.device]);
    const img = join(mkdtempSync(join(tmpdir(), 'mkfs-')), 'dev.img');
    writeFileSync(img, Buffer.alloc(16 * 1024 * 1024));
    // The same argv with the device path pointed at the image (the script itself unchanged).
    const argv = guard.map((x) => (x === r.answers.drbd.device ? img : x));
    const first = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    expect(spawnSync('blkid', ['-p', '-o', 'export', img], { encoding: 'utf8' }).stdout).toMatch(/^TYPE=ext4$/m);
    // What mke2fs wrote: 4 KiB blocks on a 16 MiB device (its "small" default would be 1 KiB).
    expect(spawnSync('dumpe2fs', ['-h', img], { encoding: 'utf8' }).stdout).toMatch(/^Block size:\s+4096$/m);
    const second = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(second.status).toBe(3);
    expect(second.stderr).toContain(`refusing: ${img} already holds a filesystem`);
    // The step's own check reads the same signature (LABEL is the resource name).
    const check = mkfs.check!;
    if (check.kind !== 'probe') throw new Error('probe');
    const probe = spawnSync('blkid', [...check.argv.slice(1, -1), img], { encoding: 'utf8' });
    expect(check.judge({ argv: check.argv, exitCode: probe.status, stdout: probe.stdout, stderr: probe.stderr, timedOut: false, aborted: false, durationMs: 0 })).toBe(true);
    expect(probe.stdout).toMatch(/^LABEL=r0$/m);
  });
});
