import { describe, expect, test } from 'vitest';
import type { Key } from 'ink';
import { editText } from '../../../src/screens/common/text-edit.js';
import { colorEnabled } from '../../../src/screens/common/theme.js';

const none: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;

describe('editText', () => {
  test('typing appends, Backspace and Delete remove the last character, Ctrl+U clears', () => {
    expect(editText('10.0', '.1', none)).toBe('10.0.1');
    expect(editText('10.0', '', { ...none, backspace: true })).toBe('10.');
    expect(editText('10.0', '', { ...none, delete: true })).toBe('10.');
    expect(editText('10.0', 'u', { ...none, ctrl: true })).toBe('');
  });

  test('navigation, control characters and ? are not edits', () => {
    expect(editText('a', '', { ...none, return: true })).toBe(null);
    expect(editText('a', '', { ...none, tab: true })).toBe(null);
    expect(editText('a', '', { ...none, escape: true })).toBe(null);
    expect(editText('a', '?', none)).toBe(null);
    expect(editText('a', '\u0007', none)).toBe(null);
  });
});

describe('NO_COLOR', () => {
  test('any non-empty NO_COLOR turns colour off; empty or absent leaves it on', () => {
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({})).toBe(true);
  });
});
