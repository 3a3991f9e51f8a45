// The plan's fixed file scripts run for real with sh on this machine (paths redirected into a temp dir):
// write -> state -> record -> state, and a hand edit shows up as a sha256 different from the record; the
// initramfs state script judges the boot images against mdadm.conf by their times.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync, appendFileSync, utimesSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLIED_RECORD, FILE_STATE_SCRIPT, INITRAMFS_STATE_SCRIPT, RECORD_FILE_SCRIPT, WRITE_FILE_SCRIPT } from '../../src/generate/plan.js';
import { fileState, judgeFile } from '../../src/apply/file-state.js';

describe('file scripts', () => {
  it('write, read back, record, detect a hand edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-files-'));
    const record = join(dir, 'applied.sha256');
    // The record path is fixed text in the scripts: point it into the temp dir for this test only.
    const local = (script: string) => script.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
    const sh = (script: string, args: string[], input?: string) => spawnSync('sh', ['-c', local(script), '--', ...args], { input, encoding: 'utf8' });
    const target = join(dir, 'etc dir', 'x.conf');
    const content = 'shared-secret "abc";\n';
    expect(fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)).toEqual({ mode: null, sha256: null, recorded: null });
    expect(sh(WRITE_FILE_SCRIPT, [target, '600'], content).status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(content);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'etc dir')).mode & 0o777).toBe(0o755 & ~process.umask());
    let st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(st.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('outdated');
    expect(sh(RECORD_FILE_SCRIPT, [target]).status).toBe(0);
    st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('same');
    appendFileSync(target, '# by hand\n');
    st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('edited');
    // Recording again (after a confirmed replace) replaces the old line, never duplicates it.
    writeFileSync(target, content);
    sh(RECORD_FILE_SCRIPT, [target]);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('the NFS server state script', () => {
  it('runs with the real sh, crm_resource, systemctl, date and stat here: no cluster, so no restart; mtimes are read', async () => {
    const { NFS_SERVER_STATE_SCRIPT, nfsRestartNeeded, nfsServerRunsHere } = await import('../../src/generate/plan.js');
    const dir = mkdtempSync(join(tmpdir(), 'nfs-state-'));
    const a = join(dir, 'a b.conf');
    const b = join(dir, 'b.conf');
    writeFileSync(a, 'x\n');
    writeFileSync(b, 'y\n');
    const r = spawnSync('sh', ['-c', NFS_SERVER_STATE_SCRIPT, '--', 'p_nfsserver', 'vm', a, b, join(dir, 'absent')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['locate', 'node', 'active', 'started', 'config']);
    // This machine runs no cluster: crm_resource --locate finds nothing.
    expect(lines[0]).toBe('locate: ');
    expect(lines[1]).toBe('node: vm');
    expect(lines[4]).toBe(`config: ${Math.max(...[a, b].map((f) => Math.floor(statSync(f).mtimeMs / 1000)))}`);
    const result = { argv: [], exitCode: 0, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 1 };
    expect(nfsServerRunsHere(result)).toBe(false);
    expect(nfsRestartNeeded(result)).toBe(false);
  });
});

describe('the initramfs state script', () => {
  // /etc/mdadm/mdadm.conf and /boot are fixed text in the script: pointed into a temp dir, with an
  // update-initramfs on PATH (only its presence counts: the script asks `command -v`).
  const dir = mkdtempSync(join(tmpdir(), 'plan-initramfs-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'boot'));
  writeFileSync(join(bin, 'update-initramfs'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'update-initramfs'), 0o755);
  const conf = join(dir, 'mdadm.conf');
  const script = INITRAMFS_STATE_SCRIPT.split('/etc/mdadm/mdadm.conf').join(conf).split('/boot/').join(`${dir}/boot/`);
  const state = () => spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  const at = (path: string, s: number) => {
    writeFileSync(path, 'x');
    utimesSync(path, s, s);
  };

  it('wants a rebuild until every image is newer than mdadm.conf, and ignores a killed run\'s .new', () => {
    expect(state().status).toBe(1); // no mdadm.conf yet
    at(conf, 2000);
    at(join(dir, 'boot/initrd.img-6.1.0-28-amd64'), 1000);
    const older = state();
    expect(older.status).toBe(1);
    expect(older.stdout).toContain('older than');
    // A rebuild killed half-way leaves its .new (update-initramfs renames it only when done): the image
    // the boot loader reads is still the old one.
    at(join(dir, 'boot/initrd.img-6.1.0-28-amd64.new'), 3000);
    expect(state().status).toBe(1);
    at(join(dir, 'boot/initrd.img-6.1.0-28-amd64'), 3000);
    expect(state().status).toBe(0);
    // A leftover .new or .bak older than mdadm.conf does not make a rebuilt node look unbuilt.
    at(join(dir, 'boot/initrd.img-6.1.0-28-amd64.new'), 1000);
    at(join(dir, 'boot/initrd.img-6.1.0-28-amd64.bak'), 1000);
    expect(state().status).toBe(0);
    // A second kernel's image still old: rebuild (every installed kernel may boot next).
    at(join(dir, 'boot/initrd.img-6.1.0-27-amd64'), 1500);
    expect(state().status).toBe(1);
  });
});
