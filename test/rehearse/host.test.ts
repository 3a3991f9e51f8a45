// Where the rehearsal's tools run: this machine, or a node through the runner interface. The node path is
// played against the replay runner (real captured tool output) and, end to end, through a LocalRunner,
// which runs the very argvs a node would get (mktemp, dd, cat, cp, env CIB_file=...) with the real tools.
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { rehearse } from '../../src/rehearse/engine.js';
import { formatRehearsalTable } from '../../src/rehearse/format.js';
import { liveClusterRisk, localHost, parsePacemakerVersion, runnerHost, schedulerVersion } from '../../src/rehearse/host.js';

const FIXTURES = 'test/fixtures/rehearse';
const BOOKWORM_VERSION = readFileSync(`${FIXTURES}/crm_simulate_version.bookworm.txt`, 'utf8');
const MKTEMP = readFileSync(`${FIXTURES}/mktemp_d.txt`, 'utf8').trim();

async function exampleAnswers(): Promise<Answers> {
  const r = await loadAnswersFile('examples/answers.yaml');
  if (!r.ok) throw new Error('examples/answers.yaml does not load');
  return r.answers;
}

/** A node answering from real captures: `stdout` names a file in test/fixtures/rehearse. */
const replay = (commands: { argv: string[]; stdout?: string; exitCode?: number }[]) => new ReplayRunner({ dir: FIXTURES, label: 'nfs1', manifest: { node: 'nfs1', commands } });

describe('parsePacemakerVersion', () => {
  it("reads crm_simulate --version's first line (real Debian 12 output)", () => {
    expect(parsePacemakerVersion(BOOKWORM_VERSION)).toBe('2.1.5');
  });
  it('says null for anything else', () => {
    expect(parsePacemakerVersion('crm_simulate: command not found\n')).toBeNull();
  });
});

describe('liveClusterRisk', () => {
  it('lets through only tools that act on a CIB file', () => {
    expect(liveClusterRisk(['crm_simulate', '-x', '/tmp/d/cib.xml', '-S'], undefined)).toBeNull();
    expect(liveClusterRisk(['crm_simulate', '--version'], undefined)).toBeNull();
    expect(liveClusterRisk(['crm_attribute', '-N', 'nfs1', '-n', 'pingd', '-v', '0'], '/tmp/d/s.xml')).toBeNull();
    expect(liveClusterRisk(['crm_mon', '-1', '--output-as=xml'], '/tmp/d/s.xml')).toBeNull();
  });
  it('refuses what would reach the live cluster, or any other program', () => {
    expect(liveClusterRisk(['crm_attribute', '-N', 'nfs1', '-n', 'standby', '-v', 'on'], undefined)).toMatch(/live cluster/);
    expect(liveClusterRisk(['crm_mon', '-1'], undefined)).toMatch(/live cluster/);
    expect(liveClusterRisk(['crm_resource', '--move', '--resource', 'g_nfs', '--node', 'nfs2'], undefined)).toMatch(/live cluster/);
    expect(liveClusterRisk(['crm_simulate', '-S'], undefined)).toMatch(/live CIB/);
    expect(liveClusterRisk(['rm', '-rf', '/'], undefined)).toMatch(/not one of the rehearsal's tools/);
  });
});

describe('runnerHost on the replay runner', () => {
  it("reports the node's Pacemaker version from its crm_simulate", async () => {
    const r = replay([{ argv: ['crm_simulate', '--version'], stdout: 'crm_simulate_version.bookworm.txt' }]);
    expect(await schedulerVersion(runnerHost(r))).toEqual({ ok: true, version: '2.1.5' });
    expect(r.history).toEqual([['crm_simulate', '--version']]);
  });

  it('never sends a refused command to the node', async () => {
    const r = replay([]);
    const h = runnerHost(r);
    const out = await h.tool(['crm_attribute', '-N', 'nfs1', '-n', 'standby', '-v', 'on']);
    expect(out).toEqual({ ok: false, message: 'refused on nfs1: crm_attribute without CIB_file would act on the live cluster' });
    expect(r.history).toEqual([]);
  });

  it('writes and reads only inside the directory its mktemp made', async () => {
    const r = replay([{ argv: ['mktemp', '-d', '/tmp/hanfs-rehearse-XXXXXXXX'], stdout: 'mktemp_d.txt' }]);
    const h = runnerHost(r);
    const dir = await h.mkdtemp('hanfs-rehearse-');
    expect(dir).toBe(MKTEMP);
    await expect(h.readFile('/etc/shadow')).rejects.toThrow(/outside the rehearsal's temporary directory/);
    await expect(h.tool(['crm_mon', '-1'], '/etc/cib.xml')).rejects.toThrow(/outside/);
    await expect(h.rmTemp('/')).rejects.toThrow(/not made by this rehearsal/);
    expect(r.history).toEqual([['mktemp', '-d', '/tmp/hanfs-rehearse-XXXXXXXX']]);
  });

  it('ends with tools-missing naming the node when crm_simulate does not run there', async () => {
    const r = await rehearse(await exampleAnswers(), { host: runnerHost(replay([])) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('tools-missing');
    expect(r.message).toMatch(/^crm_simulate \(Pacemaker's command-line tools\) did not run on nfs1: crm_simulate --version: /);
  });
});

describe('the node path end to end, through a runner with the real tools', () => {
  it('plays the same scenarios to the same ends as the local host, and says which crm_simulate it used', { timeout: 240_000 }, async () => {
    const a = await exampleAnswers();
    const viaRunner = await rehearse(a, { host: runnerHost(new LocalRunner({ label: 'nfs1' })) });
    const local = await rehearse(a, { host: localHost() });
    if (!viaRunner.ok || !local.ok) throw new Error(`rehearsal failed: ${!viaRunner.ok ? viaRunner.message : !local.ok ? local.message : ''}`);
    // The version as dpkg knows the installed package, a source independent of crm_simulate's own words.
    const pkg = (await execa('dpkg-query', ['-W', '-f=${Version}', 'pacemaker-cli-utils'])).stdout;
    expect(pkg.startsWith(`${viaRunner.scheduler.version}-`)).toBe(true);
    expect(viaRunner.scheduler.where).toBe('nfs1');
    expect(local.scheduler).toEqual({ version: viaRunner.scheduler.version, where: 'this machine' });
    const ends = (x: typeof local) => x.scenarios.map((s) => [s.id, s.end, s.promoted, s.violations.length, s.error ?? null]);
    expect(ends(viaRunner)).toEqual(ends(local));
    expect(viaRunner.holds).toBe(true);
    expect(formatRehearsalTable(viaRunner)).toContain(`Pacemaker ${viaRunner.scheduler.version}'s scheduler (crm_simulate on nfs1)`);
  });
});
