// Polls a terminal screen (a tmux pane read) until a predicate holds: the tmux tests' one waiting loop.
// A session that is gone reads as "(session gone)", so the failure shows what was last on screen.
export async function waitScreen(screen: () => string, pred: (s: string) => boolean, timeoutMs: number, what = 'the screen'): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      last = screen();
    } catch {
      last = '(session gone)';
    }
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen was:\n${last}`);
}
