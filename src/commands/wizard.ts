// `hanfs-wizard [--demo] [--answers FILE] [--node user@host[:port]] [--identity FILE]`: the interactive
// wizard. Ink and React are loaded here only (the CLI entry answers --version/--help without them); the
// first frame is drawn before any probe or rehearsal starts.
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createElement } from 'react';
import { render } from 'ink';
import { parseCommandOptions } from './cli-options.js';
import { readErrorText } from '../answers/load.js';
import { createWizardServices } from './wizard-services.js';
import { WizardApp } from '../screens/wizard/wizard-app.js';
import { STEPS, firstUnfinished } from '../steps/index.js';
import { parseDraftYaml, setPath } from '../steps/draft.js';
import { fieldError, sshSchema } from '../answers/schema.js';
import type { Draft } from '../steps/types.js';
import { renderCommandHelp } from './help-source.js';

export const USAGE = renderCommandHelp('wizard');

export const NO_TTY_ERROR = 'error: the wizard needs a terminal; without one use: hanfs-wizard export --answers FILE --out DIR';

/** Reads the draft to reopen; a missing file is a fresh start. */
export async function loadDraft(path: string): Promise<{ ok: true; draft: Draft } | { ok: false; error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: true, draft: {} };
    return { ok: false, error: `error: --answers: ${path}: ${readErrorText(e)}` };
  }
  const r = parseDraftYaml(text);
  return r.ok ? r : { ok: false, error: `error: --answers: ${path}: ${r.error}` };
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandOptions(
    argv,
    { demo: { type: 'boolean', default: false }, answers: { type: 'string' }, node: { type: 'string' }, identity: { type: 'string' } },
    USAGE,
  );
  if (parsed.exit !== null) return parsed.exit;
  const { values } = parsed;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(`${NO_TTY_ERROR}\n`);
    return 2;
  }
  if (values.node !== undefined && fieldError(sshSchema, values.node) !== null) {
    process.stderr.write(`error: --node: ${values.node}: ${fieldError(sshSchema, values.node)}\n`);
    return 2;
  }
  const answersPath = resolve(values.answers ?? 'hanfs-answers.yaml');
  const loaded = await loadDraft(answersPath);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.error}\n`);
    return 2;
  }
  const draft = values.node ? setPath(loaded.draft, 'nodes[1].ssh', values.node) : loaded.draft;
  const services = createWizardServices({ demo: values.demo ?? false, answersPath, ...(values.identity ? { identity: values.identity } : {}) });
  const start = firstUnfinished(STEPS, draft, { demo: services.demo, probe: { status: 'waiting' }, facts: null });
  let code = 0;
  // Raw mode before the first frame: Ink turns it on only in an effect after drawing, and a key typed in
  // between would be line-buffered and echoed by the terminal (Enter arriving as "\n", not Return).
  process.stdin.setRawMode(true);
  const app = render(createElement(WizardApp, { steps: STEPS, draft, startIndex: start, services, onExit: (c: number) => (code = c) }), { exitOnCtrlC: false });
  // bench/first-frame.mjs: Ink (legacy mode) has written the first frame when render() returns.
  if (process.env.HANFS_BENCH_FIRST_FRAME) {
    writeFileSync(process.env.HANFS_BENCH_FIRST_FRAME, JSON.stringify({ wallMs: performance.now(), cpu: process.cpuUsage() }));
  }
  await app.waitUntilExit();
  if (services.applyRequested) {
    // The wizard hands over to apply, which shows the plan and asks before changing anything.
    const apply = await import('./apply.js');
    const args = ['--answers', answersPath, ...(services.demo ? ['--demo', '--dry-run'] : []), ...(values.identity ? ['--identity', values.identity] : [])];
    process.stdout.write(`\nhanfs-wizard apply ${args.join(' ')}\n`);
    code = await apply.run(args);
  }
  // A rehearsal (crm_simulate, ~15 s) may still be running after the user quit; it has no cancel hook,
  // so do not let it hold the terminal: exit once the loop has nothing else (unref'd timer).
  setTimeout(() => process.exit(code), 200).unref();
  return code;
}
