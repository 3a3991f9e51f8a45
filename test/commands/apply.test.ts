// `hanfs-wizard apply` through the built CLI, as a script runs it: exit codes and output of docs/apply.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEMO = 'test/fixtures/apply/demo-answers.yaml';
const apply = (args: string[]) => spawnSync(process.execPath, ['dist/cli.js', 'apply', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('apply: bad input exits 2 with one error line per problem, touching nothing', () => {
  it('missing --answers', () => {
    const r = apply([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --answers: required/m);
  });
  it('an invalid answers file names the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(file, readFileSync(DEMO, 'utf8').replace('port: 7789', '').replace('name: node2', 'name: "bad name"'));
    const r = apply(['--answers', file, '--dry-run', '--demo']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: nodes\[1\]\.name: /m);
    expect(r.stdout).toBe('');
  });
  it('--demo only with --dry-run; --wipe needs --yes and a disk of that node', () => {
    expect(apply(['--answers', DEMO, '--demo']).stderr).toMatch(/^error: --demo: only with --dry-run/m);
    expect(apply(['--answers', DEMO, '--wipe', 'node1:/dev/vdb']).stderr).toMatch(/^error: --wipe: needs --yes/m);
    const r = apply(['--answers', DEMO, '--yes', '--wipe', 'node1:/dev/sdz', '--wipe', 'nodeX:/dev/vdb', '--dry-run', '--demo']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --wipe: node1:\/dev\/sdz: \/dev\/sdz is not one of node1's disks/m);
    expect(r.stderr).toMatch(/^error: --wipe: nodeX:\/dev\/vdb: expected NODE:DISK/m);
  });
});

describe('apply --dry-run --demo', () => {
  it('prints every step as would run or already done, exits 0, and journals to --log', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'apply-cli-')), 'apply.log');
    const r = apply(['--answers', DEMO, '--dry-run', '--demo', '--log', log]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[node1\] would run \(DESTRUCTIVE\): create RAID1 \/dev\/md0/m);
    expect(r.stdout).toMatch(/^\[node2\] already done: load the DRBD kernel module/m);
    expect(r.stdout).toMatch(/^would wipe node2:\/dev\/disk\/by-id\/virtio-HANFS-N2-SPARE .*serial HANFS-N2-SPARE/m);
    expect(r.stdout).toMatch(/nothing was changed$/m);
    const journal = readFileSync(log, 'utf8');
    // The RAID step's check reads the array's members (issue 25); the demo lab has no capture of it.
    expect(journal).toMatch(/node1 node1\/raid \(check\): \$ sh -c '[^\n]*#hanfs mdadm-detail[^\n]*' -- \/dev\/md0\n  exit \d+ in \d+ ms/);
  });

  it('--json prints one JSON object per line, ending with the outcome', () => {
    const r = apply(['--answers', DEMO, '--dry-run', '--demo', '--json']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; kind?: string });
    expect(lines[0]!.type).toBe('assessed');
    expect(lines.at(-1)).toMatchObject({ type: 'outcome', kind: 'dry-run' });
  });

  it('a literal secret from the answers never reaches the output or the journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(file, readFileSync(DEMO, 'utf8').replace('  version: "8.4"', '  version: "8.4"\n  secret: Sup3r-Literal-Secret'));
    const log = join(dir, 'apply.log');
    const r = apply(['--answers', file, '--dry-run', '--demo', '--log', log, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr + readFileSync(log, 'utf8')).not.toContain('Sup3r-Literal-Secret');
  });
});

describe('apply: the answers warnings first; no fencing only when acknowledged', () => {
  /** Runs apply with stdout and stderr into one file, so their order can be read. */
  function applyMerged(args: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
    const file = join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    const r = spawnSync(process.execPath, ['dist/cli.js', 'apply', ...args], { stdio: ['ignore', fd, fd], timeout: 60_000 });
    closeSync(fd);
    return { status: r.status, text: readFileSync(file, 'utf8') };
  }
  /** The demo answers with both nodes on a port nothing listens on: any contact fails at once. */
  function unreachable(): string {
    const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(file, readFileSync(DEMO, 'utf8').replace(/ssh: root@[0-9.]+/g, 'ssh: root@127.0.0.1:1'));
    return file;
  }

  it('a dry run prints every warning of the answers before the plan', () => {
    const r = applyMerged(['--answers', DEMO, '--dry-run', '--demo']);
    expect(r.status, r.text).toBe(0);
    const warning = r.text.indexOf('warning: pacemaker.stonith: none: without fencing');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(r.text.indexOf('would run'));
  });

  it('--yes without --accept-no-fencing is refused (exit 3) before any node is contacted', () => {
    const t0 = Date.now();
    const r = apply(['--answers', unreachable(), '--yes']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^error: --accept-no-fencing: pacemaker\.stonith is none/m);
    expect(r.stderr).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|unreachable/);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('--accept-no-fencing needs --yes', () => {
    const r = apply(['--answers', DEMO, '--accept-no-fencing']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --accept-no-fencing: only with --yes/m);
  });

  it('with --yes --accept-no-fencing the acknowledgement is in the journal', () => {
    const log = join(mkdtempSync(join(tmpdir(), 'apply-cli-')), 'apply.log');
    const r = apply(['--answers', unreachable(), '--yes', '--accept-no-fencing', '--log', log]);
    // The nodes cannot be reached (exit 1), but the choice was recorded before any contact.
    expect(r.status).toBe(1);
    expect(readFileSync(log, 'utf8')).toMatch(/ - no-fencing: running without fencing \(pacemaker\.stonith: none\) acknowledged: --accept-no-fencing with --yes/);
  });
});

describe('apply against a real sshd whose host key is unknown', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('refuses naming the fingerprint, and suggests what apply accepts (never --host-key)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apply-cli-'));
    const file = join(dir, 'a.yaml');
    writeFileSync(file, readFileSync(DEMO, 'utf8').replace(/ssh: root@[0-9.]+/g, `ssh: ${sshd.user}@127.0.0.1:${sshd.port}`));
    const kh = join(dir, 'known_hosts');
    writeFileSync(kh, '');
    const r = apply(['--answers', file, '--dry-run', '--known-hosts', kh, '--identity', sshd.clientKey]);
    const text = r.stdout + r.stderr;
    expect(text).toContain(`unknown host key ssh-ed25519 ${sshd.hostFingerprint}`);
    expect(text).toContain(`trust it first: ssh -p ${sshd.port} ${sshd.user}@127.0.0.1 and answer yes (or give --known-hosts FILE holding it)`);
    expect(text).not.toContain('--host-key');
    expect(readFileSync(kh, 'utf8')).toBe('');
  });
});
