// Runs the scenarios a few at a time (engine.ts): the first failure stops new ones from starting.

export async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (next < items.length && !stop) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (e) {
        stop = true; // no new scenario starts after a failure
        throw e;
      }
    }
  };
  // allSettled: on an abort or a failure, wait for every worker to stop before the caller removes
  // the directories they write in; then report the first failure.
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return out;
}
