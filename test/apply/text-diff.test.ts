import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/apply/text-diff.js';

describe('lineDiff', () => {
  it('shows a hand-added line and a changed one with context, eliding the rest', () => {
    const ours = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const current = ['a', 'b', 'c', 'X', 'e', 'f', 'g', 'h', 'added'].join('\n');
    const d = lineDiff(current, ours, 1);
    expect(d).toEqual(['...', '  c', '- X', '+ d', '  e', '...', '  h', '- added']);
  });
  it('identical texts: nothing to show', () => {
    expect(lineDiff('x\ny', 'x\ny')).toEqual([]);
  });
});
