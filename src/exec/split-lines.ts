// Kept apart from local-runner.ts so the replay and SSH runners can use it without loading execa (about
// 65 ms of start-up on every --demo command).

/** Turns chunks into complete lines (without the newline); `end()` flushes a last unterminated line. */
export function splitLines(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let buf = '';
  return {
    push(chunk: string) {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i).replace(/\r$/, ''));
        buf = buf.slice(i + 1);
      }
    },
    end() {
      if (buf.length > 0) onLine(buf);
      buf = '';
    },
  };
}
