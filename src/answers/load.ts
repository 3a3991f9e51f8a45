// Reading an answers file: YAML -> schema (with defaults) -> derived defaults -> semantic checks.
// Every failure is data: a list of problems, each naming the field path, so the CLI can print one
// `error: <path>: <message>` line per problem and exit 2 without touching anything.
import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { parseDocument, LineCounter } from 'yaml';
import { answersSchema, type Answers, type ParsedAnswers } from './schema.js';
import { checkAnswers, type Problem } from './semantic.js';
import { firstHost, networkCidr, parseCidr } from './net.js';

export type { Problem } from './semantic.js';

export type LoadResult =
  | { ok: true; answers: Answers; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

/** Valibot's issue path as the file spells it: nodes[1].replication.address */
export function issuePath(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'a list' : 'a mapping';
  return String(value);
}

function issueToProblem(issue: v.BaseIssue<unknown>): Problem {
  const path = issuePath(issue);
  // Strict objects report unknown keys with expected "never": say it as a person would.
  if (issue.expected === 'never') {
    return { path, message: 'unknown field: check its spelling against docs/answers.md, or remove it' };
  }
  if (issue.input === undefined && issue.kind === 'schema') {
    return { path, message: 'is required' };
  }
  const custom = issue.message.startsWith('Invalid ') ? `expected ${issue.expected ?? 'another value'}, got ${describe(issue.input)}` : issue.message;
  return { path, message: custom };
}

/** Fills the defaults that depend on other answers (documented in docs/answers.md). */
export function completeAnswers(p: ParsedAnswers): Answers {
  const service = parseCidr(p.nodes[0]!.service.address)!;
  const exports = (p.nfs.exports ?? [
    { path: `${p.filesystem.mount.replace(/\/+$/, '')}/export`, clients: networkCidr(service), options: 'rw,sync,no_subtree_check' },
  ]).map((e) => ({ ...e, options: e.options ?? 'rw,sync,no_subtree_check' }));
  return {
    ...p,
    nodes: [p.nodes[0]!, p.nodes[1]!],
    // Fencing on by default where it can work: with a fence device, DRBD freezes I/O until the lost
    // peer is fenced (resource-and-stonith); without one, resource-only (docs/answers.md, drbd.fencing).
    drbd: { ...p.drbd, fencing: p.drbd.fencing ?? (p.pacemaker.stonith === 'none' ? 'resource-only' : 'resource-and-stonith') },
    nfs: { versions: p.nfs.versions as (3 | 4)[], exports },
    virtualIp: { address: p.virtualIp.address, interface: p.virtualIp.interface ?? p.nodes[0]!.service.interface },
    ping: { targets: p.ping.targets ?? [firstHost(service)], whenAllLost: p.ping.whenAllLost },
  };
}

/** Validates an already parsed object (the wizard's in-memory answers use this too). */
export function validateAnswers(data: unknown): LoadResult {
  const r = v.safeParse(answersSchema, data, { abortEarly: false });
  if (!r.success) {
    return { ok: false, problems: r.issues.map(issueToProblem) };
  }
  const answers = completeAnswers(r.output);
  const { errors, warnings } = checkAnswers(answers);
  return errors.length ? { ok: false, problems: errors } : { ok: true, answers, warnings };
}

/** Parses answers YAML text; `source` names the file in syntax errors (line and column). */
export function parseAnswersText(text: string, source = 'answers'): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return { path: `${source}:${pos.line}:${pos.col}`, message: `malformed YAML: ${first}` };
      }),
    };
  }
  const data = doc.toJS({ maxAliasCount: 50 }) as unknown;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ path: source, message: 'must be a YAML mapping starting with "version: 1" (see docs/answers.md)' }] };
  }
  return validateAnswers(data);
}

/** A failed read of an answers file, as a few words for the one-line error. */
export function readErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
}

export async function loadAnswersFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    return { ok: false, problems: [{ path: '--answers', message: `${path}: ${readErrorText(e)}` }] };
  }
  return parseAnswersText(text, path);
}

/** One line per problem, as ANSWERS.md specifies. */
export function formatProblems(problems: Problem[], prefix = 'error'): string {
  return problems.map((p) => `${prefix}: ${p.path}: ${p.message}`).join('\n');
}
