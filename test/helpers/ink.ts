// Helpers for ink-testing-library tests: wait for content instead of sleeping, and named keys.
import { expect } from 'vitest';

/** Polls until check() passes (returns truthy or stops throwing); fails with the last frame after timeoutMs. */
export async function waitFor(check: () => unknown, options: { timeoutMs?: number; frame?: () => string | undefined } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const r = check();
      if (r !== false && r !== undefined && r !== null) return;
      last = new Error('condition returned false');
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const frame = options.frame?.();
      throw new Error(`waitFor timed out: ${last instanceof Error ? last.message : String(last)}${frame !== undefined ? `\n--- last frame ---\n${frame}` : ''}`);
    }
    // Yield to Ink's render loop and pending I/O; polling, not a fixed sleep.
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Waits until the last frame contains text. */
export async function waitForText(lastFrame: () => string | undefined, text: string | RegExp, timeoutMs?: number): Promise<string> {
  await waitFor(() => {
    const f = lastFrame() ?? '';
    return typeof text === 'string' ? f.includes(text) : text.test(f);
  }, { frame: lastFrame, ...(timeoutMs ? { timeoutMs } : {}) });
  return lastFrame() ?? '';
}

export function expectFrame(frame: string | undefined): ReturnType<typeof expect<string>> {
  return expect(frame ?? '');
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  backspace: '\u007F',
  space: ' ',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
} as const;

interface Rendered {
  stdin: { write: (s: string) => void };
  frames: string[];
  lastFrame: () => string | undefined;
}

/**
 * Types one key and waits until Ink has drawn a new frame for it (keys written faster than Ink renders are
 * coalesced, as a person never types). Returns the new last frame.
 */
export async function press(r: Rendered, key: string, times = 1): Promise<string> {
  for (let i = 0; i < times; i++) {
    const before = r.frames.length;
    r.stdin.write(key);
    await waitFor(() => r.frames.length > before, { timeoutMs: 10_000, frame: r.lastFrame });
  }
  return r.lastFrame() ?? '';
}

/** Types a string one character at a time. */
export async function type(r: Rendered, text: string): Promise<string> {
  for (const ch of text) await press(r, ch);
  return r.lastFrame() ?? '';
}
