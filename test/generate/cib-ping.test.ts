// The ping clone as the installed agent (ocf:pacemaker:ping) runs it: what `ping` command one monitor
// executes with the generated parameters and operation timeout. Traced with `sh -x` on the real agent and
// the real ping (to 127.0.0.1, which answers at once); the attribute update fails harmlessly (no cluster
// here), after the ping ran.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAnswersFile, formatProblems } from '../../src/answers/load.js';
import { PING_INTERVAL_S, PING_TIMEOUT_S, buildCibModel } from '../../src/generate/cib-model.js';

const AGENT = '/usr/lib/ocf/resource.d/pacemaker/ping';
const dir = mkdtempSync(join(tmpdir(), 'hanfs-ping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The reply wait (seconds) of the ping command the agent's monitor runs with these parameters. */
function monitorPingWait(params: [string, string][], monitorTimeoutMs: number): { wait: number; count: number } {
  const pidfile = join(dir, 'ping.pid');
  // The monitor only pings when its pid file exists (the agent's start creates it).
  writeFileSync(pidfile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    OCF_ROOT: '/usr/lib/ocf',
    OCF_RESOURCE_INSTANCE: 'p_ping',
    OCF_RESKEY_CRM_meta_timeout: String(monitorTimeoutMs),
    OCF_RESKEY_pidfile: pidfile,
    // The lab's nodes and Debian's pacemaker have no fping; the agent prefers it when present.
    OCF_RESKEY_use_fping: '0',
  };
  for (const [k, v] of params) env[`OCF_RESKEY_${k}`] = k === 'host_list' ? '127.0.0.1' : v;
  const r = spawnSync('sh', ['-x', AGENT, 'monitor'], { env, encoding: 'utf8', timeout: 60_000 });
  const line = r.stderr.split('\n').find((l) => /^\+ ping -n -q -W \d+ -c \d+ /.test(l));
  if (!line) throw new Error(`no ping command in the agent's trace:\n${r.stderr}`);
  const m = /-W (\d+) -c (\d+)/.exec(line)!;
  return { wait: Number(m[1]), count: Number(m[2]) };
}

describe('the ping clone, run by the installed agent', () => {
  it('is the agent this machine has (pacemaker-resource-agents)', () => {
    expect(execFileSync(AGENT, ['meta-data'], { encoding: 'utf8', env: { OCF_ROOT: '/usr/lib/ocf' } })).toContain('<parameter name="timeout"');
  });

  it('waits the generated 2 s for a reply, not a wait derived from the monitor timeout', async () => {
    const r = await loadAnswersFile('test/lab/lab-answers.yaml');
    if (!r.ok) throw new Error(formatProblems(r.problems));
    const ping = buildCibModel(r.answers).ping.primitive;
    const monitor = ping.ops.find((o) => o.name === 'monitor')!;
    expect(monitor.interval).toBe(`${PING_INTERVAL_S}s`);
    const timeoutMs = Number(/^(\d+)s$/.exec(monitor.timeout)![1]) * 1000;
    expect(monitorPingWait(ping.params, timeoutMs)).toEqual({ wait: PING_TIMEOUT_S, count: 3 });
    // Why the parameter is written: without it the same agent waits monitor timeout / attempts / 1.1 for
    // a reply, 18 s with the 60 s monitor timeout. A target that silently stops answering then holds each
    // monitor 2 s (three pings a second apart) + 18 s before pingd drops.
    const without = ping.params.filter(([k]) => k !== 'timeout');
    expect(monitorPingWait(without, timeoutMs)).toEqual({ wait: Math.floor(timeoutMs / 3 / 1100), count: 3 });
    expect(Math.floor(timeoutMs / 3 / 1100)).toBe(18);
  }, 120_000);
});
