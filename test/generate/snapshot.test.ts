import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { renderSnapshotScript } from '../../src/generate/snapshot-script.js';
import { SNAPSHOT_SCRIPT, renderSnapshotService, renderSnapshotTimer } from '../../src/generate/snapshot-units.js';
import { SNAPSHOT_SCRIPT_PATH } from '../../src/generate/export-layout.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateShellScript } from '../helpers/validators/shell.js';
import { validateCalendar, validateUnits } from '../helpers/validators/systemd.js';

describe.each(EXAMPLE_FILES)('snapshot files of %s', (file) => {
  it('script: bash -n and shellcheck clean', async () => {
    const { answers: a } = await loadExample(file);
    const v = validateShellScript(renderSnapshotScript(a));
    expect(v.ok, v.output).toBe(true);
  });

  it('units: systemd-analyze verify clean, schedule accepted by systemd-analyze calendar', async () => {
    const { answers: a } = await loadExample(file);
    const v = validateUnits(
      { 'hanfs-snapshot.service': renderSnapshotService(a), 'hanfs-snapshot.timer': renderSnapshotTimer(a) },
      { [SNAPSHOT_SCRIPT]: renderSnapshotScript(a) },
    );
    expect(v.ok, v.output).toBe(true);
    const cal = validateCalendar(a.backups.snapshots.schedule);
    expect(cal.ok, cal.output).toBe(true);
    const timer = renderSnapshotTimer(a);
    expect(timer).toContain(`\nOnCalendar=${a.backups.snapshots.schedule}\n`);
    expect(timer).toMatch(/^Persistent=true$/m);
    expect(renderSnapshotService(a)).toContain(`\nExecStart=${SNAPSHOT_SCRIPT_PATH}\n`);
  });
});

describe('systemd validation bites', () => {
  it('fails a bad calendar and a bad service type', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    expect(validateCalendar('every full moon').ok).toBe(false);
    const v = validateUnits(
      {
        'hanfs-snapshot.service': renderSnapshotService(a).replace('Type=oneshot', 'Type=oneshott'),
        'hanfs-snapshot.timer': renderSnapshotTimer(a),
      },
      { [SNAPSHOT_SCRIPT]: renderSnapshotScript(a) },
    );
    expect(v.ok).toBe(false);
  });

  it('fails when the ExecStart program is missing', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const v = validateUnits({ 'hanfs-snapshot.service': renderSnapshotService(a) }, { '/usr/local/sbin/something-else': '#!/bin/sh\n' });
    expect(v.ok).toBe(false);
  });
});

// Behaviour of the script's own logic (which node acts, sizes, rotation, refusal, thaw). lvcreate, lvs,
// fsfreeze and drbdadm cannot act here (no device-mapper, no DRBD module, no mounted DRBD filesystem),
// so those commands are stand-ins on PATH that record their calls and answer from a small state folder.
// The script itself is the generated one, run by the real bash.
const STUBS: Record<string, string> = {
  drbdadm: 'echo "$FAKE_ROLE"',
  findmnt: 'echo "$FAKE_SOURCE"',
  fsfreeze: 'echo "fsfreeze $*" >> "$STATE/log"',
  lvs: `case "$*" in
  *lv_size*) echo "  $FAKE_ORIGIN" ;;
  *lv_name*) sed 's/^/  /' "$STATE/snaps" ;;
esac`,
  vgs: `case "$*" in
  *vg_size,vg_free,vg_extent_size*) echo "  $FAKE_VG_SIZE $(cat "$STATE/free") $FAKE_EXTENT" ;;
  *vg_free*) echo "  $(cat "$STATE/free")" ;;
esac`,
  lvremove: `echo "lvremove $*" >> "$STATE/log"
name=\${2#*/}
grep -vx "$name" "$STATE/snaps" > "$STATE/snaps.new" || true
mv "$STATE/snaps.new" "$STATE/snaps"
echo $(( $(cat "$STATE/free") + FAKE_SNAP_SIZE )) > "$STATE/free"`,
  lvcreate: 'echo "lvcreate $*" >> "$STATE/log"; exit "${FAKE_LVCREATE_RC:-0}"',
};

