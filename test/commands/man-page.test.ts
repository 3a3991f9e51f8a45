// hanfs-wizard(8) and every --help never disagree: the shipped page (written by the packaging script
// scripts/gen-man-completion.mjs) is rendered by man(1) as an admin reads it, and each command's
// subsection must hold exactly the words of `hanfs-wizard COMMAND --help`, as printed by the built CLI
// (both the entry's answer and the command's own, reached through one of its switches).
// Needs `npm run build` first (npm test does it) and man-db (test/setup/install-tools.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMAND_HELP } from '../../src/commands/help-source.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'hanfs-man-'));
const page = join(work, 'man', 'man8', 'hanfs-wizard.8');
let rendered = '';

const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { encoding: 'utf8', input: '' });
const words = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The commands `hanfs-wizard --help` lists, the wizard (no command word) first. */
function listedCommands(): string[] {
  const help = cli(['--help']).stdout;
  return [...help.matchAll(/^ {2}hanfs-wizard(?: ([a-z][a-z-]*))?(?= |$)/gm)].map((m) => m[1] ?? 'wizard');
}

/** The text of one rendered subsection ("   hanfs-wizard export"), up to the next heading. */
function subsection(title: string): string {
  const lines = rendered.split('\n');
  const start = lines.findIndex((l) => l === `   ${title}`);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && (/^ {3}\S/.test(l) || /^\S/.test(l)));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/cli.js is missing: run npm run build').toBe(true);
  const gen = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-man-completion.mjs'), work], { encoding: 'utf8' });
  expect(gen.status, gen.stderr).toBe(0);
  // LC_ALL=C: the ASCII device, so quotes and hyphens come out as typed; MANWIDTH as wide as --help.
  const man = spawnSync('man', ['-l', '-P', 'cat', page], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', MANWIDTH: '100', MAN_KEEP_FORMATTING: '' } });
  expect(man.error, 'man is required (test/setup/install-tools.sh installs man-db)').toBeUndefined();
  expect(man.status, man.stderr).toBe(0);
  rendered = man.stdout.replace(/.\x08/g, '');
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('hanfs-wizard(8)', () => {
  it('is a section 8 page named after the program, with the sections an admin looks for', () => {
    expect(readFileSync(page, 'utf8')).toMatch(/^\.TH HANFS\\-WIZARD 8 "\d{4}-\d\d-\d\d" "hanfs\\-wizard \d+\.\d+\.\d+/m);
    for (const h of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'COMMANDS', 'OPTIONS', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SEE ALSO']) {
      expect(rendered, h).toMatch(new RegExp(`^${h}$`, 'm'));
    }
    expect(rendered).toMatch(/^ {7}hanfs-wizard - two bare Linux servers/m);
  });

  it('has a subsection for every command --help lists, holding exactly the words of its --help', () => {
    const commands = listedCommands();
    // Every command of the help source, the actions on a running cluster included, in its order.
    expect(commands).toEqual(COMMAND_HELP.map((c) => c.name));
    expect(commands.slice(0, 6)).toEqual(['wizard', 'export', 'rehearse', 'probe', 'apply', 'monitor']);
    for (const c of commands) {
      const help = cli([c, '--help']);
      expect(help.status, `${c} --help`).toBe(0);
      const title = c === 'wizard' ? 'hanfs-wizard' : `hanfs-wizard ${c}`;
      const section = subsection(title);
      expect(section, `no subsection "${title}" in the rendered page`).not.toBe('');
      expect(words(section), c).toBe(words(help.stdout));
    }
  });

  it("each command's own --help (past the entry) prints that same text", () => {
    // A switch first, so the entry hands over to the command, which prints its help itself.
    const viaCommand: Record<string, string[]> = {
      wizard: ['--demo', '--help'], export: ['export', '--force', '--help'], rehearse: ['rehearse', '--json', '--help'],
      probe: ['probe', '--json', '--help'], apply: ['apply', '--json', '--help'], monitor: ['monitor', '--once', '--help'],
    };
    for (const [c, args] of Object.entries(viaCommand)) {
      const own = cli(args);
      expect(own.status, `${args.join(' ')}: ${own.stderr}`).toBe(0);
      expect(own.stdout, c).toBe(cli([c, '--help']).stdout);
    }
  });

  it('the synopsis gives every usage line of hanfs-wizard --help', () => {
    const synopsis = words(rendered.slice(rendered.indexOf('\nSYNOPSIS\n'), rendered.indexOf('\nDESCRIPTION\n')));
    const usage = cli(['--help']).stdout;
    const lines = usage.slice(usage.indexOf('Usage:\n') + 7, usage.indexOf('\nOptions:')).split('\n');
    // A usage entry is its first line plus the continuation lines indented past it; the summary line
    // (six spaces) ends it.
    const entries: string[] = [];
    for (const l of lines) {
      if (/^ {2}hanfs-wizard/.test(l)) entries.push(l);
      else if (/^ {7,}\[|^ {7,}-/.test(l)) entries[entries.length - 1] += ` ${l}`;
    }
    expect(entries).toHaveLength(COMMAND_HELP.length);
    for (const e of entries) expect(synopsis).toContain(words(e));
  });

  it('the global options are the ones --help lists', () => {
    const help = cli(['--help']).stdout;
    const flags = [...help.slice(help.indexOf('\nOptions:')).matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    const options = rendered.slice(rendered.indexOf('\nOPTIONS\n'), rendered.indexOf('\nEXIT STATUS\n'));
    expect([...options.matchAll(/^ {7}(--[a-z-]+)/gm)].map((m) => m[1])).toEqual(flags);
  });
});
