// `hanfs-wizard apply --answers FILE [--dry-run] [--yes --wipe NODE:DISK...] [--json] [--log FILE]
//  [--demo] [--identity FILE] [--known-hosts FILE] [--replace-edited]`: runs the plan on both nodes.
// Exit codes (docs/apply.md): 0 done (or dry run shown), 1 a step failed, 2 bad input (nothing changed on
// any node), 3 refused for safety, 130 interrupted.
import React from 'react';
import { loadAnswersFile, formatProblems } from '../answers/load.js';
import { applyNotYet } from '../answers/fencing-checks.js';
import { sbdOf, type Answers } from '../answers/schema.js';
import { lvPath } from '../answers/derived.js';
import { identityYaml, recordable } from '../answers/disk-identity.js';
import type { Runner } from '../exec/runner.js';
import { answerRunners } from './action-nodes.js';
import { tryCreateDemoRunners } from '../exec/demo-lab.js';
import { buildExport } from '../generate/export-layout.js';
import { qnetdLane } from '../generate/qdevice.js';
import { secretStrings } from '../generate/secrets.js';
import { ApplyEngine, type ApplyEvent, type ApplyOutcome, type EditedFile } from '../apply/engine.js';
import type { DiskReview } from '../apply/disk-review.js';
import { existingSecrets, mergeSecrets } from '../apply/existing-secrets.js';
import { Journal } from '../apply/journal.js';
import { Redactor, answerSecrets } from '../apply/redact.js';
import { describeDisk, formatEventText, formatOutcomeText, OUTCOME_EXIT, ProgressThrottle } from '../apply/format.js';
import { lineDiff } from '../apply/text-diff.js';
import { parseCommandOptions } from './cli-options.js';
import { renderCommandHelp } from './help-source.js';
import { acquireRunLocks, holderDescription } from '../apply/run-lock.js';
import { fencingGate, NO_FENCING_DETAIL, NO_FENCING_WORDS, noFencingJournalText } from '../apply/no-fencing.js';

const HELP = renderCommandHelp('apply');

interface Flags {
  answers?: string;
  'dry-run'?: boolean;
  yes?: boolean;
  wipe?: string[];
  'replace-edited'?: boolean;
  'accept-no-fencing'?: boolean;
  json?: boolean;
  log?: string;
  demo?: boolean;
  identity?: string;
  'known-hosts'?: string;
}

/** --wipe NODE:DISK values checked against the answers: one error line per bad value. */
export function parseWipeFlags(values: string[], a: Answers): { ok: true; wipe: Set<string> } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const wipe = new Set<string>();
  for (const v of values) {
    const i = v.indexOf(':');
    const node = i > 0 ? v.slice(0, i) : '';
    const disk = i > 0 ? v.slice(i + 1) : '';
    const n = a.nodes.find((x) => x.name === node);
    if (!n) errors.push(`error: --wipe: ${v}: expected NODE:DISK with NODE one of ${a.nodes.map((x) => x.name).join(', ')}`);
    else if (!wipeablePaths(a, n).includes(disk)) errors.push(`error: --wipe: ${v}: ${disk} is not one of ${node}'s disks in the answers (${n.disks.join(', ')}), nor its array (${a.raid.device}) or volume (${lvPath(a)})`);
    else wipe.add(`${node}:${disk}`);
  }
  return errors.length ? { ok: false, errors } : { ok: true, wipe };
}

/**
 * What --wipe may name on a node: its disks, the array and volume steps overwrite when they exist, and on
 * the first node SBD's shared disk (written once, from there: cluster/sbd-create).
 */
function wipeablePaths(a: Answers, n: Answers['nodes'][number]): string[] {
  const sbd = n === a.nodes[0] ? sbdOf(a.pacemaker.stonith)?.device : undefined;
  return [...n.disks, a.raid.device, lvPath(a), ...(sbd ? [sbd] : [])];
}

/**
 * --yes never wipes on a path match alone (issue 25): each disk needs an identity recorded for its name
 * (the answers' nodes[i].diskIdentity, or pinned on the node by an earlier confirmed apply) that it
 * matched in the review. The refusal gives the YAML to record what was found.
 */
export function unrecordedWipes(disks: readonly DiskReview[], a: Answers): string[] {
  const out: string[] = [];
  for (const node of a.nodes) {
    const mine = disks.filter((d) => d.node === node.name && !d.device && d.expected === null);
    if (mine.length === 0) continue;
    const i = a.nodes.indexOf(node);
    const found = mine.flatMap((d) => {
      const id = d.info ? recordable(d.info) : null;
      return id ? [{ disk: d.disk, identity: id }] : [];
    });
    out.push(`error: --wipe: ${mine.map((d) => `${d.node}:${d.disk}`).join(', ')}: no identity is recorded for ${mine.length > 1 ? 'these disks' : 'this disk'}, and --yes never wipes on a path match alone. ` +
      `Record what the review found under nodes[${i}] of the answers${found.length ? ` (check it is the disk you mean):\n${identityYaml(found).map((l) => `    ${l}`).join('\n')}` : ''}\n  or confirm the wipe once at a terminal (apply then pins the disks on ${node.name}).`);
  }
  return out;
}

