import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { createDemoRunners, listDemoScenarios, tryCreateDemoRunners } from '../../src/exec/demo-lab.js';
import { readFileSync } from 'node:fs';

describe('ReplayRunner on the demo lab', () => {
  it('gives two nodes for the bare scenario, answering with the captured bytes and exit codes', async () => {
    expect(listDemoScenarios()).toContain('bare');
    const [n1, n2] = createDemoRunners();
    expect([n1?.label, n2?.label]).toEqual(['node1', 'node2']);
    const u = await n2!.run(['uname', '-n']);
    expect(u.stdout).toBe(readFileSync(join(import.meta.dirname, '../fixtures/lab-captures/bare-nodes/uname_n.bare.node2.txt'), 'utf8'));
    expect(u.exitCode).toBe(0);
    const blkid = await n1!.run(['blkid', '-p', '-o', 'export', '/dev/vdf']);
    expect(blkid).toMatchObject({ exitCode: 2, stdout: '' });
    const drbdadm = await n1!.run(['drbdadm', 'status']);
    expect(drbdadm.exitCode).toBe(10);
    expect(drbdadm.stderr).toContain('No such resource');
  });

  it('answers a command without capture with a 127-like failure naming it, never a throw', async () => {
    const [n1] = createDemoRunners('bare');
    const r = await n1!.run(['wipefs', '-n', '--json', '/dev/sda']);
    expect(r.exitCode).toBe(127);
    expect(r.error).toBe('replay node1: no capture for: wipefs -n --json /dev/sda');
    const s = await n1!.stream(['no', 'such thing'], { signal: new AbortController().signal, onLine: () => {} });
    expect(s.error).toContain("no capture for: no 'such thing'");
  });

  it('reports an unknown scenario as data', () => {
    const r = tryCreateDemoRunners('nope');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/no demo scenario "nope"; known: .*bare/);
  });
});

describe('ReplayRunner format features', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-replay-'));
  // Content here is the runner's own test data (it only moves bytes around), not a command capture.
  writeFileSync(join(dir, 'a.txt'), 'one\ntwo\nthree\n');
  writeFileSync(join(dir, 'b.txt'), 'second\n');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      node: 'n',
      commands: [
        { argv: ['poll'], responses: [{ stdout: 'a.txt' }, { stdout: 'b.txt', exitCode: 1 }] },
        { argv: ['events'], stdout: 'a.txt', stream: { intervalMs: 10, holdOpen: true } },
        { argv: ['slow'], stdout: 'a.txt', delayMs: 2000 },
        { argv: ['both'], stdout: ['a.txt', 'b.txt'], stderr: ['b.txt'] },
      ],
    }),
  );
  const r = new ReplayRunner({ dir });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('steps through responses, the last one repeating', async () => {
    expect((await r.run(['poll'])).stdout).toBe('one\ntwo\nthree\n');
    expect(await r.run(['poll'])).toMatchObject({ stdout: 'second\n', exitCode: 1 });
    expect(await r.run(['poll'])).toMatchObject({ stdout: 'second\n', exitCode: 1 });
  });

  it('streams lines and holds the stream open until aborted', async () => {
    const ac = new AbortController();
    const lines: string[] = [];
    const p = r.stream(['events'], { signal: ac.signal, onLine: (l) => lines.push(l) });
    await new Promise((ok) => setTimeout(ok, 150));
    expect(lines).toEqual(['one', 'two', 'three']);
    ac.abort();
    expect((await p).aborted).toBe(true);
  });

  it('replays a list of files one after the other, in the order listed', async () => {
    expect(await r.run(['both'])).toMatchObject({ stdout: 'one\ntwo\nthree\nsecond\n', stderr: 'second\n', exitCode: 0 });
  });

  it('honours timeouts on delayed answers', async () => {
    const res = await r.run(['slow'], { timeoutMs: 50 });
    expect(res.timedOut).toBe(true);
  });

  it('reports a broken folder as a failed result', async () => {
    const broken = new ReplayRunner({ dir: join(dir, 'missing'), label: 'x' });
    const res = await broken.run(['uname']);
    expect(res.exitCode).toBe(127);
    expect(res.error).toMatch(/manifest.json: no such file/);
  });
});
