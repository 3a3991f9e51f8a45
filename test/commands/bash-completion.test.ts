// The bash completion the package installs, run by a real bash: as complete(1) calls it (COMP_WORDS
// split the way readline splits them, "=" a word of its own), and once typed in an interactive bash in a
// terminal (tmux) so bash's own word splitting and insertion are exercised too. What it offers is
// checked against what the built CLI says (--help) and against the demo lab's folders, not against the
// help source it was generated from. Needs `npm run build` first, bash and tmux (install-tools.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/ink.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hanfs-completion-'));
const script = join(work, 'share', 'bash-completion', 'completions', 'hanfs-wizard');
const socket = `hanfs-completion-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

// Memoised: the same --help is read by several tests.
const cliRuns = new Map<string, SpawnSyncReturns<string>>();
const cli = (args: string[]) => {
  const key = args.join('\0');
  if (!cliRuns.has(key)) cliRuns.set(key, spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { encoding: 'utf8', input: '' }));
  return cliRuns.get(key)!;
};

/**
 * What _hanfs_wizard offers for a command line; the cursor is at its end. The line is split into words
 * as readline does with the default COMP_WORDBREAKS for these inputs (spaces, and "=" on its own).
 */
function complete(line: string, cwd = work): string[] {
  const words = line.split(' ').flatMap((w) => w.split(/(=)/).filter((x, i, a) => x !== '' || i === a.length - 1));
  const r = spawnSync(
    'bash',
    ['--norc', '--noprofile', '-c', 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _hanfs_wizard; printf "%s\\n" "${COMPREPLY[@]}"', '_', script, ...words],
    { encoding: 'utf8', cwd },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

/** The long options `hanfs-wizard COMMAND --help` lists ("--demo[=SCENARIO]" gives --demo and --demo=). */
function helpFlags(command: string): string[] {
  const help = cli([command, '--help']).stdout;
  const flags = [...help.slice(help.indexOf('\nOptions:')).matchAll(/^ {2}(--[a-z-]+)(\[=)?/gm)].flatMap((m) => (m[2] ? [m[1]!, `${m[1]}=`] : [m[1]!]));
  return [...flags, '--help'].sort();
}

/** The commands `hanfs-wizard --help` lists. */
const listedCommands = () => [...cli(['--help']).stdout.matchAll(/^ {2}hanfs-wizard ([a-z][a-z-]*)/gm)].map((m) => m[1]!);

/**
 * The verbs the built CLI's `COMMAND --help` usage shows: the lower-case words opening its alternatives
 * before the options ("list | create | mount NAME [DIR] | ..." -> list, create, mount...; "on|off").
 */
function usageVerbsOf(command: string): string[] {
  const help = cli([command, '--help']).stdout;
  const usage = help.slice(0, help.indexOf('\n\n')).replace(/\s+/g, ' ').replace(`Usage: hanfs-wizard ${command} `, '');
  const head = usage.split(/ (?=\[?--)/)[0]!;
  return head.split('|').map((alt) => alt.trim().split(' ')[0]!).filter((w) => /^[a-z][a-z-]*$/.test(w));
}

const scenarios = readdirSync(join(ROOT, 'demo-lab')).filter((d) => statSync(join(ROOT, 'demo-lab', d)).isDirectory()).sort();

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
  const gen = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-man-completion.mjs'), join(work, 'share')], { encoding: 'utf8' });
  expect(gen.status, gen.stderr).toBe(0);
  mkdirSync(join(work, 'site', 'conf'), { recursive: true });
  writeFileSync(join(work, 'site', 'answers.yaml'), '');
  writeFileSync(join(work, 'site', 'answers-old.yaml'), '');
}, 60_000);
afterAll(() => {
  tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

describe('bash completion', () => {
  it('passes bash -n and shellcheck', () => {
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const sc = spawnSync('shellcheck', ['-s', 'bash', script], { encoding: 'utf8' });
    expect(sc.error, 'shellcheck is required (test/setup/install-tools.sh)').toBeUndefined();
    expect(sc.status, sc.stdout).toBe(0);
  });

  it('offers the commands --help lists, then help; and the wizard options after "-"', () => {
    const listed = [...cli(['--help']).stdout.matchAll(/^ {2}hanfs-wizard ([a-z][a-z-]*)/gm)].map((m) => m[1]);
    expect(complete('hanfs-wizard ')).toEqual([...listed, 'help']);
    expect(complete('hanfs-wizard re')).toEqual(['rehearse', 'restore']);
    expect(complete('hanfs-wizard -').sort()).toEqual([...helpFlags('wizard'), '--version'].sort());
    expect(complete('hanfs-wizard help mo')).toEqual(['monitor']);
  });

  it('offers every command src/cli.ts runs (its COMMANDS table), the wizard being the default', () => {
    const source = readFileSync(join(ROOT, 'src/cli.ts'), 'utf8');
    const table = source.slice(source.indexOf('const COMMANDS'), source.indexOf('\n};', source.indexOf('const COMMANDS')));
    const names = [...table.matchAll(/^ {2}'?([a-z][a-z-]*)'?: \(\) => import/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(10);
    const offered = complete('hanfs-wizard ');
    for (const n of names.filter((x) => x !== 'wizard')) expect(offered, n).toContain(n);
    // each one also after "help"
    for (const n of names.filter((x) => x !== 'wizard')) expect(complete(`hanfs-wizard help ${n}`), n).toEqual([n]);
  });

  it("offers each command's verbs first, exactly as its --help usage shows them, then its options", () => {
    // The verbs issue 30 names, so that the usage-line reading below cannot agree with itself on nothing.
    expect(complete('hanfs-wizard snapshot ')).toEqual(['list', 'create', 'mount', 'unmount', 'remove']);
    expect(complete('hanfs-wizard disk ')).toEqual(['replace']);
    expect(complete('hanfs-wizard maintenance ')).toEqual(['on', 'off']);
    expect(complete('hanfs-wizard snapshot un')).toEqual(['unmount']);
    let withVerbs = 0;
    for (const c of listedCommands()) {
      const verbs = usageVerbsOf(c);
      if (verbs.length === 0) {
        // a command without verbs offers its options (or a path/nothing for its argument) at once
        expect(complete(`hanfs-wizard ${c} `).filter((w) => !w.startsWith('-')), c).toEqual([]);
        continue;
      }
      withVerbs++;
      expect(complete(`hanfs-wizard ${c} `), c).toEqual(verbs);
      // options given before the verb: still the verbs
      expect(complete(`hanfs-wizard ${c} --dry-run `), c).toEqual(verbs);
      expect(complete(`hanfs-wizard ${c} --demo=running `), c).toEqual(verbs);
      // after the verb, the options; an option's value still completes
      expect(complete(`hanfs-wizard ${c} ${verbs[0]} `).sort(), c).toEqual(helpFlags(c));
      expect(complete(`hanfs-wizard ${c} ${verbs[0]} --answers site/answers.y`), c).toEqual(['site/answers.yaml']);
    }
    expect(withVerbs).toBeGreaterThanOrEqual(3);
  });

  it('offers exactly the verbs the CLI itself accepts (its refusal of an unknown verb names them)', () => {
    for (const c of listedCommands().filter((x) => usageVerbsOf(x).length > 0)) {
      const r = cli([c, 'zzbogus']);
      expect(r.status, `${c}: ${r.stderr}`).toBe(2);
      const offered = complete(`hanfs-wizard ${c} `);
      for (const v of offered) expect(r.stderr, `${c} ${v}`).toMatch(new RegExp(`\\b${v}\\b`));
      // A list the CLI spells out ("one of list, create, ...") is the completion's, word for word.
      const oneOf = /one of ([a-z, -]+)$/m.exec(r.stderr);
      if (oneOf) expect(offered, c).toEqual(oneOf[1]!.split(', '));
    }
  });

  it("offers each command's options exactly as its --help lists them", () => {
    for (const c of listedCommands()) {
      expect(complete(`hanfs-wizard ${c} --`).sort(), c).toEqual(helpFlags(c));
      // after a switch the options follow again
      expect(complete(`hanfs-wizard ${c} --help --`).sort(), c).toEqual(helpFlags(c));
    }
  });

  it('offers the demo lab scenarios after --demo= (also as one word) and --scenario', () => {
    expect(scenarios.length).toBeGreaterThan(3);
    expect(complete('hanfs-wizard monitor --demo=')).toEqual(scenarios);
    expect(complete('hanfs-wizard probe --demo=f')).toEqual(scenarios.filter((s) => s.startsWith('f')));
    expect(complete('hanfs-wizard probe --scenario ')).toEqual(scenarios);
    // COMP_WORDBREAKS without "=": the whole word is replaced, so the reply keeps its option.
    const r = spawnSync('bash', ['--norc', '-c', 'source "$1"; COMP_WORDS=(hanfs-wizard monitor --demo=spl); COMP_CWORD=2; _hanfs_wizard; echo "${COMPREPLY[*]}"', '_', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('--demo=split-brain');
    // the wizard's --demo takes no scenario: nothing to offer after "="
    expect(complete('hanfs-wizard --demo=')).toEqual([]);
  });

  it('completes files for FILE options, directories for --out, nothing for values it cannot know', () => {
    expect(complete('hanfs-wizard export --answers site/ans').sort()).toEqual(['site/answers-old.yaml', 'site/answers.yaml']);
    expect(complete('hanfs-wizard rehearse --answers site/answers.yaml --cib site/').sort()).toEqual(['site/answers-old.yaml', 'site/answers.yaml', 'site/conf']);
    expect(complete('hanfs-wizard export --answers site/answers.yaml --out site/')).toEqual(['site/conf']);
    expect(complete('hanfs-wizard apply --answers=site/answers.y')).toEqual(['site/answers.yaml']);
    expect(complete('hanfs-wizard apply --wipe ')).toEqual([]);
    expect(complete('hanfs-wizard monitor --interval ')).toEqual([]);
  });

  it('completes in an interactive bash in a terminal (tmux)', async () => {
    expect(spawnSync('tmux', ['-V']).status, 'tmux is required (test/setup/install-tools.sh)').toBe(0);
    const r = tmux('new-session', '-d', '-s', 'c', '-x', '120', '-y', '20', '-c', work, 'env', 'PS1=$ ', 'bash', '--norc', '--noprofile', '-i');
    expect(r.status, r.stderr).toBe(0);
    const screen = () => tmux('capture-pane', '-p', '-t', 'c').stdout;
    tmux('send-keys', '-t', 'c', `source ${script}`, 'Enter');
    tmux('send-keys', '-t', 'c', 'hanfs-wizard moni', 'Tab');
    // capture-pane drops trailing blanks: the space completion inserts shows once the next word is typed.
    await waitFor(() => /\$ hanfs-wizard monitor\s*$/m.test(screen()), { timeoutMs: 10_000, frame: screen });
    tmux('send-keys', '-t', 'c', '--', '--demo=spl', 'Tab');
    await waitFor(() => screen().includes('hanfs-wizard monitor --demo=split-brain'), { timeoutMs: 10_000, frame: screen });
    tmux('send-keys', '-t', 'c', '--', '--answers site/answers-', 'Tab');
    await waitFor(() => screen().includes('hanfs-wizard monitor --demo=split-brain --answers site/answers-old.yaml'), { timeoutMs: 10_000, frame: screen });
  }, 30_000);
});
