// The shell programs the plan runs on a node live as files in src/plan/sh/ (shellcheck reads them there,
// test/plan/sh.test.ts), imported as text: by esbuild's text loader in the build (scripts/build.mjs), by
// the vitest config's plugin in the tests, typed by src/plan/sh/text.d.ts. On the node each one runs as
// `sh -c <program>`, so the program is one line: comment lines and blank lines are dropped and the others
// joined by a space. A file is therefore written with each line ending where a space may stand (after
// `;`, `then`, `do`, `|`...), never inside a quoted string that must keep a line break.
export function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .join(' ');
}
