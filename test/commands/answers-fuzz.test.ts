// Property test: valid answers files (examples/) mutated the ways a hand-edited or hostile file goes
// wrong — a value of another type, a required key missing, an unknown key, control characters, huge
// strings, non-ASCII text, YAML aliases and merge keys, duplicate keys — always get exit 2 from export
// and from apply, one `error:` line naming the field that was changed, nothing written, no stack trace,
// in under a second each. The commands' own run() is called, as the CLI calls it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, isMap, isSeq, parse, stringify, type YAMLMap } from 'yaml';
import { run as runExport } from '../../src/commands/export.js';
import { run as runApply } from '../../src/commands/apply.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Key = string | number;

const BASES: Json[] = ['examples/answers.yaml', ...readdirSync('examples/varied').map((f) => `examples/varied/${f}`)].map((f) => parse(readFileSync(f, 'utf8')) as Json);

/** Field path as the error lines spell it: nodes[1].service.address */
function show(path: Key[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}

/** Every value in the document with its path, in document order (parents before children). */
function walk(v: Json, path: Key[] = []): { path: Key[]; value: Json }[] {
  const out = [{ path, value: v }];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...walk(x, [...path, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...walk(x, [...path, k]));
  return out;
}

/** Fence agent parameters are free-form (any name, string/number/boolean): no type there is wrong. */
const inFenceParams = (p: Key[]) => p[0] === 'pacemaker' && p[1] === 'stonith' && p[2] === 'nodes';

function setAt(doc: Json, path: Key[], value: Json | undefined): Json {
  const copy = structuredClone(doc);
  let cur = copy as Record<Key, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<Key, Json>;
  const last = path.at(-1)!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A value of another type than `old` (strings start with "x": never the literal "none" of stonith). */
function otherType(old: Json, allowScalars: boolean): fc.Arbitrary<Json> {
  const all: [string, fc.Arbitrary<Json>][] = [
    ['string', fc.string({ maxLength: 12 }).map((s) => `x${s}`)],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['boolean', fc.boolean()],
    ['null', fc.constant(null)],
    ['array', fc.array(fc.integer(), { maxLength: 2 })],
    ['object', fc.constant({ x_key: 1 })],
  ];
  const scalars = new Set(['string', 'number', 'boolean']);
  return fc.oneof(...all.filter(([t]) => t !== typeOf(old) && (allowScalars || !scalars.has(t))).map(([, a]) => a));
}

const REQUIRED = (doc: Json): Key[][] => {
  const d = doc as { nodes: Json[]; nfs?: { exports?: Json[] }; pacemaker?: { stonith?: Json } };
  const out: Key[][] = [['version'], ['nodes'], ['virtualIp'], ['virtualIp', 'address']];
  d.nodes.forEach((_, i) => out.push(['nodes', i, 'name'], ['nodes', i, 'disks'], ['nodes', i, 'service'], ['nodes', i, 'replication'], ['nodes', i, 'service', 'address'], ['nodes', i, 'replication', 'address']));
  d.nfs?.exports?.forEach((_, i) => out.push(['nfs', 'exports', i, 'path'], ['nfs', 'exports', i, 'clients']));
  if (d.pacemaker?.stonith && typeof d.pacemaker.stonith === 'object') out.push(['pacemaker', 'stonith', 'agent'], ['pacemaker', 'stonith', 'nodes']);
  return out;
};

const CONTROL = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f), fc.integer({ min: 0x80, max: 0x9f }), fc.constantFrom(0x2028, 0x2029)).map((c) => String.fromCodePoint(c));
const NON_ASCII = fc.constantFrom('é', 'ü', 'ß', 'И', '中', '😀', '\u00a0', '\u200b', '\ufeff', 'Ａ', '１', '\u0301');

interface Case {
  text: string;
  /** The error line must name this field (or, for a union such as stonith, a field that holds it). */
  field: string;
  /** Only the key's name can be expected (a duplicate key's line names its full path). */
  keyOnly?: boolean;
  what: string;
}

const yamlOf = (doc: Json) => stringify(doc);

const docArb = fc.constantFrom(...BASES);

const typeCase = docArb.chain((doc) => {
  const spots = walk(doc).filter((s) => s.path.length > 0);
  return fc.constantFrom(...spots).chain((s) =>
    otherType(s.value, !(inFenceParams(s.path) && s.path.length === 5)).map((v): Case => ({ text: yamlOf(setAt(doc, s.path, v)), field: show(s.path), what: `type of ${show(s.path)}` })),
  );
});

const missingCase = docArb.chain((doc) => fc.constantFrom(...REQUIRED(doc)).map((p): Case => ({ text: yamlOf(setAt(doc, p, undefined)), field: show(p), what: `missing ${show(p)}` })));

const extraCase = docArb.chain((doc) => {
  const maps = walk(doc).filter((s) => typeOf(s.value) === 'object' && !inFenceParams(s.path));
  return fc.tuple(fc.constantFrom(...maps), fc.stringMatching(/^[a-z][A-Za-z0-9_]{0,12}$/)).map(([m, name]): Case => {
    const key = `x_${name}`;
    return { text: yamlOf(setAt(doc, [...m.path, key], 1)), field: show([...m.path, key]), what: `extra ${show([...m.path, key])}` };
  });
});

const stringSpots = (doc: Json) => walk(doc).filter((s) => typeof s.value === 'string');

const controlCase = docArb.chain((doc) =>
  fc.tuple(fc.constantFrom(...stringSpots(doc)), CONTROL, fc.nat()).map(([s, c, at]): Case => {
    const old = s.value as string;
    const i = at % (old.length + 1);
    return { text: yamlOf(setAt(doc, s.path, old.slice(0, i) + c + old.slice(i))), field: show(s.path), what: `control U+${c.codePointAt(0)!.toString(16)} in ${show(s.path)}` };
  }),
);

const hugeCase = docArb.chain((doc) =>
  fc.tuple(fc.constantFrom(...stringSpots(doc)), fc.integer({ min: 4097, max: 300_000 }), fc.constantFrom('a', '/', '9', '.')).map(([s, n, ch]): Case => ({
    text: yamlOf(setAt(doc, s.path, (s.value as string).slice(0, 1) + ch.repeat(n))),
    field: show(s.path),
    what: `huge ${show(s.path)}`,
  })),
);

const unicodeCase = docArb.chain((doc) =>
  fc.tuple(fc.constantFrom(...stringSpots(doc).filter((s) => !inFenceParams(s.path))), NON_ASCII, fc.nat()).map(([s, u, at]): Case => {
    const old = s.value as string;
    const i = at % (old.length + 1);
    return { text: yamlOf(setAt(doc, s.path, old.slice(0, i) + u + old.slice(i))), field: show(s.path), what: `unicode in ${show(s.path)}` };
  }),
);

/** An alias to an earlier mapping put where a scalar was, or a merge key (<<) added to a later mapping. */
const aliasCase = docArb.chain((doc) => {
  const all = walk(doc);
  const collections = all.map((s, i) => ({ ...s, i })).filter((s) => s.path.length > 0 && (typeOf(s.value) === 'object' || typeOf(s.value) === 'array'));
  const pairs: { src: (typeof collections)[number]; dst: { path: Key[]; value: Json }; kind: 'alias' | 'merge' }[] = [];
  const isPrefix = (a: Key[], b: Key[]) => a.length <= b.length && a.every((k, i) => b[i] === k);
  for (const src of collections) {
    if (typeOf(src.value) !== 'object') continue;
    for (const [j, dst] of all.entries()) {
      if (j <= src.i || isPrefix(src.path, dst.path) || dst.path.length === 0) continue;
      if (typeOf(dst.value) !== 'object' && typeOf(dst.value) !== 'array') pairs.push({ src, dst, kind: 'alias' });
      else if (typeOf(dst.value) === 'object' && !inFenceParams(dst.path)) pairs.push({ src, dst, kind: 'merge' });
    }
  }
  return fc.constantFrom(...pairs).map(({ src, dst, kind }): Case => {
    const d = new Document(doc);
    const anchor = d.getIn(src.path, true) as YAMLMap;
    const alias = d.createAlias(anchor, 'shared');
    if (kind === 'alias') {
      d.setIn(dst.path, alias);
      return { text: d.toString(), field: show(dst.path), what: `alias at ${show(dst.path)}` };
    }
    (d.getIn(dst.path, true) as YAMLMap).items.unshift(d.createPair('<<', alias));
    return { text: d.toString(), field: show([...dst.path, '<<']), what: `merge key in ${show(dst.path)}` };
  });
});

/** A key line repeated right below itself, in the same mapping. */
const duplicateCase = docArb.chain((doc) => {
  const lines = yamlOf(doc).split('\n');
  const spots = lines.flatMap((l, i) => {
    const m = /^(\s*)(- )?([A-Za-z][A-Za-z0-9_]*):(.*)$/.exec(l);
    return m ? [{ i, indent: m[1]! + (m[2] ? '  ' : ''), key: m[3]!, rest: m[4]! }] : [];
  });
  return fc.constantFrom(...spots).map((s): Case => {
    const copy = [...lines];
    // The duplicate comes after the original's block: past every deeper-indented line.
    let j = s.i + 1;
    while (j < copy.length && (copy[j]!.startsWith(`${s.indent} `) || copy[j]!.startsWith(`${s.indent}- `) && !/^\s*- /.test(copy[s.i]!.slice(s.indent.length)))) j++;
    copy.splice(j, 0, `${s.indent}${s.key}: ${s.rest.trim() === '' ? 'null' : s.rest.trim()}`);
    return { text: copy.join('\n'), field: s.key, keyOnly: true, what: `duplicate ${s.key} (line ${s.i + 1})` };
  });
});

let stderr = '';
let stdout = '';
beforeEach(() => {
  stderr = '';
  stdout = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
});

const work = mkdtempSync(join(tmpdir(), 'answers-fuzz-'));
let n = 0;

/** Runs export (odd runs) or apply --dry-run --demo (even runs) on the text; checks every promise. */
async function check(c: Case): Promise<void> {
  const file = join(work, `a${n}.yaml`);
  const out = join(work, `out${n}`);
  const log = join(work, `log${n}`);
  n++;
  writeFileSync(file, c.text);
  stderr = '';
  stdout = '';
  const t0 = performance.now();
  const code = n % 2 ? await runExport(['--answers', file, '--out', out]) : await runApply(['--answers', file, '--dry-run', '--demo', '--log', log]);
  const ms = performance.now() - t0;
  const lines = stderr.trimEnd().split('\n');
  const label = `${c.what}\n${stderr}`;
  expect(code, label).toBe(2);
  expect(lines, label).toHaveLength(1);
  expect(lines[0], label).toMatch(/^error: /);
  const named = /^error: (.*?): /.exec(lines[0]!)?.[1] ?? '';
  if (c.keyOnly) expect(named === c.field || named.endsWith(`.${c.field}`) || named.endsWith(`]${c.field}`), label).toBe(true);
  else expect(c.field === named || c.field.startsWith(`${named}.`) || c.field.startsWith(`${named}[`), `${label}\nexpected the line to name ${c.field}`).toBe(true);
  expect(stderr, label).not.toMatch(/\n\s+at |Error:|internal error/);
  expect(stdout, label).toBe('');
  expect(existsSync(out) || existsSync(log), label).toBe(false);
  expect(ms, label).toBeLessThan(1000);
}

const RUNS = { numRuns: 60 };

describe('mutated answers files: exit 2, one error line naming the field, nothing written, no stack trace, < 1 s', () => {
  it('a value of another type', async () => {
    await fc.assert(fc.asyncProperty(typeCase, check), RUNS);
  });
  it('a required key missing', async () => {
    await fc.assert(fc.asyncProperty(missingCase, check), RUNS);
  });
  it('an unknown key', async () => {
    await fc.assert(fc.asyncProperty(extraCase, check), RUNS);
  });
  it('a control character in any string: no string field accepts one', async () => {
    await fc.assert(fc.asyncProperty(controlCase, check), { numRuns: 120 });
  });
  it('a huge string', async () => {
    await fc.assert(fc.asyncProperty(hugeCase, check), { numRuns: 30 });
  });
  it('non-ASCII text', async () => {
    await fc.assert(fc.asyncProperty(unicodeCase, check), RUNS);
  });
  it('YAML aliases and merge keys', async () => {
    await fc.assert(fc.asyncProperty(aliasCase, check), RUNS);
  });
  it('a duplicate key', async () => {
    await fc.assert(fc.asyncProperty(duplicateCase, check), RUNS);
  });
  it('an alias bomb ("billion laughs") is refused in one line, quickly', async () => {
    const bomb = ['version: 1', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', ''].join('\n');
    await check({ text: bomb, field: join(work, `a${n}.yaml`), what: 'alias bomb' });
  });
  it('through the built CLI too: a real process exits 2 with one line (a few samples)', () => {
    const samples = fc.sample(fc.oneof(typeCase, controlCase, duplicateCase, aliasCase), { numRuns: 4, seed: 25 });
    for (const c of samples) {
      const file = join(work, `cli${n++}.yaml`);
      writeFileSync(file, c.text);
      const r = spawnSync(process.execPath, ['dist/cli.js', 'export', '--answers', file, '--out', join(work, `cli-out${n}`)], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, c.what).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), c.what).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(work, `cli-out${n}`))).toBe(false);
    }
  });
});

describe('the mutators start from valid files', () => {
  it('every base file is valid as it is (so each failure above comes from its mutation)', async () => {
    for (const doc of BASES) {
      const file = join(work, `base${n++}.yaml`);
      writeFileSync(file, yamlOf(doc));
      stderr = '';
      expect(await runExport(['--answers', file, '--out', join(work, `base-out${n}`)]), stderr).toBe(0);
    }
  });
  it('the collections used by the alias mutator exist', () => {
    expect(BASES.some((d) => walk(d).some((s) => isMap(new Document(s.value).contents) || isSeq(new Document(s.value).contents)))).toBe(true);
  });
});
