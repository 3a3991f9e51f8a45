// `hanfs-wizard rehearse`: exit codes, output, and errors as the answers-file interface specifies.
import { mkdtemp as mkdtempRaw, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import { run } from '../../src/commands/rehearse.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { startSshd } from '../helpers/sshd.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

const made: string[] = [];
async function mkdtemp(prefix: string): Promise<string> {
  const d = await mkdtempRaw(prefix);
  made.push(d);
  return d;
}

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

describe('hanfs-wizard rehearse', () => {
  it('exits 0 and prints the table when every invariant holds', async () => {
    const io = capture();
    expect(await run(['--answers', 'examples/answers.yaml'])).toBe(0);
    expect(io.out()).toMatch(/^scenario\s+ends on/);
    expect(io.out()).toContain('All invariants hold');
  }, 60_000);

  it('prints JSON for scripts with --json', async () => {
    const io = capture();
    expect(await run(['--answers', 'examples/varied/xfs-drbd9-byid.yaml', '--json'])).toBe(0);
    const json = JSON.parse(io.out());
    expect(json).toMatchObject({ ok: true, holds: true, active: 'fs-a', passive: 'fs-b' });
    expect(json.scenarios.length).toBeGreaterThanOrEqual(19);
  }, 60_000);

  it('exits 1 naming the invariant and scenario when a CIB breaks one (--cib)', async () => {
    const r = await loadAnswersFile('examples/answers.yaml');
    if (!r.ok) throw new Error('invalid example');
    const dir = await mkdtemp(join(tmpdir(), 'hanfs-rehearse-cmd-'));
    const cib = join(dir, 'cib.xml');
    await writeFile(cib, renderCibXml(r.answers).replace('name="promoted-max" value="1"', 'name="promoted-max" value="2"'));
    const io = capture();
    expect(await run(['--answers', 'examples/answers.yaml', '--cib', cib])).toBe(1);
    expect(io.out()).toMatch(/both-up \[one-promoted\]: DRBD is Promoted on nfs1 and nfs2/);
  }, 60_000);

  it('exits 2 with one error line when --on names no node of the answers, and contacts nothing', async () => {
    const io = capture();
    expect(await run(['--answers', 'examples/answers.yaml', '--on', 'nfs9'])).toBe(2);
    expect(io.err().split('\n').filter((l) => l.startsWith('error:'))).toEqual(['error: --on: nfs9: not a node of the answers (nfs1, nfs2)']);
    expect(io.out()).toBe('');
  });

  it('exits 2 with one `error: <path>:` line per problem for a bad answers file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hanfs-rehearse-cmd-'));
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'version: 1\nnodes:\n  - name: a\n    disks: [/dev/sdb]\n');
    const io = capture();
    expect(await run(['--answers', bad])).toBe(2);
    expect(io.out()).toBe('');
    const lines = io.err().trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^error: [^:]+: /);
    expect(io.err()).toMatch(/^error: nodes/m);
  });

  it('exits 2 without --answers, and for a missing file', async () => {
    const io = capture();
    expect(await run([])).toBe(2);
    expect(io.err()).toMatch(/^error: --answers: is required/);
    expect(await run(['--answers', '/nonexistent/answers.yaml'])).toBe(2);
    expect(io.err()).toMatch(/^error: --answers: \/nonexistent\/answers.yaml: no such file/m);
  });

  it('says how to install the Pacemaker tools when crm_simulate is missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'hanfs-nopath-'));
    vi.stubEnv('PATH', empty);
    try {
      const io = capture();
      expect(await run(['--answers', 'examples/answers.yaml'])).toBe(3);
      expect(io.err()).toMatch(/^error: crm_simulate \(Pacemaker's command-line tools\) is not installed on this machine: apt-get install pacemaker-cli-utils$/m);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('rehearse --on against a real sshd whose host key is unknown', () => {
  // The node is opened like apply opens it (src/exec/open-runners.ts, host keys known only): the refusal
  // names the fingerprint and gives apply's advice, and nothing is added to known_hosts.
  it('refuses the connection with exit 3, naming the fingerprint and how to trust it, as apply does', async () => {
    const sshd = await startSshd();
    try {
      const dir = await mkdtemp(join(tmpdir(), 'hanfs-rehearse-cmd-'));
      const file = join(dir, 'a.yaml');
      const text = await readFile('examples/answers.yaml', 'utf8');
      await writeFile(file, text.replace(/ssh: \S+/g, `ssh: ${sshd.user}@127.0.0.1:${sshd.port}`));
      const kh = join(dir, 'known_hosts');
      await writeFile(kh, '');
      const io = capture();
      expect(await run(['--answers', file, '--on', 'nfs1', '--known-hosts', kh, '--identity', sshd.clientKey])).toBe(3);
      expect(io.err()).toContain(`unknown host key ssh-ed25519 ${sshd.hostFingerprint}`);
      expect(io.err()).toContain(`trust it first: ssh -p ${sshd.port} ${sshd.user}@127.0.0.1 and answer yes (or give --known-hosts FILE holding it)`);
      expect(io.out()).toBe('');
      expect(await readFile(kh, 'utf8')).toBe('');
    } finally {
      await sshd.stop();
    }
  }, 60_000);
});
