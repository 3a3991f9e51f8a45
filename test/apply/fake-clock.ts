// Engine tests' time: only the engine's waits move it.
/**
 * A clock that only moves when the engine waits: the settle step's stability window (tens of seconds of
 * consecutive good polls) passes in a few event-loop turns, and no test depends on real time.
 */
export function fakeClock(start = Date.UTC(2026, 10, 25, 21, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
      // A real turn of the event loop, so background watchers and the steps interleave as they would.
      await new Promise((r) => setImmediate(r));
    },
  };
}