function makeRunners(a: Answers, f: Flags): { ok: true; runners: Runner[] } | { ok: false; errors: string[] } {
  if (f.demo) {
    const d = tryCreateDemoRunners('bare');
    if (!d.ok) return { ok: false, errors: [`error: --demo: ${d.error}`] };
    return { ok: true, runners: d.runners.slice(0, 2) };
  }
  // Unattended as well as at a terminal: a key known_hosts (--known-hosts) does not hold is refused.
  return answerRunners(a, { ...(f.identity ? { identity: f.identity } : {}), ...(f['known-hosts'] ? { knownHosts: f['known-hosts'] } : {}), qnetd: true });
}

export async function run(argv: string[]): Promise<number> {
  const input = await readInput(argv);
  if ('exit' in input) return input.exit;
  const { f, loaded, wipe, interactive, fencing } = input;
  const a = loaded.answers;
  const made = makeRunners(a, f);
  if (!made.ok) {
    process.stderr.write(`${made.errors.join('\n')}\n`);
    return 2;
  }
  const runners = made.runners;
  const redactor = new Redactor(answerSecrets(a));
  const journalPaths = [...(f.demo ? [] : [Journal.defaultPath()]), ...(f.log ? [f.log] : [])];
  const journal = new Journal(journalPaths, redactor);
  if (fencing.kind === 'accepted') journal.note('-', 'no-fencing', noFencingJournalText(fencing.how));
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  let lock: RunLock | null = null;
  try {
    const names = a.nodes.map((n) => n.name);
    const locked = await takeRunLock(f['dry-run'] === true, names, runners, journal);
    if (typeof locked === 'number') return locked;
    lock = locked;
    const existing = await existingSecrets(a, runners, names, journal);
    if (existing.problems.length > 0 && !f['dry-run']) {
      for (const p of existing.problems) process.stderr.write(`error: ${p}\n`);
      process.stderr.write('error: the nodes must be readable before apply changes anything (their secrets are reused); check SSH and run apply again\n');
      return 1;
    }
    const secrets = mergeSecrets(a, existing.secrets);
    for (const s of secretStrings(secrets)) redactor.add(s);
    // The plan is built once, with the export tree: the engine shows, asks consent for and runs these very
    // steps (and plan/<node>.sh in the tree is rendered from them), never a plan of its own.
    const { files, plan } = buildExport(a, loaded.warnings, secrets);
    const emitPlain = plainEmitter(f, redactor);
    for (const p of journal.failures) process.stderr.write(`warning: journal: ${p}\n`);

    const bus = interactive ? await startInk(() => controller.abort()) : null;
    if (fencing.kind === 'ask' && !(await askNoFencing(bus, journal))) return OUTCOME_EXIT.refused;
    const noFencingAccepted = fencing.kind === 'accepted' || fencing.kind === 'ask';
    const engine = new ApplyEngine({
      answers: a,
      // The nodes', then the qnetd host's when the answers have one (makeRunners' order).
      runners: new Map([...names.map((n, i) => [n, runners[i]!] as const), ...(a.cluster.quorumDevice?.ssh !== undefined && runners[2] ? [[qnetdLane(a.cluster.quorumDevice), runners[2]] as const] : [])]),
      files,
      steps: plan,
      journal,
      redactor,
      dryRun: f['dry-run'] ?? false,
      signal: controller.signal,
      onEvent: (e: ApplyEvent) => (bus ? bus.bus.send({ type: 'event', event: e }) : emitPlain(e)),
      ...confirmations({ bus, f, wipe: wipe.wipe, a, names, redactor }),
    });
    let outcome: ApplyOutcome;
    try {
      outcome = await engine.run();
    } catch (e) {
      outcome = { kind: 'failed', step: '(internal)', failure: { command: '-', exitCode: null, stderr: redactor.redact(e instanceof Error ? e.message : String(e)), next: 'report this as a bug with the journal' } };
    }
    await showOutcome(outcome, bus, f, redactor, journalPaths);
    // At a terminal, a successful apply becomes the live monitor over the same connections (issue 30,
    // point 0); the demo's dry run shows the demo lab's recording of a cluster just set up. The run lock
    // goes first: the monitor's action keys take it themselves.
    if (bus && (outcome.kind === 'done' || (outcome.kind === 'dry-run' && f.demo))) {
      if (lock?.ok) await lock.release();
      lock = null;
      const { monitorAfterApply } = await import('./monitor-after-apply.js');
      await monitorAfterApply(a, { runners: outcome.kind === 'done' ? runners : null, acceptNoFencing: noFencingAccepted, answersPath: f.answers ?? null });
    }
    return OUTCOME_EXIT[outcome.kind];
  } finally {
    process.off('SIGINT', onSigint);
    if (lock?.ok) await lock.release(); // run lock (issue 25)
    await Promise.all(runners.map((r) => r.close()));
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);

type RunLock = Extract<Awaited<ReturnType<typeof acquireRunLocks>>, { ok: true }>;

/**
 * The run lock (issue 25, src/apply/run-lock.ts): held on both nodes from before the first check to the
 * end, so a second apply refuses at once; a dry run changes nothing and takes none (null). A number is
 * the exit code of a refusal.
 */
async function takeRunLock(dryRun: boolean, names: string[], runners: Runner[], journal: Journal): Promise<RunLock | null | number> {
  if (dryRun) return null;
  const lock = await acquireRunLocks(new Map(names.map((n, i) => [n, runners[i]!])), holderDescription(new Date()));
  if (!lock.ok) {
    process.stderr.write(`error: run lock: ${lock.message}\n`);
    journal.note(lock.node, 'run-lock', lock.message);
    return lock.heldByOther ? OUTCOME_EXIT.refused : OUTCOME_EXIT.failed;
  }
  journal.note('-', 'run-lock', `held on ${names.join(' and ')}`);
  return lock;
}

/** The outcome where the events went (the screen, a JSON line or text), then where the journal is. */
async function showOutcome(outcome: ApplyOutcome, bus: Ink | null, f: Flags, redactor: Redactor, journalPaths: string[]): Promise<void> {
  if (bus) {
    bus.bus.send({ type: 'outcome', outcome });
    await bus.done();
  } else if (f.json) out(JSON.stringify({ type: 'outcome', ...outcome }));
  else out(redactor.redact(formatOutcomeText(outcome)));
  if (journalPaths.length && !f.json) process.stderr.write(`journal: ${journalPaths.join(', ')}\n`);
}

interface Input {
  f: Flags;
  loaded: Extract<Awaited<ReturnType<typeof loadAnswersFile>>, { ok: true }>;
  wipe: { ok: true; wipe: Set<string> };
  interactive: boolean;
  fencing: Exclude<ReturnType<typeof fencingGate>, { kind: 'bad-input' | 'refused' }>;
}

/** Everything checked before any node is contacted: the flags, the answers, --wipe, the no-fencing decision. */
async function readInput(argv: string[]): Promise<Input | { exit: number }> {
  const parsed = parseCommandOptions(
    argv,
    {
      answers: { type: 'string' }, 'dry-run': { type: 'boolean' }, yes: { type: 'boolean' }, wipe: { type: 'string', multiple: true },
      'replace-edited': { type: 'boolean' }, json: { type: 'boolean' }, log: { type: 'string' }, demo: { type: 'boolean' },
      identity: { type: 'string' }, 'known-hosts': { type: 'string' }, 'accept-no-fencing': { type: 'boolean' },
    },
    HELP,
  );
  if (parsed.exit !== null) return { exit: parsed.exit };
  const f: Flags = parsed.values;
  const errors: string[] = [];
  if (!f.answers) errors.push('error: --answers: required: the answers file to apply (see docs/answers.md)');
  if (f.demo && !f['dry-run']) errors.push('error: --demo: only with --dry-run (the demo lab is a recording: nothing can be changed on it)');
  if (f.wipe?.length && !f.yes) errors.push('error: --wipe: needs --yes (non-interactive use); without both, apply asks on the terminal');
  if (errors.length) {
    process.stderr.write(`${errors.join('\n')}\n`);
    return { exit: 2 };
  }
  const loaded = await loadAnswersFile(f.answers!);
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return { exit: 2 };
  }
  const a = loaded.answers;
  // The quorum device is export-only so far: refused before anything runs (fencing-checks.ts).
  const notYet = applyNotYet(a);
  if (notYet.length) {
    process.stderr.write(`${formatProblems(notYet)}\n`);
    return { exit: 2 };
  }
  const wipe = parseWipeFlags(f.wipe ?? [], a);
  if (!wipe.ok) {
    process.stderr.write(`${wipe.errors.join('\n')}\n`);
    return { exit: 2 };
  }
  const interactive = !f.yes && !f.json && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // Every warning of the answers (the review's and the export README's) before anything else, then the
  // no-fencing decision, still before any node is contacted.
  for (const w of loaded.warnings) process.stderr.write(`warning: ${w.path}: ${w.message}\n`);
  const fencing = fencingGate(a, { dryRun: f['dry-run'] ?? false, yes: f.yes ?? false, accept: f['accept-no-fencing'] ?? false, interactive });
  if (fencing.kind === 'bad-input' || fencing.kind === 'refused') {
    process.stderr.write(`error: ${fencing.error}\n`);
    return { exit: fencing.kind === 'bad-input' ? 2 : 3 };
  }
  return { f, loaded, wipe, interactive, fencing };
}

