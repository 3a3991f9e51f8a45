// The built entry point: --version/--help answer without loading any command chunk (Ink, React, ssh2,
// generators), unknown commands get one line and exit 2. Runs against dist/, built by `npm test`.
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd } from './helpers/sshd.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('dist/cli.js', () => {
  it('prints the package version', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('answers --version and --help without loading any chunk (no Ink, no React)', () => {
    for (const flag of ['--version', '--help']) {
      const file = join(mkdtempSync(join(tmpdir(), 'loads-')), 'loads.txt');
      const r = spawnSync(process.execPath, ['--import', './bench/helpers/record-loads.mjs', 'dist/cli.js', flag], {
        encoding: 'utf8',
        env: { ...process.env, HANFS_LOADS_FILE: file },
      });
      expect(r.status).toBe(0);
      const urls = readFileSync(file, 'utf8').trim().split('\n');
      expect(urls.some((u) => u.endsWith('/dist/cli.js')), 'the recorder saw the entry').toBe(true);
      expect(urls.filter((u) => /node_modules\/(ink|react|ssh2|yoga)/.test(u))).toEqual([]);
      // esbuild's tiny runtime-helper chunk may load; nothing that carries React, Ink's layout engine or
      // a command may.
      for (const u of urls.filter((x) => x.includes('/dist/chunks/'))) {
        const code = readFileSync(new URL(u), 'utf8');
        // The help records of every command (the actions after apply too) load with --help: data, not code;
        // what must not load is a command or the UI, which the patterns below catch.
        expect(code.length, `${u} is small`).toBeLessThan(24_576);
        expect(code, u).not.toMatch(/Symbol\.for\("react\.|yoga|useInput|export async function run|function run\(/);
      }
    }
  });

  it('lists every command in --help', () => {
    const r = cli(['--help']);
    for (const c of ['export', 'rehearse', 'probe', 'apply', 'monitor', '--demo']) expect(r.stdout).toContain(c);
  });

  it('refuses an unknown command with one line and exit 2', () => {
    const r = cli(['exprot']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['error: exprot: unknown command; run hanfs-wizard --help for the list']);
  });
});

describe('dist/cli.js needs no node_modules at run time', () => {
  it('bundles ssh2: the built CLI probes a node over a real sshd', async () => {
    // The package ships no dependencies (scripts/build.mjs bundles everything): its SSH must work from dist
    // alone, with ssh2's optional native helpers absent as on a user's machine.
    const bundle = readFileSync('dist/cli.js', 'utf8') + readdirChunks();
    expect(bundle).not.toMatch(/from\s*"ssh2"|require\("ssh2"\)/);
    const sshd = await startSshd();
    const home = mkdtempSync(join(tmpdir(), 'hanfs-cli-home-'));
    try {
      const child = spawn(process.execPath, ['dist/cli.js', 'probe', '--node', `${sshd.user}@127.0.0.1:${sshd.port}`, '--identity', sshd.clientKey, '--host-key', sshd.hostFingerprint, '--json'], {
        env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '', NODE_PATH: '' },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += String(d)));
      const code = await new Promise<number | null>((ok) => child.on('close', ok));
      const facts = JSON.parse(out) as { hostname: string; failures: { message: string }[] }[];
      expect(facts[0]!.failures.filter((f) => /ssh|handshake|auth/i.test(f.message))).toEqual([]);
      expect(facts[0]!.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
      expect(code).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
      await sshd.stop();
    }
  });
});

function readdirChunks(): string {
  return readdirSync('dist/chunks').filter((f) => f.endsWith('.js')).map((f) => readFileSync(join('dist/chunks', f), 'utf8')).join('\n');
}

describe('dist/cli.js with a reader that goes away', () => {
  it('(| head) does not crash a command: it runs to its end and exits with its own code', () => {
    // The reader closes its end at once (as head does after its lines), so every write meets EPIPE;
    // without the handler Node throws it and the command dies with exit 1 and a stack trace.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" dist/cli.js switchover --demo --dry-run | (exec 0<&-; sleep 2); exit \${PIPESTATUS[0]}`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|internal error|Error:/);
    expect(r.status).toBe(0);
  });
});
