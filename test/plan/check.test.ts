// The plan's cross-references are checked when it is built: a wrong id throws instead of being skipped.
import { describe, expect, it } from 'vitest';
import { checkPlan } from '../../src/plan/check.js';
import { planSteps } from '../../src/plan/plan.js';
import { GROUPS } from '../../src/plan/order.js';
import type { PlanStep } from '../../src/plan/types.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';

const plan = async () => planSteps((await loadExample('examples/answers.yaml')).answers);
const edit = (steps: PlanStep[], id: string, change: Partial<PlanStep>) => steps.map((s) => (s.id === id ? { ...s, ...change } : s));

describe('checkPlan', () => {
  it.each(EXAMPLE_FILES)('accepts the plan of %s, whose groups come in GROUPS order', async (f) => {
    const steps = planSteps((await loadExample(f)).answers);
    const firsts = [...new Set(steps.map((s) => s.parallelGroup))];
    expect(firsts).toEqual(GROUPS.filter((g) => firsts.includes(g)));
  });

  it('throws on a doneIf naming no step', async () => {
    const steps = await plan();
    const id = steps.find((s) => s.id.endsWith('/packages'))!.id;
    expect(() => checkPlan(edit(steps, id, { doneIf: ['cluster/cluster-onlin'] }))).toThrow(/doneIf names cluster\/cluster-onlin, which is no step/);
  });

  it('throws on a doneIf naming an earlier step', async () => {
    const steps = await plan();
    expect(() => checkPlan(edit(steps, 'cluster/mkfs', { doneIf: ['cluster/drbd-connect'] }))).toThrow(/comes before it/);
  });

  it('throws on an alsoAfter naming no step', async () => {
    const steps = await plan();
    const s = steps.find((x) => x.alsoAfter)!;
    expect(() => checkPlan(edit(steps, s.id, { alsoAfter: { ...s.alsoAfter!, steps: ['nfs1/file:/etc/nope'] } }))).toThrow(/alsoAfter names/);
  });

  it('throws on two steps with one id, and on a group listed after a later one', async () => {
    const steps = await plan();
    expect(() => checkPlan([...steps, steps[0]!])).toThrow(/two steps are/);
    expect(() => checkPlan([...steps, { ...steps[0]!, id: 'x/late', parallelGroup: '00-preflight' }])).not.toThrow();
    expect(() => checkPlan([...steps.slice(0, 1), { ...steps[5]!, id: 'x/a', parallelGroup: '13-nfs', doneIf: [] }, { ...steps[1]!, id: 'x/b', parallelGroup: '03-raid', doneIf: [] }])).toThrow(/first appears after a later group/);
  });

  it('throws on a background step joined before its own group', async () => {
    const steps = await plan();
    const s = steps.find((x) => x.background)!;
    expect(() => checkPlan(edit(steps, s.id, { background: { before: '00-preflight' } }))).toThrow(/background/);
  });
});
