// The draft answers: reading and changing them by field path, validating a step's fields with the answers
// file's own schema and cross-field checks, and the YAML saved after every step.
import { parse, stringify } from 'yaml';
import { validateAnswers } from '../answers/load.js';
import type { Answers } from '../answers/schema.js';
import type { Draft, FieldErrors } from './types.js';

type Key = string | number;

/** nodes[1].replication.address -> ['nodes', 1, 'replication', 'address'] */
export function parsePath(path: string): Key[] {
  const out: Key[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`bad field path ${path}`); // programmer error: paths are literals in steps
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function getPath(d: unknown, path: string): unknown {
  let cur: unknown = d;
  for (const k of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<Key, unknown>)[k];
  }
  return cur;
}

/** A copy of d with the value at path replaced (objects and arrays created on the way). */
export function setPath(d: Draft, path: string, value: unknown): Draft {
  const keys = parsePath(path);
  const write = (node: unknown, i: number): unknown => {
    const k = keys[i]!;
    const base: Record<Key, unknown> | unknown[] = Array.isArray(node)
      ? [...node]
      : node !== null && typeof node === 'object'
        ? { ...(node as Record<Key, unknown>) }
        : typeof k === 'number' ? [] : {};
    const child = (base as Record<Key, unknown>)[k];
    const v = i === keys.length - 1 ? value : write(child, i + 1);
    if (Array.isArray(base) && typeof k === 'number') {
      while (base.length < k) base.push({});
      base[k] = v;
    } else if (v === undefined) {
      delete (base as Record<Key, unknown>)[k];
    } else {
      (base as Record<Key, unknown>)[k] = v;
    }
    return base;
  };
  return write(d, 0) as Draft;
}

/** Sets path only when nothing is there yet: defaults never overwrite an answer. */
export function setDefault(d: Draft, path: string, value: unknown): Draft {
  return getPath(d, path) === undefined && value !== undefined ? setPath(d, path, value) : d;
}

// Addresses from the benchmarking range (RFC 2544) stand in for answers of later steps, so the whole
// file's checks can run early; their own problems are never shown (no step owns them while they stand in).
const PLACEHOLDER_NODE = (i: number) => ({
  name: `placeholder-${i}`,
  disks: [`/dev/placeholder${i}a`, `/dev/placeholder${i}b`],
  service: { address: `198.18.0.${11 + i}/24` },
  replication: { address: `198.18.1.${11 + i}/24` },
});

/** The draft with every required answer of later steps stood in for, ready for validateAnswers. */
export function validationCandidate(d: Draft): Draft {
  let c: Draft = { ...d, version: d.version ?? 1 };
  const nodes = Array.isArray(c.nodes) ? c.nodes : [];
  c.nodes = [0, 1].map((i) => {
    const n = (nodes[i] ?? {}) as Record<string, unknown>;
    const p = PLACEHOLDER_NODE(i);
    return {
      ...n,
      name: n.name ?? p.name,
      ssh: n.ssh ?? (i === 0 ? 'local' : 'root@198.18.0.12'),
      disks: n.disks ?? p.disks,
      service: { ...(n.service as object), address: (n.service as { address?: unknown } | undefined)?.address ?? p.service.address },
      replication: { ...(n.replication as object), address: (n.replication as { address?: unknown } | undefined)?.address ?? p.replication.address },
    };
  });
  c = setDefault(c, 'virtualIp.address', '198.18.0.100/24');
  return c;
}

export function problemBelongsTo(problemPath: string, field: string): boolean {
  return problemPath === field || problemPath.startsWith(`${field}[`) || problemPath.startsWith(`${field}.`);
}

/**
 * Errors of the given fields, from the same schema and cross-field checks as the answers file
 * (validateAnswers). A problem is reported on the first listed field that owns its path.
 */
export function schemaErrors(d: Draft, fields: string[]): FieldErrors {
  const r = validateAnswers(validationCandidate(d));
  const out: FieldErrors = {};
  if (r.ok) return out;
  for (const p of r.problems) {
    const f = fields.find((x) => problemBelongsTo(p.path, x));
    if (f !== undefined && out[f] === undefined) out[f] = p.path === f ? p.message : `${p.path.slice(f.length).replace(/^\./, '')}: ${p.message}`;
  }
  return out;
}

/** The complete answers when the draft is a valid answers file. */
export function completeDraft(d: Draft): { ok: true; answers: Answers; warnings: { path: string; message: string }[] } | { ok: false; problems: { path: string; message: string }[] } {
  return validateAnswers(d);
}

const ORDER = ['version', 'cluster', 'nodes', 'raid', 'lvm', 'drbd', 'filesystem', 'nfs', 'virtualIp', 'ping', 'pacemaker', 'backups'];

/** The draft as YAML, top-level fields in ANSWERS.md's order. */
export function draftToYaml(d: Draft): string {
  const ordered: Draft = {};
  for (const k of ORDER) if (d[k] !== undefined) ordered[k] = d[k];
  for (const k of Object.keys(d)) if (!ORDER.includes(k)) ordered[k] = d[k];
  return `# hanfs-wizard answers (docs/answers.md); the wizard reopens this file where it was left.\n${stringify(ordered, { lineWidth: 0, flowCollectionPadding: false })}`;
}

export type DraftLoad = { ok: true; draft: Draft } | { ok: false; error: string };

/** Reads a saved draft: any mapping is accepted (a draft is incomplete by nature); checks come per step. */
export function parseDraftYaml(text: string): DraftLoad {
  let data: unknown;
  try {
    data = parse(text, { uniqueKeys: true });
  } catch (e) {
    return { ok: false, error: `malformed YAML: ${(e as Error).message.split('\n')[0]}` };
  }
  if (data === null || data === undefined) return { ok: true, draft: {} };
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, error: 'must be a YAML mapping starting with "version: 1"' };
  return { ok: true, draft: data as Draft };
}

/** Errors a screen shows at once: all but "is required" on a field nobody has touched yet. */
export function visibleErrors(errors: FieldErrors, draft: Draft): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) if (v !== 'is required' || getPath(draft, k) !== undefined) out[k] = v;
  return out;
}
