import { describe, expect, it } from 'vitest';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { succeeded } from '../../src/exec/runner.js';

describe('LocalRunner (real processes)', () => {
  const r = new LocalRunner();

  it('returns stdout, stderr and the exit code as data', async () => {
    const res = await r.run(['sh', '-c', 'echo out; echo err >&2; exit 4']);
    expect(res).toMatchObject({ exitCode: 4, stdout: 'out\n', stderr: 'err\n', timedOut: false, aborted: false });
    expect(res.error).toBeUndefined();
    expect(succeeded(res)).toBe(false);
  });

  it('passes arguments without a shell', async () => {
    const args = ['$(id)', 'a b', "'"];
    const res = await r.run(['printf', '%s\\n', ...args]);
    expect(res.stdout).toBe(args.join('\n') + '\n');
  });

  it('reports a missing program without throwing', async () => {
    const res = await r.run(['hanfs-no-such-program-xyz']);
    expect(res.exitCode).toBeNull();
    expect(res.error).toMatch(/ENOENT|not found/i);
  });

  it('times out and aborts', async () => {
    const t = await r.run(['sleep', '5'], { timeoutMs: 200 });
    expect(t.timedOut).toBe(true);
    expect(t.exitCode).toBeNull();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const a = await r.run(['sleep', '5'], { signal: ac.signal });
    expect(a.aborted).toBe(true);
  });

  it('feeds input and streams lines until aborted', async () => {
    expect((await r.run(['cat'], { input: 'x\ny' })).stdout).toBe('x\ny');
    const ac = new AbortController();
    const lines: string[] = [];
    const res = await r.stream(['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "l$i"; sleep 0.05; done'], {
      signal: ac.signal,
      onLine: (l) => {
        lines.push(l);
        if (lines.length === 4) ac.abort();
      },
    });
    expect(lines.slice(0, 4)).toEqual(['l1', 'l2', 'l3', 'l4']);
    expect(res.aborted).toBe(true);
  });
});
