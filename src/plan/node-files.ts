// Node files as plan steps: each file of the export layout's list (src/generate/node-files.ts) is written
// from the export tree, atomically, and its sha256 recorded on the node, so a later apply tells "ours,
// unchanged" from "edited by hand". The shell programs are src/plan/sh/*.sh.
import type { Answers } from '../answers/schema.js';
import type { Argv } from '../exec/runner.js';
import { nodeFiles } from '../generate/node-files.js';
import { oneLine } from './sh.js';
import fileStateSh from './sh/file-state.sh';
import writeFileSh from './sh/write-file.sh';
import recordFileSh from './sh/record-file.sh';
import writeAndRecordFilesSh from './sh/write-and-record-files.sh';
import { step, type FileWrite, type PlanStep } from './types.js';
import type { Group } from './order.js';

/** Where apply records the sha256 of every file it wrote: a later mismatch means "edited by hand". */
export const APPLIED_RECORD = '/var/lib/hanfs-wizard/applied.sha256';

/** The node files apply installs: the export layout's own list (targets, modes, secrets). */
export function nodeFileSpecs(a: Answers): { target: string; mode: number; secret: boolean }[] {
  return nodeFiles(a).map(({ target, mode, secret }) => ({ target, mode, secret }));
}

/**
 * Prints "<mode> <sha256> <recorded sha256>" for the file $1 ("- -" when absent, "-" when never recorded).
 * Fixed text: the path only ever arrives as a positional argument.
 */
export const FILE_STATE_SCRIPT = oneLine(fileStateSh);

/** Writes stdin to $1 with mode $2 atomically (temp file + rename): a reader never sees half a file. */
export const WRITE_FILE_SCRIPT = oneLine(writeFileSh);

/**
 * Records $1's current sha256 in the applied record under flock (two unlocked rewrites at once lost a
 * line on the lab), then prints the file's state as FILE_STATE_SCRIPT does: apply reads the write back
 * from that line instead of a command of its own (one SSH round trip less per file).
 */
export const RECORD_FILE_SCRIPT = `${oneLine(recordFileSh)} ${FILE_STATE_SCRIPT}`;

/**
 * WRITE_FILE_SCRIPT then RECORD_FILE_SCRIPT in one command (one SSH round trip less per file, 0.5-0.8 s
 * each on the emulated lab). The write runs in a subshell, so its umask stays its own.
 */
export const WRITE_AND_RECORD_FILE_SCRIPT = `set -e; (${WRITE_FILE_SCRIPT}); ${RECORD_FILE_SCRIPT}`;

/**
 * A file with one command between the write and the record (corosync.conf's reload, the DRBD resource
 * file's adjust): the write, then the remaining arguments run as an argv (stdin closed), then the
 * record, only if that command succeeded. Three SSH commands were 3-4.5 s of each node's path to the
 * cluster start on the lab (journal of 2026-11-27 11:12).
 */
export const WRITE_RUN_AND_RECORD_FILE_SCRIPT = `set -e; (${WRITE_FILE_SCRIPT}); p=$1; shift 2; "$@" </dev/null; set -- "$p"; ${RECORD_FILE_SCRIPT}`;

/**
 * Several plain file writes of a node in one command, sent together by the engine (about 5 programs per
 * file instead of 16: the six NFS and snapshot files took 17.6 s of each node's path to the CIB one by
 * one, apply journal of 2026-11-27 07:59). Input: filesInput. Prints one file state line per file.
 */
export const WRITE_AND_RECORD_FILES_SCRIPT = oneLine(writeAndRecordFilesSh);

/** WRITE_AND_RECORD_FILES_SCRIPT's standard input for these contents, in order. */
export function filesInput(contents: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(contents.flatMap((c) => {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
    return [Buffer.from(`${b.length}\n`), b];
  }));
}

/** The argv of a file write: write and record in one command, with the reload between them if any. */
export function fileCommands(f: FileWrite): Argv[] {
  const mode = f.mode.toString(8);
  // Recorded only once the command after the write succeeded (a reload that fails leaves it to do).
  return f.reload === null
    ? [['sh', '-c', WRITE_AND_RECORD_FILE_SCRIPT, '--', f.target, mode]]
    : [['sh', '-c', WRITE_RUN_AND_RECORD_FILE_SCRIPT, '--', f.target, mode, ...f.reload]];
}

const FROM_ANSWERS = 'generated from the answers; the same bytes as the export tree';

/** "<node>/file:<target>": installs one node file from the export tree. */
export function fileStep(a: Answers, node: string, target: string, group: Group, o: { reload?: Argv; why?: string } = {}): PlanStep {
  const spec = nodeFileSpecs(a).find((f) => f.target === target);
  if (!spec) throw new Error(`plan: ${target} is not a node file of the export layout (src/generate/node-files.ts)`);
  const file: FileWrite = { target, mode: spec.mode, secret: spec.secret, reload: o.reload ?? null };
  return step({
    repeatable: true,
    id: `${node}/file:${target}`,
    node,
    title: `install ${target}`,
    why: o.why ?? FROM_ANSWERS,
    parallelGroup: group,
    file,
    commands: fileCommands(file),
    stdin: { 0: { kind: 'export', exportPath: `${node}${target}`, secret: spec.secret } },
    check: { kind: 'file', argv: ['sh', '-c', FILE_STATE_SCRIPT, '--', target], describe: `${target} has the generated bytes and mode ${spec.mode.toString(8)}`, target },
  });
}
