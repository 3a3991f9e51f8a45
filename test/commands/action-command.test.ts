// The subcommand form every action shares (src/commands/action-command.ts), driven in-process on the
// demo lab's recordings: the flags, the confirmation, the exit codes, one error line for bad input.
import { describe, expect, it } from 'vitest';
import { agree, runActionCommand, type ActionCommandIo } from '../../src/commands/action-command.js';
import { cleanupAction } from '../../src/plan/actions/cleanup.js';

function io(answers: string[] | null = null) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const x: ActionCommandIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ask: answers ? async (q) => (asked.push(q), answers.shift() ?? '') : null,
  };
  return { x, out, err, asked };
}

describe('agree', () => {
  const typed = { kind: 'typed', words: 'switch over', why: 'the service stops for a moment' } as const;
  it('asks for the exact words, and --yes stands for them', async () => {
    expect(await agree(typed, false, io(['switch over']).x)).toEqual({ ok: true, how: 'typed "switch over"' });
    expect((await agree(typed, false, io(['yes']).x)).ok).toBe(false);
    expect(await agree(typed, true, io().x)).toEqual({ ok: true, how: '--yes' });
  });
  it('without a terminal, only --yes agrees', async () => {
    expect(await agree({ kind: 'yes', question: 'Clean up?' }, false, io().x)).toEqual({ ok: false, why: 'no terminal to confirm on: add --yes to run it unattended' });
    expect((await agree({ kind: 'yes', question: 'Clean up?' }, false, io(['y']).x)).ok).toBe(true);
    expect((await agree({ kind: 'yes', question: 'Clean up?' }, false, io(['']).x)).ok).toBe(false);
    expect((await agree({ kind: 'none' }, false, io().x)).ok).toBe(true);
  });
});

describe('an action as a subcommand, on the demo lab', () => {
  const run = async (argv: string[]) => {
    const t = io();
    const code = await runActionCommand(cleanupAction, argv, 'usage: cleanup\n', {}, t.x);
    return { code, ...t };
  };

  it('plans on the recordings with --dry-run and changes nothing', async () => {
    const r = await run(['--demo', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^cleanup: nothing to clean up/);
    expect(r.err).toEqual([]);
  });

  it('refuses --demo without --dry-run, an unknown flag, and a resource the cluster lacks: one line, exit 2', async () => {
    for (const argv of [['--demo'], ['--demo', '--dry-run', '--force'], ['p_nosuch', '--demo', '--dry-run'], ['a;b', '--demo', '--dry-run']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(/^error: (--demo|--force|RESOURCE): /);
    }
  });

  it('prints the plan as JSON with --json', async () => {
    const r = await run(['--demo=failed-over', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    const first = JSON.parse(r.out[0]!);
    expect(first).toMatchObject({ type: 'plan', action: 'cleanup' });
    expect(JSON.parse(r.out.at(-1)!)).toMatchObject({ type: 'outcome', kind: 'dry-run' });
  });
});
