// The one quoting function, checked the only way that counts: a real POSIX shell must give back the
// exact argv. Property tests throw arbitrary strings at it (fast-check).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { quoteArg, quoteArgv } from '../../src/exec/shell-quote.js';

/** Runs `sh -c "<quoted> ..."` through printf so every argument comes back NUL-terminated. */
function roundTrip(args: string[], shell = 'sh'): string[] {
  const line = quoteArgv(['printf', '%s\\0', ...args]);
  const out = execFileSync(shell, ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoteArgv', () => {
  it('leaves plain words bare and quotes the rest', () => {
    expect(quoteArgv(['lsblk', '-J', '-b', '-O'])).toBe('lsblk -J -b -O');
    expect(quoteArg('')).toBe("''");
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('$(id)')).toBe(`'$(id)'`);
  });

  it('refuses a NUL byte and an empty argv instead of truncating', () => {
    expect(() => quoteArgv(['echo', 'a\0b'])).toThrow(/NUL/);
    expect(() => quoteArgv([])).toThrow(/empty/);
  });

  it('round-trips hostile strings through a real sh -c', () => {
    const args = ['a b', "'", "''", '"', '\\', '\\\\n', '$(touch /tmp/x)', '`id`', '${HOME}', '*', '?', '~', '!', '#',
      'a\nb', '\n', '\t', ' ', '-', '--', '-n', ';', '&', '|', '<', '>', '%s', 'é€😀', "a'b\"c$d`e\\f"];
    expect(roundTrip(args)).toEqual(args);
    expect(roundTrip(args, 'bash')).toEqual(args);
  });

  it('property: any argv without NUL comes back exactly from sh -c (dash) and bash', () => {
    const arg = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    // Mix in shell metacharacters much more often than uniform unicode would.
    const meta = fc.string({ unit: fc.constantFrom("'", '"', '\\', '$', '`', '(', ')', ' ', '\n', '*', '!', ';', '&', '|', 'a', '~', '#', '{', '}'), maxLength: 20 });
    fc.assert(
      fc.property(fc.array(fc.oneof(arg, meta), { minLength: 1, maxLength: 6 }), (args) => {
        expect(roundTrip(args)).toEqual(args);
        expect(roundTrip(args, 'bash')).toEqual(args);
      }),
      { numRuns: 150 },
    );
  });
});
