// Reading an answers file: YAML -> schema (with defaults) -> derived defaults -> semantic checks.
// Every failure is data: a list of problems, each naming the field path, so the CLI can print one
// `error: <path>: <message>` line per problem and exit 2 without touching anything.
import { readFile, stat } from 'node:fs/promises';
import * as v from 'valibot';
import { parseDocument, LineCounter, isMap, isNode, isScalar, isSeq } from 'yaml';
import { answersSchema, type Answers, type ParsedAnswers } from './schema.js';
import { checkAnswers, type Problem } from './semantic.js';
import { firstHost, networkCidr, parseCidr } from './net.js';
import { findControlChars } from './control-chars.js';

export type { Problem } from './semantic.js';

/** No answers file comes near this; a bigger file is not read. */
const MAX_ANSWERS_BYTES = 1024 * 1024;

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
  // valibot reads a list given for a mapping as an object with keys 0, 1...: each of its fields then
  // shows as missing and each item as unknown. Name the list once instead.
  const items = (issue.path ?? []) as { type: string; input: unknown }[];
  const listAt = items.findIndex((item) => item.type === 'object' && Array.isArray(item.input));
  if (listAt >= 0) {
    return { path: issuePath({ ...issue, path: issue.path!.slice(0, listAt) } as v.BaseIssue<unknown>), message: 'expected a mapping (key: value), got a list' };
  }
  const path = issuePath(issue);
  const last = issue.path?.at(-1) as { key?: unknown } | undefined;
  // A merge key is refused as such wherever it stands: a strict object's unknown key, or the key of a
  // record (diskIdentity's device paths), which would otherwise read "must be an absolute device path".
  if (last?.key === '<<') return { path, message: 'YAML merge keys (<<) are not part of the answers format (YAML 1.2): write the fields out, or remove it' };
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
  const control = findControlChars(data);
  if (control.length) return { ok: false, problems: control };
  const r = v.safeParse(answersSchema, data, { abortEarly: false });
  if (!r.success) {
    // One line per field: a value can break several rules of one field (a pattern and a check) at once.
    // And nothing inside an entry already refused: a record entry whose key is wrong (a merge key in
    // diskIdentity) would also have its value judged as that field's, a second line for one mistake.
    const seen = new Set<string>();
    const all = r.issues.map(issueToProblem).filter((p) => !seen.has(p.path) && seen.add(p.path));
    const problems = all.filter((p) => !all.some((q) => q !== p && (p.path.startsWith(`${q.path}.`) || p.path.startsWith(`${q.path}[`))));
    return { ok: false, problems };
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
        const at = `${source}:${pos.line}:${pos.col}`;
        // A duplicate key is named by its field path: the line alone does not say which mapping it is in.
        const field = e.code === 'DUPLICATE_KEY' ? fieldPathAt(doc.contents, e.pos[0]) : null;
        if (field) return { path: field, message: `is given twice (${at}): keep one` };
        const first = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return { path: at, message: `malformed YAML: ${first}` };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 }) as unknown;
  } catch (e) {
    // yaml refuses alias expansion beyond maxAliasCount (a "billion laughs" file) by throwing.
    return { ok: false, problems: [{ path: source, message: `YAML aliases expand too far (${e instanceof Error ? e.message : String(e)}): write the values out` }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ path: source, message: 'must be a YAML mapping starting with "version: 1" (see docs/answers.md)' }] };
  }
  return validateAnswers(data);
}

/** The field path (nodes[1].name) of the mapping key that starts at this offset of the text, else null. */
function fieldPathAt(node: unknown, offset: number, path = ''): string | null {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const here = path ? `${path}.${key}` : key;
      if (isNode(pair.key) && pair.key.range?.[0] === offset) return here;
      const inner = fieldPathAt(pair.value, offset, here);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = fieldPathAt(item, offset, `${path}[${i}]`);
      if (inner) return inner;
    }
  }
  return null;
}

/** A failed read of an answers file, as a few words for the one-line error. */
export function readErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
}

export async function loadAnswersFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    // No answers file comes near 1 MiB; a bigger one is not an answers file, and is not parsed.
    const size = (await stat(path)).size;
    if (size > MAX_ANSWERS_BYTES) return { ok: false, problems: [{ path: '--answers', message: `${path}: ${size} bytes: an answers file is at most ${MAX_ANSWERS_BYTES} bytes` }] };
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
