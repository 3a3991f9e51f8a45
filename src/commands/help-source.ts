// The one source of every command's help: `--help` of each command, `hanfs-wizard --help`, the man page
// (man-page.ts) and the bash completion (bash-completion.ts) are all rendered from these records, so the
// four never disagree (test/commands/man-page.test.ts compares the man page with each --help). Pure data
// and string functions, importing only more of the same (help-types.ts, help-actions.ts): the CLI entry
// renders --help from here before any command loads.

import { ACTION_HELP } from './help-actions.js';
import type { CommandHelp, CommandName, HelpOption } from './help-types.js';

export type { ActionCommandName, CommandHelp, CommandName, HelpOption, ValueKind } from './help-types.js';

export const PROGRAM = 'hanfs-wizard';
export const TAGLINE = 'two bare Linux servers to a highly available NFS service';
/** Help text is wrapped to this width, and the man page renders the same words. */
export const HELP_WIDTH = 100;

export const COMMAND_HELP: readonly CommandHelp[] = [
  {
    name: 'wizard',
    usage: '[--demo] [--answers FILE] [--node USER@HOST[:PORT]] [--identity FILE]',
    summary: 'the wizard (run as root on the first node)',
    description: ['The interactive wizard (run it as root on the first node; the peer is reached over SSH). It only reads the nodes; nothing changes until the end, where the files are reviewed and then exported or applied.'],
    options: [
      { flag: '--answers', arg: 'FILE', text: 'where answers are saved after every step (default ./hanfs-answers.yaml); an existing file is reopened with every answer in place, at the first unfinished step' },
      { flag: '--node', arg: 'USER@HOST[:PORT]', value: 'node', text: 'the peer node' },
      { flag: '--identity', arg: 'FILE', text: 'SSH private key for the peer (besides ssh-agent and ~/.ssh/id_*)' },
      { flag: '--demo', text: 'run on the embedded demo lab (nothing is contacted)' },
    ],
    notes: ['Without a terminal use: hanfs-wizard export --answers FILE --out DIR'],
    exitCodes: [
      [0, "finished or quit (after handing over to apply: apply's exit code)"],
      [2, 'bad options, an unreadable answers file, or no terminal'],
    ],
  },
  {
    name: 'export',
    usage: 'export --answers FILE --out DIR [--force]',
    summary: 'write every configuration file, touching no node',
    description: ['Writes every configuration file for both nodes (see DIR/README.md afterwards), touching no node. An invalid answers file writes nothing, not even DIR.'],
    options: [
      { flag: '--answers', arg: 'FILE', text: 'the answers file (docs/answers.md)' },
      { flag: '--out', arg: 'DIR', text: 'where to write; must be empty or absent unless --force' },
      { flag: '--force', text: 'overwrite files in a non-empty DIR' },
    ],
    exitCodes: [
      [0, 'written'],
      [1, 'could not write'],
      [2, 'bad answers or options'],
    ],
  },
  {
    name: 'rehearse',
    usage: 'rehearse --answers FILE [--cib FILE] [--on NODE [--identity FILE] [--known-hosts FILE]] [--json]',
    summary: 'play failures on the Pacemaker configuration',
    description: [
      "Plays failures (node loss, ping loss, failed monitors, stale DRBD data, standby) on the Pacemaker configuration these answers generate, with Pacemaker's scheduler (crm_simulate), touching no node.",
    ],
    options: [
      { flag: '--answers', arg: 'FILE', text: 'the answers file (docs/answers.md)' },
      { flag: '--cib', arg: 'FILE', text: 'rehearse this CIB file instead (an exported cluster/cib.xml, edited or not) against the promises of the answers' },
      { flag: '--on', arg: 'NODE', value: 'none', text: "play them with that node's own crm_simulate over SSH (a name from the answers' nodes), in a temporary directory there, on CIB files only; without it, this machine's" },
      { flag: '--identity', arg: 'FILE', text: 'with --on: SSH private key for the node' },
      { flag: '--known-hosts', arg: 'FILE', text: "with --on: known_hosts to check the node's host key against" },
      { flag: '--json', text: 'print the results as JSON' },
    ],
    exitCodes: [
      [0, 'every invariant holds'],
      [1, 'one breaks'],
      [2, 'bad usage or answers file'],
      [3, "could not run (Pacemaker's tools missing, or a tool failed)"],
    ],
  },
  {
    name: 'probe',
    usage: 'probe [--node USER@HOST[:PORT]]... [--demo[=SCENARIO]] [--json] [--identity FILE] [--host-key [NODE=]SHA256:...]...',
    summary: 'what the nodes have: disks, NICs, packages, DRBD',
    description: [
      'Probes each node in parallel (this machine when no --node is given) and prints what it found: OS, packages, DRBD module, disks with their verdicts, md, LVM, NICs, default gateway.',
    ],
    options: [
      { flag: '--node', arg: 'USER@HOST[:PORT]', repeat: true, value: 'node', text: 'a node to probe over SSH (or "local"); repeat for each node' },
      { flag: '--demo', arg: 'SCENARIO', optionalArg: true, value: 'scenario', text: 'probe the embedded demo lab instead of real machines (default bare; trixie-bare, trixie-running, trixie-failed-over, trixie-rejoined, trixie-service-link-cut, trixie-after-drills: Debian 13)' },
      { flag: '--scenario', arg: 'NAME', value: 'scenario', text: 'the same as --demo=NAME' },
      { flag: '--json', text: 'print what was found as JSON' },
      { flag: '--identity', arg: 'FILE', text: 'SSH private key file (besides ssh-agent and ~/.ssh/id_*)' },
      { flag: '--host-key', arg: '[NODE=]SHA256:...', repeat: true, value: 'none', text: 'accept an unknown host whose key has this fingerprint (prefix NODE= to tie it to one node)' },
    ],
    exitCodes: [
      [0, 'every node probed'],
      [1, 'a node could not be reached'],
      [2, 'bad options'],
    ],
  },
  {
    name: 'apply',
    usage: 'apply --answers FILE [--dry-run] [--yes --wipe NODE:DISK...] [--json] [--log FILE] [--demo] [--identity FILE] [--known-hosts FILE] [--replace-edited] [--accept-no-fencing]',
    summary: 'run the plan on both nodes',
    description: [
      'Runs the plan on both nodes: every step is checked first and skipped when already done, so running apply again after any interruption continues where it stopped. See docs/apply.md.',
    ],
    options: [
      { flag: '--answers', arg: 'FILE', text: 'the answers file (docs/answers.md)' },
      { flag: '--dry-run', text: 'show every step as "would run" or "already done"; change nothing' },
      { flag: '--yes', text: 'non-interactive: agree to installing packages; with --wipe, to wiping the named disks' },
      { flag: '--wipe', arg: 'NODE:DISK', repeat: true, value: 'none', text: 'a disk that may be wiped, as the answers name it (repeat for each; every disk the plan wipes must be named, and have its identity recorded: never on a path match alone), or an existing array or volume a step would overwrite' },
      { flag: '--replace-edited', text: 'replace files edited by hand on a node since the last apply (else: refused, exit 3)' },
      { flag: '--accept-no-fencing', text: 'with --yes: agree to run with pacemaker.stonith: none (interactively: typed)' },
      { flag: '--json', text: 'one JSON object per line (events, then the outcome)' },
      { flag: '--log', arg: 'FILE', text: 'also write the journal to FILE (always: /var/log/hanfs-wizard/apply-<time>.log)' },
      { flag: '--demo', text: 'with --dry-run: run on the embedded demo lab' },
      { flag: '--identity', arg: 'FILE', text: 'SSH private key for the nodes' },
      { flag: '--known-hosts', arg: 'FILE', text: "known_hosts to check the nodes' host keys against" },
    ],
    exitCodes: [
      [0, 'done (or the dry run shown)'],
      [1, 'a step failed'],
      [2, 'bad input (nothing changed)'],
      [3, 'refused for safety'],
      [130, 'interrupted'],
    ],
  },
  {
    name: 'monitor',
    usage: 'monitor [--answers FILE | --node USER@HOST... | --demo[=SCENARIO]] [--once | --json | --check | --prometheus | --listen ADDR:PORT] [--interval SECONDS] [--timeout SECONDS] [--accept-no-fencing]',
    summary: 'the live view of both nodes',
    description: [
      'The live view of both nodes: Pacemaker, DRBD, RAID, LVM, NFS and the ping targets, the worst first. Without a terminal, one plain-text snapshot is printed, as with --once.',
      'A component that cannot be read is UNKNOWN, never OK; what the answers file or the CIB says should exist and is missing is CRITICAL.',
    ],
    options: [
      { flag: '--once', text: 'print a plain-text snapshot and exit' },
      { flag: '--json', text: 'print a JSON snapshot (schema: docs/monitor-json.md) and exit (--once --json: the same)' },
      { flag: '--check', text: 'print one line and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (Nagios/Icinga)' },
      { flag: '--prometheus', text: 'print the state once as Prometheus metrics (docs/monitor-prometheus.md) and exit' },
      { flag: '--listen', arg: 'ADDR:PORT', value: 'none', text: 'serve the live state as Prometheus metrics on http://ADDR:PORT/metrics' },
      { flag: '--interval', arg: 'SECONDS', value: 'none', text: 'how often crm_mon, /proc/drbd, RAID, LVM, NFS and ping are polled (default 2)' },
      { flag: '--timeout', arg: 'SECONDS', value: 'none', text: "budget of each node's commands in a snapshot (default 10 with --check, else 45)" },
      { flag: '--accept-no-fencing', text: 'stonith-enabled=false is deliberate: not a WARNING (the check line still says it)' },
      { flag: '--answers', arg: 'FILE', text: 'watch the nodes of this answers file (their ssh field)' },
      { flag: '--node', arg: 'USER@HOST', repeat: true, value: 'node', text: 'watch this node (twice for two nodes; "local" for this machine)' },
      { flag: '--demo', arg: 'SCENARIO', optionalArg: true, value: 'scenario', text: 'watch the embedded demo lab (running, syncing, failed-over, split-brain, ...; trixie-running, trixie-failed-over, trixie-rejoined, trixie-service-link-cut, trixie-after-drills: Debian 13; default running)' },
    ],
    notes: ['Without --answers or --node, the nodes of /etc/corosync/corosync.conf are watched.', 'Keys in the live view: arrows select, q quits, r refreshes now, ? shows help; the action keys (c cleanup, s switchover, b standby, o online, m maintenance, n/S/M/u/X snapshots, g grow, B split-brain) show the plan and ask (dry runs on --demo).'],
    exitCodes: [
      [0, 'snapshot printed (--check: OK)'],
      [1, '--check: WARNING'],
      [2, 'bad options (--check: CRITICAL)'],
      [3, '--check: UNKNOWN, bad options included'],
    ],
  },
  ...ACTION_HELP,
];