/** Without a terminal: each event as a JSON line or a text line, progress (a resync polled every few seconds for hours) at a readable pace. */
function plainEmitter(f: Flags, redactor: Redactor): (e: ApplyEvent) => void {
  const throttle = new ProgressThrottle();
  return (e) => {
    if (!throttle.pass(e, Date.now())) return;
    if (f.json) out(JSON.stringify(e));
    else {
      const t = formatEventText(e);
      if (t !== null) out(redactor.redact(t));
    }
  };
}

type Ink = Awaited<ReturnType<typeof startInk>>;

/** No fencing, at a terminal: the typed words, journaled; false (shown as refused) when not typed or no terminal. */
async function askNoFencing(bus: Ink | null, journal: Journal): Promise<boolean> {
  if (!bus || !(await bus.bus.ask({ type: 'prompt', prompt: { kind: 'typed', words: NO_FENCING_WORDS, detail: NO_FENCING_DETAIL } }))) {
    const outcome = { kind: 'refused', reason: 'running without fencing was not acknowledged; nothing was changed' } as const;
    if (bus) {
      bus.bus.send({ type: 'outcome', outcome });
      await bus.done();
    }
    return false;
  }
  journal.note('-', 'no-fencing', noFencingJournalText(`typed "${NO_FENCING_WORDS}" at the terminal`));
  return true;
}

