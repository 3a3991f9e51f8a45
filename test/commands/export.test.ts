// `hanfs-wizard export` through the built CLI, as an admin runs it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnswersText } from '../../src/answers/load.js';
import { answerFiles, exportTo } from '../helpers/export-cli.js';

function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('export: the layout of ANSWERS.md', () => {
  it.each(answerFiles)('%s', (file) => {
    const out = join(mkdtempSync(join(tmpdir(), 'hanfs-export-')), 'out');
    const r = exportTo(file, out);
    expect(r.status, r.stderr).toBe(0);
    const files = walk(out);
    const loaded = parseAnswersText(readFileSync(file, 'utf8'));
    if (!loaded.ok) throw new Error(`${file} must be valid`);
    const names = loaded.answers.nodes.map((n) => n.name);
    for (const must of ['README.md', 'answers.yaml', 'cluster/cib.xml', 'cluster/setup.crm', 'cluster/setup-pcs.sh']) expect(files).toContain(must);
    for (const n of names) {
      expect(files).toContain(`plan/${n}.sh`);
      expect(files).toContain(`${n}/etc/mdadm/mdadm.conf`);
      expect(files).toContain(`${n}/etc/corosync/corosync.conf`);
      expect(files.some((f) => f.startsWith(`${n}/etc/drbd.d/`) && f.endsWith('.res'))).toBe(true);
      expect(files.some((f) => f.startsWith(`${n}/etc/systemd/system/`) && f.endsWith('.timer'))).toBe(true);
      // Secrets: 0600 for the DRBD resource (shared-secret), 0400 for the Corosync authkey.
      const res = files.find((f) => f.startsWith(`${n}/etc/drbd.d/`))!;
      expect(statSync(join(out, res)).mode & 0o777).toBe(0o600);
      expect(statSync(join(out, `${n}/etc/corosync/authkey`)).mode & 0o777).toBe(0o400);
      expect(statSync(join(out, `${n}/etc/corosync/authkey`)).size).toBe(256);
    }
    // The DRBD secret appears in the .res files and nowhere else.
    const res = readFileSync(join(out, files.find((f) => f.endsWith('.res'))!), 'utf8');
    const secret = /shared-secret\s+"([^"]+)"/.exec(res)?.[1];
    expect(secret, 'the .res file carries a shared-secret').toBeTruthy();
    for (const f of files.filter((f) => !f.endsWith('.res') && !f.endsWith('/authkey'))) {
      expect(readFileSync(join(out, f), 'utf8'), `${f} must not contain the secret`).not.toContain(secret!);
    }
    // With STONITH the cluster files carry the fence credentials: owner-only. Every other file is
    // readable by the admin's tools.
    const fence = loaded.answers.pacemaker.stonith !== 'none';
    const fenceFiles = ['cluster/cib.xml', 'cluster/setup.crm', 'cluster/setup-pcs.sh'];
    for (const f of files.filter((f) => !f.endsWith('.res') && !f.endsWith('/authkey'))) {
      const mode = statSync(join(out, f)).mode & 0o777;
      if (fence && fenceFiles.includes(f)) expect(mode & 0o077, f).toBe(0);
      else expect(mode & 0o044, f).toBe(0o044);
    }
    if (fence) {
      const st = loaded.answers.pacemaker.stonith;
      const password = st === 'none' || !('nodes' in st) ? '' : Object.values(st.nodes)[0]!['password']!;
      expect(readFileSync(join(out, 'cluster/cib.xml'), 'utf8')).toContain(password);
      for (const f of ['answers.yaml', 'README.md', ...names.map((n) => `plan/${n}.sh`)]) {
        expect(readFileSync(join(out, f), 'utf8'), `${f} must not carry the fence password`).not.toContain(password);
      }
    }
  });

  it('generates a new secret each time (CSPRNG), never the same twice', () => {
    const secrets = [0, 1].map(() => {
      const out = join(mkdtempSync(join(tmpdir(), 'hanfs-export-')), 'out');
      expect(exportTo('examples/answers.yaml', out).status).toBe(0);
      return [
        /shared-secret\s+"([^"]+)"/.exec(readFileSync(join(out, 'nfs1/etc/drbd.d/nfsdata.res'), 'utf8'))![1],
        readFileSync(join(out, 'nfs1/etc/corosync/authkey')).toString('hex'),
      ];
    });
    expect(secrets[0]![0]).not.toBe(secrets[1]![0]);
    expect(secrets[0]![1]).not.toBe(secrets[1]![1]);
  });
});

