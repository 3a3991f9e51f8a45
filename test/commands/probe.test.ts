// `hanfs-wizard probe` through its exported run(): on the demo lab, on a real loopback sshd, and bad flags.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProbeArgs, run } from '../../src/commands/probe.js';
import type { NodeFacts } from '../../src/probes/types.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    const code = await run(argv);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('probe --demo', () => {
  it('--json gives NodeFacts of node1 and node2', async () => {
    const { code, out } = await capture(['--demo', '--json']);
    expect(code).toBe(0);
    const facts = JSON.parse(out) as NodeFacts[];
    expect(facts.map((f) => f.hostname)).toEqual(['node1', 'node2']);
    expect(facts[1]!.disks.find((d) => d.name === 'vdb')?.byId).toEqual(['/dev/disk/by-id/virtio-HANFS-N2-RAID-B']);
  });

  it('text output shows verdicts, NICs and what failed', async () => {
    const { code, out } = await capture(['--demo']);
    expect(code).toBe(0);
    expect(out).toContain('node1: node1\n  system:   Debian GNU/Linux 12 (bookworm), kernel 6.1.0-56-amd64');
    expect(out).toContain('DRBD:     module 8.4.11 (loaded)');
    expect(out).toMatch(/\/dev\/vde\s+32 MiB\s+by-id\/virtio-HANFS-N1-SMALL32M\s+refused: too small/);
    expect(out).toMatch(/\/dev\/vdb\s+256 MiB\s+by-id\/virtio-HANFS-N1-RAID-B\s+eligible/);
    expect(out).toContain('\n    /dev/md127 raid1 inactive: vdg(S)\n');
    expect(out).toContain('default gateway: 10.0.2.2');
    expect(out).toMatch(/\/dev\/vdc\s+256 MiB\s+by-id\/virtio-HANFS-N2-RAID-C\s+eligible/);
    expect(out).not.toContain('probes that failed:');
    // A probe that fails is listed under the node (here the running scenario's nodes have no bare captures).
    const running = await capture(['--demo=running']);
    expect(running.out).toContain('node1: (no answer)\n  unreachable: replay node1: no capture for: uname -n');
  });
});