/** The engine's consent questions: asked on the screen at a terminal, else answered by the flags (--yes, --wipe, --replace-edited). */
function confirmations(c: { bus: Ink | null; f: Flags; wipe: Set<string>; a: Answers; names: string[]; redactor: Redactor }) {
  const { bus, f, wipe, a, names, redactor } = c;
  return {
    confirmWipe: async (disks: DiskReview[]) => {
      if (bus) {
        for (const node of names) {
          const mine = disks.filter((d) => d.node === node);
          if (mine.length && !(await bus.bus.ask({ type: 'prompt', prompt: { kind: 'wipe', node, disks: mine } }))) return false;
        }
        return true;
      }
      const missing = disks.filter((d) => !f.yes || !wipe.has(`${d.node}:${d.disk}`));
      for (const d of disks) process.stderr.write(`${wipe.has(`${d.node}:${d.disk}`) && f.yes ? 'will wipe' : 'not confirmed'}: ${describeDisk(d)}\n`);
      if (missing.length) process.stderr.write(`error: --wipe: name every disk to wipe: ${missing.map((d) => `--wipe ${d.node}:${d.disk}`).join(' ')} (with --yes)\n`);
      const unrecorded = missing.length ? [] : unrecordedWipes(disks, a);
      for (const line of unrecorded) process.stderr.write(`${line}\n`);
      return missing.length === 0 && unrecorded.length === 0;
    },
    confirmPackages: async (nodes: string[]) => {
      if (bus) return bus.bus.ask({ type: 'prompt', prompt: { kind: 'yes-no', question: `Install the cluster packages on ${nodes.join(' and ')}?`, detail: [] } });
      if (!f.yes) process.stderr.write(`error: --yes: packages must be installed on ${nodes.join(', ')}; agree with --yes\n`);
      return f.yes === true;
    },
    confirmReplace: async (file: EditedFile) => {
      const detail = file.current !== null && file.ours !== null ? lineDiff(file.current, file.ours).map((l) => redactor.redact(l)) : ['(the file holds a secret: its difference is not shown)'];
      if (bus) return bus.bus.ask({ type: 'prompt', prompt: { kind: 'yes-no', question: `${file.node}:${file.target} was edited by hand since the last apply. Replace it?`, detail } });
      process.stderr.write(`${file.node}:${file.target} was edited by hand since the last apply:\n${detail.join('\n')}\n`);
      if (!f['replace-edited']) process.stderr.write('error: --replace-edited: add it to replace such files, or merge the edit into the answers\n');
      return f['replace-edited'] === true;
    },
  };
}

/** Ink only for a person at a terminal; loaded lazily so scripts never pay for it. */
async function startInk(onInterrupt: () => void) {
  const { render } = await import('ink');
  const { ApplyApp, createApplyBus } = await import('../screens/apply/apply-app.js');
  const bus = createApplyBus(onInterrupt);
  const app = render(React.createElement(ApplyApp, { bus }), { exitOnCtrlC: false });
  return {
    bus,
    done: async () => {
      // Let the last frame (the outcome) render, then release the terminal.
      await new Promise((r) => setTimeout(r, 50));
      app.unmount();
      await app.waitUntilExit();
    },
  };
}