interface Run {
  code: number | null;
  stderr: string;
  log: string[];
  snaps: string[];
}

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function runScript(a: Answers, env: Record<string, string>, snaps: string[], free: number): Run {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-snap-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const [name, body] of Object.entries(STUBS)) {
    writeFileSync(join(bin, name), `#!/bin/bash\nset -eu\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(join(dir, 'snaps'), snaps.map((s) => `${s}\n`).join(''));
  writeFileSync(join(dir, 'free'), `${free}\n`);
  writeFileSync(join(dir, 'log'), '');
  writeFileSync(join(dir, 'script'), renderSnapshotScript(a));
  const r = spawnSync('bash', [join(dir, 'script')], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      STATE: dir,
      FAKE_ROLE: 'Primary/Secondary',
      FAKE_SOURCE: a.drbd.device,
      FAKE_ORIGIN: '10000000000',
      FAKE_VG_SIZE: '20000000000',
      FAKE_EXTENT: '4194304',
      FAKE_SNAP_SIZE: '1002438656',
      ...env,
    },
  });
  const read = (f: string) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean);
  return { code: r.status, stderr: r.stderr, log: read('log'), snaps: read('snaps') };
}

describe('hanfs-snapshot behaviour', () => {
  // examples/answers.yaml: vg_nfs/lv_nfs, keep 7, size 10%ORIGIN. 10% of 10 000 000 000 bytes rounded up
  // to 4 MiB extents is 239 x 4194304 = 1002438656 bytes.
  const SNAP = 1002438656;

  it('does nothing on the Secondary (8.4 and 9 role strings)', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    for (const role of ['Secondary/Primary', 'Secondary', '']) {
      const r = runScript(a, { FAKE_ROLE: role }, [], 5 * SNAP);
      expect(r.code, r.stderr).toBe(0);
      expect(r.log).toEqual([]);
    }
  });

  it('on the Primary (9 prints "Primary"): freezes, snapshots with the extent-rounded size, thaws', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const r = runScript(a, { FAKE_ROLE: 'Primary' }, [], 5 * SNAP);
    expect(r.code, r.stderr).toBe(0);
    expect(r.log).toHaveLength(3);
    expect(r.log[0]).toBe('fsfreeze --freeze /srv/nfs');
    expect(r.log[1]).toMatch(/^lvcreate --snapshot --name lv_nfs_snap_\d{8}T\d{6}Z --size 1002438656b vg_nfs\/lv_nfs$/);
    expect(r.log[2]).toBe('fsfreeze --unfreeze /srv/nfs');
  });

  it('rotates to keep-1 before creating, oldest first, never touching snapshots not its own', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const ours = Array.from({ length: 8 }, (_, i) => `lv_nfs_snap_2026010${i + 1}T000000Z`);
    const foreign = ['lv_nfs-before-resync', 'manual_keep_me', 'lv_nfs_snap_old'];
    const r = runScript(a, {}, [...foreign, ...ours].reverse(), SNAP);
    expect(r.code, r.stderr).toBe(0);
    expect(r.log.filter((l) => l.startsWith('lvremove'))).toEqual([
      'lvremove --yes vg_nfs/lv_nfs_snap_20260101T000000Z',
      'lvremove --yes vg_nfs/lv_nfs_snap_20260102T000000Z',
    ]);
    expect(r.snaps).toEqual(expect.arrayContaining(foreign));
    expect(r.snaps.filter((s) => s.startsWith('lv_nfs_snap_2'))).toHaveLength(a.backups.snapshots.keep - 1);
    expect(r.log.some((l) => l.startsWith('lvcreate --snapshot'))).toBe(true);
  });

  it('refuses when the VG has less free space than the snapshot needs: no freeze, no lvcreate', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const r = runScript(a, {}, [], SNAP - 1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing: vg_nfs has \d+ bytes free, the snapshot needs 1002438656/);
    expect(r.log).toEqual([]);
  });

  it('refuses when the mount point is not the DRBD device', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const r = runScript(a, { FAKE_SOURCE: '/dev/sda1' }, [], 5 * SNAP);
    expect(r.code).toBe(1);
    expect(r.log).toEqual([]);
  });

  it('stops when LVM does not report sizes (a failed lvs): no freeze, no lvcreate', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const r = runScript(a, { FAKE_ORIGIN: '' }, [], 5 * SNAP);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not read lv_size');
    expect(r.log).toEqual([]);
  });

  it('thaws the filesystem even when lvcreate fails', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const r = runScript(a, { FAKE_LVCREATE_RC: '5' }, [], 5 * SNAP);
    expect(r.code).not.toBe(0);
    expect(r.log.at(-1)).toBe('fsfreeze --unfreeze /srv/nfs');
  });

  it('handles absolute sizes and %VG', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const abs: Answers = { ...answers, backups: { snapshots: { ...answers.backups.snapshots, size: '1G' } } };
    const r1 = runScript(abs, {}, [], 5 * SNAP);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.log[1]).toContain('--size 1073741824b');
    const vg: Answers = { ...answers, backups: { snapshots: { ...answers.backups.snapshots, size: '5%VG' } } };
    const r2 = runScript(vg, {}, [], 5 * SNAP);
    expect(r2.code, r2.stderr).toBe(0);
    // 5% of 20 000 000 000 = 1e9, rounded up to extents = 1002438656.
    expect(r2.log[1]).toContain('--size 1002438656b');
  });
});