describe('probe flags', () => {
  it.each([
    [['--bogus'], 'error: --bogus: unknown option (see hanfs-wizard probe --help)\n'],
    [['--node'], 'error: --node: needs a node, e.g. --node root@192.168.1.12 or --node local\n'],
    [['--node', 'root@host:99999'], 'error: --node: port 99999 is out of range 1-65535\n'],
    [['--node', 'bad host'], 'error: --node: "bad host" is not a valid host name or address\n'],
    [['--host-key', 'MD5:aa'], 'error: --host-key: "MD5:aa" is not a SHA256 fingerprint (as ssh-keygen -lf prints: SHA256: and 43 characters)\n'],
    [['--demo', '--node', 'a@b'], 'error: --demo: cannot be combined with --node (the demo lab has its own nodes)\n'],
    [['--demo', '--scenario', 'nope'], /^error: --scenario: no demo scenario "nope"; known: .*bare.*\n$/],
  ])('%j -> one-line error, exit 2', async (argv, message) => {
    const { code, out, err } = await capture(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    if (typeof message === 'string') expect(err).toBe(message);
    else expect(err).toMatch(message);
    expect(err.split('\n').length).toBe(2);
  });

  it('parses nodes, per-node host keys and defaults to local', () => {
    const fp = 'SHA256:' + 'a'.repeat(43);
    const p = parseProbeArgs(['--node', 'root@10.0.0.2:2222', '--node=admin@[fe80::1]:22', `--host-key`, `10.0.0.2=${fp}`, '--json']);
    expect(p.ok && 'args' in p && p.args.nodes.map((n) => n.label)).toEqual(['root@10.0.0.2:2222', 'admin@[fe80::1]']);
    expect(p.ok && 'args' in p && p.args.hostKeys).toEqual([{ node: '10.0.0.2', fingerprint: fp }]);
    const d = parseProbeArgs([]);
    expect(d.ok && 'args' in d && d.args.nodes).toEqual([{ kind: 'local', label: 'local' }]);
  });
});

describe('probe over SSH against a real sshd', () => {
  let sshd: Sshd;
  const home = process.env.HOME;
  beforeAll(async () => {
    sshd = await startSshd();
    // known_hosts goes to $HOME/.ssh: keep the test away from the real one.
    process.env.HOME = mkdtempSync(join(tmpdir(), 'hanfs-home-'));
  });
  afterAll(async () => {
    rmSync(process.env.HOME as string, { recursive: true, force: true });
    process.env.HOME = home;
    await sshd?.stop();
  });
  afterEach(() => vi.restoreAllMocks());

  it('refuses the unknown host without a TTY, naming its fingerprint; accepts it with --host-key', async () => {
    const node = `${sshd.user}@127.0.0.1:${sshd.port}`;
    const refused = await capture(['--node', node, '--identity', sshd.clientKey, '--json']);
    expect(refused.code).toBe(1);
    const f = JSON.parse(refused.out) as NodeFacts[];
    expect(f[0]!.failures[0]!.message).toContain(`unknown host key ssh-ed25519 ${sshd.hostFingerprint}`);

    const ok = await capture(['--node', node, '--identity', sshd.clientKey, '--host-key', sshd.hostFingerprint, '--json']);
    expect(ok.code).toBe(0);
    const facts = JSON.parse(ok.out) as NodeFacts[];
    expect(facts[0]!.target).toBe(`${sshd.user}@127.0.0.1:${sshd.port}`);
    expect(facts[0]!.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    expect(readFileSync(join(process.env.HOME as string, '.ssh', 'known_hosts'), 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519`);
  });
});

describe('interactive host key confirmation', () => {
  it('asks one node at a time and accepts only yes', async () => {
    const { PassThrough } = await import('node:stream');
    const { makeConfirm } = await import('../../src/commands/probe.js');
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d) => (shown += String(d)));
    const confirm = makeConfirm(input, output);
    const p = { host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:' + 'x'.repeat(43) };
    const first = confirm({ ...p, label: 'root@a' });
    const second = confirm({ ...p, label: 'root@b' });
    await new Promise((ok) => setTimeout(ok, 50));
    expect(shown).toContain('The authenticity of root@a cannot be established.');
    expect(shown).not.toContain('root@b'); // the second waits for the first answer
    input.write('yes\n');
    expect(await first).toBe(true);
    await new Promise((ok) => setTimeout(ok, 50));
    expect(shown).toContain('root@b');
    input.write('y-not-really\n');
    expect(await second).toBe(false);
  });
});

describe('probe --demo=trixie-* (the Debian 13 lab, test/fixtures/lab-trixie)', () => {
  it('--json gives NodeFacts of lab1 and lab2 on Debian 13, with Pacemaker 3.0 and the stack in use', async () => {
    const { code, out, err } = await capture(['--demo=trixie-running', '--json']);
    expect(code).toBe(0);
    expect(err).toBe('');
    const facts = JSON.parse(out) as NodeFacts[];
    expect(facts.map((f) => [f.hostname, f.os?.versionId, f.kernel, f.drbdModuleVersion])).toEqual([
      ['lab1', '13', '6.12.118+deb13-amd64', '8.4.11'],
      ['lab2', '13', '6.12.118+deb13-amd64', '8.4.11'],
    ]);
    expect(facts[1]!.packages.find((p) => p.name === 'pacemaker')?.version).toBe('3.0.0-2');
    expect(facts.every((f) => f.failures.length === 0 && f.disks.every((d) => !d.verdict.eligible))).toBe(true);
  });

  it('after the failover: the survivor with the virtual IP, the killed node unreachable (exit 1)', async () => {
    const { code, out } = await capture(['--demo=trixie-failed-over']);
    expect(code).toBe(1);
    expect(out).toContain('lab1: lab1\n  system:   Debian GNU/Linux 13 (trixie), kernel 6.12.118+deb13-amd64\n  DRBD:     module 8.4.11 (loaded)\n');
    expect(out).toMatch(/svc0 +UP +\S+ 192\.168\.101\.11\/24 192\.168\.101\.100\/24/);
    expect(out).toContain('    /dev/md0 raid1 clean [UU]: vdc vdb\n');
    expect(out).toContain('lab2: (no answer)\n  unreachable: replay lab2: no capture for: uname -n');
  });

  it('bare Debian 13 nodes: the RAID pair eligible on both, the root disk and the old ext4 refused, no LVM', async () => {
    const { code, out, err } = await capture(['--demo=trixie-bare', '--json']);
    expect(code).toBe(0);
    expect(err).toBe('');
    const facts = JSON.parse(out) as NodeFacts[];
    expect(facts.map((f) => [f.hostname, f.os?.versionId])).toEqual([['lab1', '13'], ['lab2', '13']]);
    for (const f of facts) {
      expect(f.failures).toEqual([]);
      expect(f.disks.filter((d) => d.verdict.eligible).map((d) => d.path)).toEqual(['/dev/vdb', '/dev/vdc']);
    }
  });
});