/** The options every invocation knows, before any command. */
export const GLOBAL_OPTIONS: readonly HelpOption[] = [
  { flag: '--demo', text: 'run on the embedded demo lab (recorded outputs of two real nodes); probe and monitor take --demo=SCENARIO' },
  { flag: '--version', text: 'print the version (also -V)' },
  { flag: '--help', text: 'this help (also -h); "hanfs-wizard help COMMAND" or "hanfs-wizard COMMAND --help" for a command' },
];

export function commandHelp(name: CommandName): CommandHelp {
  const c = COMMAND_HELP.find((x) => x.name === name);
  if (!c) throw new Error(`no help for ${name}`);
  return c;
}

/** The option as written on the help line: "--answers FILE", "--demo[=SCENARIO]". */
export function optionLabel(o: HelpOption): string {
  if (o.arg === undefined) return o.flag;
  return o.optionalArg ? `${o.flag}[=${o.arg}]` : `${o.flag} ${o.arg}`;
}

/** Greedy word wrap; the first line may be shorter (a hanging indent starts after a label). */
export function wrap(text: string, width: number, firstWidth = width): string[] {
  return wrapWords(text.split(/\s+/).filter(Boolean), width, firstWidth);
}

function wrapWords(words: string[], width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const limit = lines.length === 0 ? firstWidth : width;
    if (line && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Splits a usage line into words, keeping each bracketed group ("[--node USER@HOST[:PORT]]...") whole. */
export function usageWords(usage: string): string[] {
  const words: string[] = [];
  let word = '';
  let depth = 0;
  for (const ch of usage) {
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    if (ch === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
    } else word += ch;
  }
  if (word) words.push(word);
  return words;
}

/** "hanfs-wizard export ..." after `lead`, continuation lines aligned under the first argument. */
function usageLines(c: CommandHelp, lead: string): string[] {
  const head = c.name === 'wizard' ? `${lead}${PROGRAM} ` : `${lead}${PROGRAM} ${c.name} `;
  const rest = c.name === 'wizard' ? c.usage : c.usage.slice(c.name.length + 1);
  return wrapWords(usageWords(rest), HELP_WIDTH - head.length).map((l, i) => (i === 0 ? head : ' '.repeat(head.length)) + l);
}

function optionLines(options: readonly HelpOption[]): string[] {
  const col = Math.max(...options.map((o) => optionLabel(o).length)) + 4;
  const out: string[] = [];
  for (const o of options) {
    const label = `  ${optionLabel(o)}`.padEnd(col);
    wrap(o.text, HELP_WIDTH - col).forEach((l, i) => out.push(`${i === 0 ? label : ' '.repeat(col)}${l}`));
  }
  return out;
}

export function exitCodesLine(c: CommandHelp): string {
  return `Exit codes: ${c.exitCodes.map(([n, t]) => `${n} ${t}`).join(', ')}.`;
}

/** `hanfs-wizard COMMAND --help`. */
export function renderCommandHelp(name: CommandName): string {
  const c = commandHelp(name);
  const para = (p: string) => wrap(p, HELP_WIDTH);
  return `${[
    ...usageLines(c, 'Usage: '),
    '',
    ...c.description.flatMap(para),
    '',
    'Options:',
    ...optionLines(c.options),
    ...(c.notes?.length ? ['', ...c.notes.flatMap(para)] : []),
    '',
    ...wrap(exitCodesLine(c), HELP_WIDTH),
  ].join('\n')}\n`;
}

/** `hanfs-wizard --help`. */
export function renderMainHelp(version: string): string {
  const usage = COMMAND_HELP.flatMap((c) => [...usageLines(c, '  '), `${' '.repeat(6)}${c.summary}`]);
  return `${[
    `${PROGRAM} ${version}: ${TAGLINE}.`,
    '',
    'Usage:',
    ...usage,
    '',
    'Options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    ...wrap(`Answers file reference: docs/answers.md; every command in man ${PROGRAM}. Exit codes: 0 success, 1 failure, 2 bad input.`, HELP_WIDTH),
  ].join('\n')}\n`;
}