describe('export: refusals change nothing', () => {
  it('an invalid answers file: exit 2, field-named errors, no output directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-bad-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync('examples/answers.yaml', 'utf8').replace('address: 192.168.1.100/24', 'address: 192.168.1.12/24'));
    const out = join(dir, 'out');
    const r = exportTo(bad, out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: virtualIp\.address: 192\.168\.1\.12\/24 is already used by nodes\[1\]\.service\.address/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it('malformed YAML: exit 2 with line and column, no output directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-bad-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nnodes: [\n');
    const r = exportTo(bad, join(dir, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*bad\.yaml:\d+:\d+: malformed YAML/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a non-empty directory needs --force', () => {
    const out = mkdtempSync(join(tmpdir(), 'hanfs-full-'));
    mkdirSync(join(out, 'keep'));
    writeFileSync(join(out, 'keep/mine.txt'), 'mine');
    const r = exportTo('examples/answers.yaml', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --out: .* is not empty/);
    expect(readdirSync(out)).toEqual(['keep']);
    expect(exportTo('examples/answers.yaml', out, ['--force']).status).toBe(0);
    expect(readFileSync(join(out, 'keep/mine.txt'), 'utf8')).toBe('mine');
  });

  it('never writes through a symbolic link: --out itself, or (with --force) a directory or file inside it', () => {
    const base = mkdtempSync(join(tmpdir(), 'hanfs-link-'));
    const real = join(base, 'real');
    mkdirSync(real);
    symlinkSync(real, join(base, 'out'));
    const r = exportTo('examples/answers.yaml', join(base, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out: ${join(base, 'out')} is a symbolic link: export writes only into real directories; give the directory it points to, or remove the link\n`);
    expect(readdirSync(real)).toEqual([]);

    // An earlier export whose node directory was replaced by a link elsewhere: --force must not follow it.
    const out = join(base, 'tree');
    expect(exportTo('examples/answers.yaml', out).status).toBe(0);
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(join(out, 'nfs1'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'nfs1'));
    const forced = exportTo('examples/answers.yaml', out, ['--force']);
    expect(forced.status).toBe(2);
    expect(forced.stderr).toContain(`${join(out, 'nfs1')} is a symbolic link`);
    expect(readdirSync(elsewhere)).toEqual([]);

    // A secret file replaced by a link to another file: not followed either.
    rmSync(join(out, 'nfs1'));
    expect(exportTo('examples/answers.yaml', out, ['--force']).status).toBe(0);
    const victim = join(base, 'victim');
    writeFileSync(victim, 'untouched');
    rmSync(join(out, 'nfs1/etc/corosync/authkey'));
    symlinkSync(victim, join(out, 'nfs1/etc/corosync/authkey'));
    expect(exportTo('examples/answers.yaml', out, ['--force']).status).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
  });

  it('missing options and unknown flags: one line each, exit 2', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'export'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'error: --answers: required: the answers file to export (see docs/answers.md)',
      'error: --out: required: the directory to write the configuration to',
    ]);
    const u = spawnSync(process.execPath, ['dist/cli.js', 'export', '--answer', 'x'], { encoding: 'utf8' });
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/^error: --answer: /);
    expect(u.stderr.trim().split('\n')).toHaveLength(1);
  });
});
