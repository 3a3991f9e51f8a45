import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { ApplyApp, createApplyBus } from '../../../src/screens/apply/apply-app.js';
import { ApplyTypedConfirm } from '../../../src/screens/apply/apply-typed-confirm.js';
import { NO_FENCING_DETAIL, NO_FENCING_WORDS } from '../../../src/apply/no-fencing.js';
import { KEY, press, type, waitFor, waitForText } from '../../helpers/ink.js';

describe('typed acknowledgement of running without fencing', () => {
  it('shows why, accepts only the exact words, asks again after anything else', async () => {
    const answers: boolean[] = [];
    const r = render(<ApplyTypedConfirm words={NO_FENCING_WORDS} detail={NO_FENCING_DETAIL} onAnswer={(y) => answers.push(y)} />);
    expect(r.lastFrame()).toContain('stonith-enabled=false');
    await type(r, 'yes');
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'Not the words asked for');
    expect(answers).toEqual([]);
    await type(r, NO_FENCING_WORDS);
    await press(r, KEY.enter).catch(() => undefined);
    expect(answers).toEqual([true]);
  });

  it('Esc refuses', async () => {
    const answers: boolean[] = [];
    const r = render(<ApplyTypedConfirm words={NO_FENCING_WORDS} detail={[]} onAnswer={(y) => answers.push(y)} />);
    await waitFor(() => {
      if (answers.length === 0) r.stdin.write(KEY.escape);
      return answers.length > 0;
    });
    expect(answers[0]).toBe(false);
  });

  it('is asked through the apply bus like the other prompts', async () => {
    const bus = createApplyBus();
    const r = render(<ApplyApp bus={bus} />);
    const answer = bus.ask({ type: 'prompt', prompt: { kind: 'typed', words: NO_FENCING_WORDS, detail: NO_FENCING_DETAIL } });
    await waitForText(r.lastFrame, `Type "${NO_FENCING_WORDS}"`);
    let answered: boolean | null = null;
    void answer.then((y) => (answered = y));
    await waitFor(() => {
      if (answered === null) r.stdin.write(KEY.escape);
      return answered !== null;
    });
    expect(answered).toBe(false);
    r.unmount();
  });
});
