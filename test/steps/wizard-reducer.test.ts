import { describe, expect, test } from 'vitest';
import { initialState, wizardReducer, type WizardState } from '../../src/steps/wizard-reducer.js';
import { setPath } from '../../src/steps/draft.js';

const start = (): WizardState => initialState({ version: 1 }, 5, 2);

describe('wizardReducer', () => {
  test('Next is refused while the step has errors, and goes on when it has none', () => {
    const refused = wizardReducer(start(), { type: 'next', errors: 2 });
    expect(refused.index).toBe(2);
    expect(refused.refused).toBe(true);
    const ok = wizardReducer(refused, { type: 'next', errors: 0 });
    expect(ok.index).toBe(3);
    expect(ok.refused).toBe(false);
  });

  test('back keeps every answer and stops at the first step', () => {
    let s = wizardReducer(start(), { type: 'update', fn: (d) => setPath(d, 'lvm.vg', 'vg_data') });
    s = wizardReducer(s, { type: 'back' });
    s = wizardReducer(s, { type: 'back' });
    s = wizardReducer(s, { type: 'back' });
    expect(s.index).toBe(0);
    expect(s.draft).toEqual({ version: 1, lvm: { vg: 'vg_data' } });
  });

  test('Next stops at the last step', () => {
    const s = wizardReducer(initialState({}, 2, 1), { type: 'next', errors: 0 });
    expect(s.index).toBe(1);
  });

  test('an update marks the draft unsaved; saved clears it; an update that changes nothing does not', () => {
    const s0 = start();
    expect(wizardReducer(s0, { type: 'update', fn: (d) => d })).toBe(s0);
    const s1 = wizardReducer(s0, { type: 'update', fn: (d) => setPath(d, 'raid.device', '/dev/md1') });
    expect(s1.dirty).toBe(true);
    expect(wizardReducer(s1, { type: 'saved' }).dirty).toBe(false);
  });

  test('help toggles; quit asks; close-overlay closes; goto ignores indexes out of range', () => {
    let s = wizardReducer(start(), { type: 'help' });
    expect(s.overlay).toBe('help');
    s = wizardReducer(s, { type: 'help' });
    expect(s.overlay).toBe('none');
    s = wizardReducer(s, { type: 'ask-quit' });
    expect(s.overlay).toBe('quit');
    s = wizardReducer(s, { type: 'close-overlay' });
    expect(s.overlay).toBe('none');
    expect(wizardReducer(s, { type: 'goto', index: 9 }).index).toBe(2);
    expect(wizardReducer(s, { type: 'goto', index: 4 }).index).toBe(4);
  });

  test('the start index is clamped to the steps', () => {
    expect(initialState({}, 3, 7).index).toBe(2);
    expect(initialState({}, 3, -1).index).toBe(0);
  });
});

test('defaults filled in on entering a step are not unsaved answers', () => {
  const s = wizardReducer(initialState({}, 3), { type: 'update', fn: (d) => setPath(d, 'version', 1), defaults: true });
  expect(s.draft).toEqual({ version: 1 });
  expect(s.dirty).toBe(false);
});
