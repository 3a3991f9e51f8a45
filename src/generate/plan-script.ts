// plan/<node>.sh: the apply plan of one node as a shell script an admin can read, review in a pull request
// or run by hand from the export tree. Every argv goes through the project's one quoting function;
// files (and the secrets in them) are read from the export tree, never written into the script.
import type { Answers } from '../answers/schema.js';
import { quoteArgv } from '../exec/shell-quote.js';
import { planSteps, stepsForNode } from '../plan/plan.js';
import type { PlanStep, Stdin } from '../plan/types.js';

/** A comment line: control characters (a newline in a value) can never end the comment early. */
const comment = (s: string): string => `# ${s.replace(/[\x00-\x1f\x7f]/g, ' ')}`;

function heredocDelimiter(text: string): string {
  let d = 'HANFS_EOF';
  while (text.split('\n').includes(d)) d += '_';
  return d;
}

function renderCommand(argv: readonly string[], stdin: Stdin | undefined): string {
  const line = quoteArgv(argv);
  if (stdin === undefined) return line;
  if (stdin.kind === 'export') return `${line} < ${quoteArgv([stdin.exportPath])}`;
  if (stdin.kind === 'cib-merge' || stdin.kind === 'from-node') throw new Error(`plan script: a ${stdin.kind} input needs a script alternative`); // programmer error
  // A secret text is printed without its secret values (the step says what to put in their place).
  const raw = stdin.secret ? stdin.secret.shown : stdin.text;
  const text = raw.endsWith('\n') ? raw : `${raw}\n`;
  const d = heredocDelimiter(text);
  return `${line} <<'${d}'\n${text}${d}`;
}

function renderStep(s: PlanStep, index: number): string {
  const out: string[] = [''];
  out.push(comment(`${index}. ${s.title}${s.cluster ? ' (cluster-wide: run on this node only)' : ''}`));
  out.push(comment(`why: ${s.why}`));
  if (s.destructive) out.push(`# DESTRUCTIVE${s.wipes.length ? `: wipes ${s.wipes.join(' ')}` : ''}`);
  if (s.interruptsService) out.push(comment(`on a running cluster: ${s.interruptsService}`));
  if (s.check) out.push(comment(`skip when already done: ${s.check.describe}`));
  if (s.requires) out.push(comment(`run only when: ${s.requires.describe} (check with: ${quoteArgv(s.requires.argv)})`));
  const commands = s.script?.commands ?? s.commands;
  const stdin = s.script?.stdin ?? s.stdin;
  if (s.script) out.push(comment(s.script.note));
  if (commands.length === 0) out.push(comment(s.script ? 'nothing to run on fresh nodes' : 'nothing to run: wait and check'));
  commands.forEach((argv, i) => out.push(renderCommand(argv, stdin[i])));
  // A step the script only describes (apply decides it from the node's state) has nothing to check here.
  if (s.verify && !(s.script && s.script.commands.length === 0)) {
    const wait = s.verify.waitMs ? `, within ${Math.round(s.verify.waitMs / 1000)} s` : '';
    out.push(comment(`then check: ${s.verify.describe}${wait}`));
    out.push(comment(`  with: ${quoteArgv(s.verify.argv)}`));
    if (s.verify.progress === 'md-resync') out.push(comment('the resync goes on in the background (the array is usable meanwhile): watch it with cat /proc/mdstat'));
    if (s.verify.blockers) out.push(comment('  failed actions (crm_mon -1 -f) stop here: fix the cause, then crm_resource --cleanup'));
  }
  return out.join('\n');
}

/** `plan`: the export's plan, when the caller has it (one plan for both nodes' scripts). */
export function renderPlanScript(a: Answers, node: string, plan: PlanStep[] = planSteps(a)): string {
  const steps = stepsForNode(plan, node);
  const head = [
    '#!/bin/bash',
    comment(`hanfs-wizard plan for ${node} (cluster ${a.cluster.name}): the commands \`hanfs-wizard apply\` runs here, in order.`),
    '# apply also checks before each step whether it is already done and skips it; this script does not, so',
    '# run it only on fresh nodes, one step at a time, after reading it. Both nodes\' scripts run side by side:',
    '# wait for the peer where a step says it needs both nodes (DRBD connect, cluster start).',
    '# Run from the export directory: files are read from it (e.g. ./<node>/etc/...).',
    'set -euo pipefail',
    'cd "$(dirname "$0")/.."',
  ];
  return `${[...head, ...steps.map((s, i) => renderStep(s, i + 1))].join('\n')}\n`;
}
