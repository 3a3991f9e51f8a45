// apply builds the plan once, with the export tree, and the engine runs that very plan (issue 23: apply
// built it for the export and the engine built it again, so what was shown and consented was not, as an
// object, what ran). planSteps and the engine are wrapped, not replaced: every build is counted and marks
// its steps' titles with its number, and the engine's options are kept; the real apply runs its dry run
// on the demo lab in this process.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlanStep } from '../../src/plan/types.js';
import type { ApplyOptions } from '../../src/apply/engine.js';

const seen = vi.hoisted(() => ({ builds: [] as PlanStep[][], engines: [] as ApplyOptions[] }));
vi.mock('../../src/plan/plan.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/plan/plan.js')>();
  return {
    ...m,
    planSteps: (...a: Parameters<typeof m.planSteps>) => {
      const plan = m.planSteps(...a);
      seen.builds.push(plan);
      const n = seen.builds.length;
      return plan.map((s) => ({ ...s, title: `${s.title} [build ${n}]` }));
    },
  };
});
vi.mock('../../src/apply/engine.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/apply/engine.js')>();
  class CountedEngine extends m.ApplyEngine {
    constructor(o: ApplyOptions) {
      seen.engines.push(o);
      super(o);
    }
  }
  return { ...m, ApplyEngine: CountedEngine };
});

const { run } = await import('../../src/commands/apply.js');

const DEMO = 'test/fixtures/apply/demo-answers.yaml';

describe('apply: the plan shown, consented and run is the one built with the export', () => {
  let stdout: string[];
  beforeEach(() => {
    seen.builds.length = 0;
    seen.engines.length = 0;
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (stdout.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('one build; the engine gets those steps and shows and runs exactly them', async () => {
    const code = await run(['--answers', DEMO, '--dry-run', '--demo', '--json']);
    expect(code).toBe(0);
    expect(seen.builds).toHaveLength(1);
    expect(seen.engines).toHaveLength(1);
    const given = seen.engines[0]!.steps!;
    expect(given.map((s) => s.id)).toEqual(seen.builds[0]!.map((s) => s.id));
    expect(given.every((s) => s.title.endsWith(' [build 1]'))).toBe(true);

    const events = stdout.join('').trim().split('\n').map((l) => JSON.parse(l) as { type: string; steps?: { id: string; title: string }[]; kind?: string; wouldRun?: string[]; skipped?: string[] });
    // What the screens and scripts are shown: the steps of that one build, titles and all.
    const assessed = events.find((e) => e.type === 'assessed')!;
    expect(assessed.steps!.map((s) => s.title)).toEqual(given.map((s) => s.title));
    // What the dry run would run or found done: every step of it, none other.
    const outcome = events.at(-1)!;
    expect(outcome).toMatchObject({ type: 'outcome', kind: 'dry-run' });
    expect([...outcome.wouldRun!, ...outcome.skipped!].sort()).toEqual(given.map((s) => s.id).sort());
  });
});
