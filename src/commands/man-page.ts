// hanfs-wizard(8), rendered from the help source (help-source.ts). Each command's subsection carries the
// very words of its --help, in the same order (usage, description, options, notes, exit codes), so a
// rendered man page and `hanfs-wizard COMMAND --help` agree word for word
// (test/commands/man-page.test.ts renders it with groff and compares). Section 8: an admin command run as
// root. What only the man page says (files, environment, see also) is here.
import {
  COMMAND_HELP, GLOBAL_OPTIONS, HELP_WIDTH, PROGRAM, TAGLINE, exitCodesLine, optionLabel, usageWords, type CommandHelp, type HelpOption,
} from './help-source.js';

/** Text as roff input: backslashes escaped, every "-" a real hyphen-minus, no line starting a request. */
export function roffText(text: string): string {
  const s = text.replace(/\\/g, '\\e').replace(/-/g, '\\-');
  return /^[.']/.test(s) ? `\\&${s}` : s;
}

const DESCRIPTION = [
  `${PROGRAM} takes two bare Debian servers to a highly available NFS service: two disks per node mirrored with mdadm (RAID1), LVM on top, DRBD replicating the volume to the peer, an ext4 or xfs file system exported over NFS, and Pacemaker with Corosync deciding which node runs the service and its virtual IP. It configures those tools; it has no failover logic of its own.`,
  'Run without a command, it is the interactive wizard: it reads both nodes (the peer over SSH), asks for what it cannot find out, shows every file it would write, and then exports them or applies them. Every change to a node goes through one plan that is shown and agreed to first, and is journaled. Afterwards monitor watches the cluster.',
  'The answers the wizard collects are one YAML file (documented in /usr/share/doc/hanfs-wizard/docs/answers.md); export, rehearse, apply and monitor take it with --answers.',
];

const FILES: [string, string][] = [
  ['./hanfs-answers.yaml', 'the wizard\'s answers, saved after every step (--answers FILE to choose another)'],
  ['/var/log/hanfs-wizard/apply-*.log', 'the journal of every apply run, one file per run'],
  ['/etc/corosync/corosync.conf', 'where monitor finds the nodes when given neither --answers nor --node'],
  ['/usr/share/doc/hanfs-wizard/', 'the documentation: answers file format, apply, monitor, HA tuning'],
];

const ENVIRONMENT: [string, string][] = [
  ['HANFS_DEMO_LAB', 'the folder of recorded node outputs that --demo replays (default: the one shipped with the program)'],
  ['HANFS_DEBUG', 'when set, an internal error prints its stack trace'],
];

const SEE_ALSO = ['drbdadm(8)', 'drbdsetup(8)', 'mdadm(8)', 'lvm(8)', 'exportfs(8)', 'crm_mon(8)', 'crm_simulate(8)', 'corosync(8)', 'pcs(8)', 'crm(8)'];

function usageRoff(c: CommandHelp | null): string {
  const words = c === null ? [] : usageWords(c.usage);
  return [`\\fB${roffText(PROGRAM)}\\fR`, ...words.map(roffText)].join(' ');
}

function optionRoff(o: HelpOption): string[] {
  return ['.TP', `\\fB${roffText(optionLabel(o))}\\fR`, roffText(o.text)];
}

function commandRoff(c: CommandHelp): string[] {
  const title = c.name === 'wizard' ? PROGRAM : `${PROGRAM} ${c.name}`;
  const usage = c.name === 'wizard' ? c.usage : c.usage.slice(c.name.length + 1);
  return [
    `.SS "${roffText(title)}"`,
    '.PP',
    `Usage: \\fB${roffText(title)}\\fR ${usageWords(usage).map(roffText).join(' ')}`,
    ...c.description.flatMap((p) => ['.PP', roffText(p)]),
    '.PP',
    'Options:',
    '.RS 2',
    ...c.options.flatMap(optionRoff),
    '.RE',
    ...(c.notes ?? []).flatMap((p) => ['.PP', roffText(p)]),
    '.PP',
    roffText(exitCodesLine(c)),
  ];
}

/** The whole page. `date` goes in the footer (the release date; fixed input keeps the build reproducible). */
export function renderManPage(version: string, date: string): string {
  const lines = [
    `.\\" Generated from src/commands/help-source.ts by scripts/package-man.mjs: edit that, not this page.`,
    `.TH ${roffText(PROGRAM.toUpperCase())} 8 "${date}" "${roffText(`${PROGRAM} ${version}`)}" "System Administration"`,
    // No hyphenation, no justification: the words stay as --help prints them (and searchable).
    '.nh',
    '.ad l',
    '.SH NAME',
    `${roffText(PROGRAM)} \\- ${roffText(TAGLINE)}`,
    '.SH SYNOPSIS',
    ...COMMAND_HELP.flatMap((c, i) => [...(i ? ['.br'] : []), usageRoff(c)]),
    '.br',
    `\\fB${roffText(PROGRAM)}\\fR ${roffText('--version | --help | help COMMAND')}`,
    '.SH DESCRIPTION',
    ...DESCRIPTION.flatMap((p) => ['.PP', roffText(p)]),
    '.SH COMMANDS',
    ...COMMAND_HELP.flatMap(commandRoff),
    '.SH OPTIONS',
    'These work before any command.',
    ...GLOBAL_OPTIONS.flatMap(optionRoff),
    '.SH "EXIT STATUS"',
    roffText('0 success, 1 failure, 2 bad input (nothing changed); each command above lists its own.'),
    '.SH ENVIRONMENT',
    ...ENVIRONMENT.flatMap(([k, v]) => ['.TP', `\\fB${roffText(k)}\\fR`, roffText(v)]),
    '.SH FILES',
    ...FILES.flatMap(([k, v]) => ['.TP', `\\fI${roffText(k)}\\fR`, roffText(v)]),
    '.SH "SEE ALSO"',
    SEE_ALSO.map((s) => `\\fB${roffText(s.replace(/\(.*/, ''))}\\fR${s.slice(s.indexOf('('))}`).join(',\n'),
  ];
  return `${lines.join('\n')}\n`;
}

/** The width the man page test renders at, the same as --help's. */
export const MAN_WIDTH = HELP_WIDTH;
