// The real Pacemaker tools as validators for generated configuration (VALIDATORS.md): xmllint, then
// crm_verify, then every resource's parameters against its agent's metadata (crm_resource
// --show-metadata); crmsh and pcs loading their scripts into an empty CIB; and a normalizer that compares
// two CIBs while ignoring the ids each tool chooses. A missing tool is a failure, never a skip.
import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEl, childEls, descendants, parseXml, type XmlEl } from '../../../src/probes/xml.js';

export interface ToolRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], env: Record<string, string> = {}, timeout = 120_000): Promise<ToolRun> {
  const r = await execa(file, args, { reject: false, env: { LC_ALL: 'C', ...env }, timeout, stdin: 'ignore' });
  if (r.exitCode === undefined && /ENOENT/.test(String(r.shortMessage))) {
    throw new Error(`${file} is not installed: run test/setup/install-tools.sh`);
  }
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export async function tempDir(prefix = 'hanfs-pcmk-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** xmllint first: crm_verify recovers from malformed XML and still exits 0. */
export async function xmllint(file: string): Promise<ToolRun> {
  return run('xmllint', ['--noout', file]);
}

export async function crmVerify(file: string): Promise<ToolRun> {
  return run('crm_verify', ['--xml-file', file, '-V']);
}

interface AgentParams {
  known: Set<string>;
  required: Set<string>;
}

const metadataCache = new Map<string, Promise<AgentParams>>();

function paramsFromMetadata(xml: string): AgentParams {
  const root = parseXml(xml);
  if (!root) throw new Error('agent metadata is not XML');
  const params = childEls(childEl(root, 'parameters'), 'parameter');
  return {
    known: new Set(params.map((p) => p.attrs['name'] ?? '')),
    // fence-agents marks deprecated aliases (ipaddr, login) required too, next to their current names.
    required: new Set(params.filter((p) => p.attrs['required'] === '1' && p.attrs['deprecated'] !== '1').map((p) => p.attrs['name'] ?? '')),
  };
}

/** An agent's parameters, from `crm_resource --show-metadata class:provider:type`. */
export function agentParams(agent: string): Promise<AgentParams> {
  let p = metadataCache.get(agent);
  if (!p) {
    p = (async () => {
      const r = await run('crm_resource', ['--show-metadata', agent]);
      if (r.exitCode !== 0) throw new Error(`crm_resource --show-metadata ${agent}: exit ${r.exitCode}: ${r.stderr.trim()}`);
      const params = paramsFromMetadata(r.stdout);
      if (agent.startsWith('stonith:')) {
        // Fence devices also take the fencer's own pcmk_* parameters (pcmk_host_list, pcmk_delay_base...).
        const fenced = await run('/usr/lib/pacemaker/pacemaker-fenced', ['metadata']);
        if (fenced.exitCode !== 0) throw new Error(`pacemaker-fenced metadata: exit ${fenced.exitCode}`);
        for (const k of paramsFromMetadata(fenced.stdout).known) params.known.add(k);
      }
      return params;
    })();
    metadataCache.set(agent, p);
  }
  return p;
}

/** Every primitive's parameters checked against its agent: unknown or missing required ones. */
export async function checkParameters(cibXml: string): Promise<string[]> {
  const root = parseXml(cibXml);
  if (!root) return ['the CIB is not well-formed XML'];
  const problems: string[] = [];
  for (const p of descendants(root).filter((e) => e.name === 'primitive')) {
    const cls = p.attrs['class'];
    const agent = cls === 'stonith' ? `stonith:${p.attrs['type']}` : `${cls}:${p.attrs['provider']}:${p.attrs['type']}`;
    const meta = await agentParams(agent);
    const given = childEls(p, 'instance_attributes').flatMap((ia) => childEls(ia, 'nvpair').map((n) => n.attrs['name'] ?? ''));
    for (const g of given) if (!meta.known.has(g)) problems.push(`${p.attrs['id']} (${agent}): unknown parameter ${g}`);
    for (const r of meta.required) if (!given.includes(r)) problems.push(`${p.attrs['id']} (${agent}): missing required parameter ${r}`);
  }
  return problems;
}

/** xmllint, crm_verify and the parameter check of one CIB text; an empty list when all pass. */
export async function validateCib(cibXml: string): Promise<string[]> {
  const dir = await tempDir();
  const file = join(dir, 'cib.xml');
  await writeFile(file, cibXml);
  const lint = await xmllint(file);
  if (lint.exitCode !== 0) return [`xmllint: exit ${lint.exitCode}: ${lint.stderr.trim()}`];
  const verify = await crmVerify(file);
  if (verify.exitCode !== 0) return [`crm_verify: exit ${verify.exitCode}: ${(verify.stderr + verify.stdout).trim()}`];
  return checkParameters(cibXml);
}

/** A CIB with nothing configured, as Pacemaker itself writes one (`cibadmin --empty`). */
export async function emptyCib(dir: string): Promise<string> {
  const r = await run('cibadmin', ['--empty']);
  if (r.exitCode !== 0) throw new Error(`cibadmin --empty: exit ${r.exitCode}`);
  const file = join(dir, 'empty.xml');
  await writeFile(file, r.stdout);
  return file;
}

/** crmsh loads setup.crm into an empty CIB file; returns the exit, output and the resulting CIB. */
export async function loadWithCrmsh(setupCrm: string): Promise<ToolRun & { cib: string }> {
  const dir = await tempDir('hanfs-crmsh-');
  const cib = await emptyCib(dir);
  const script = join(dir, 'setup.crm');
  await writeFile(script, setupCrm);
  const r = await run('crm', ['configure', 'load', 'update', script], { CIB_file: cib }, 180_000);
  return { ...r, cib: await readFile(cib, 'utf8') };
}

/** setup-pcs.sh run with an empty CIB file as $1; returns the exit, output and the resulting CIB. */
export async function runPcsScript(script: string): Promise<ToolRun & { cib: string }> {
  const dir = await tempDir('hanfs-pcs-');
  const cib = await emptyCib(dir);
  const file = join(dir, 'setup-pcs.sh');
  await writeFile(file, script, { mode: 0o755 });
  const r = await run('bash', [file, cib], {}, 300_000);
  return { ...r, cib: await readFile(cib, 'utf8') };
}

// ---- the normalizer ----

export interface NormalCib {
  properties: Record<string, string>;
  rscDefaults: Record<string, string>;
  /** Each primitive as a stable text: agent, container, params, ops. */
  primitives: Record<string, unknown>;
  clones: Record<string, { child: string; meta: Record<string, string> }>;
  groups: Record<string, string[]>;
  constraints: string[];
}

const ROLE: Record<string, string> = { Master: 'Promoted', Slave: 'Unpromoted' };
const role = (r: string | undefined) => (r === undefined ? undefined : (ROLE[r] ?? r));

function nv(el: XmlEl | undefined, set: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of childEls(el, set)) for (const n of childEls(s, 'nvpair')) out[n.attrs['name'] ?? ''] = n.attrs['value'] ?? '';
  return out;
}

/** "0" and "0s" are the same interval; Pacemaker reads a bare number as seconds. */
const duration = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? `${v}s` : v);
const score = (s: string | undefined) => (s === undefined ? 'INFINITY' : s.replace(/^\+?inf(inity)?$/i, 'INFINITY').replace(/^-inf(inity)?$/i, '-INFINITY'));

function primitiveOf(p: XmlEl, container: string | null): unknown {
  const ops = childEls(childEl(p, 'operations'), 'op')
    .map((o) => [o.attrs['name'], duration(o.attrs['interval']), duration(o.attrs['timeout']), role(o.attrs['role']) ?? ''].join(' '))
    .sort();
  return {
    agent: [p.attrs['class'], p.attrs['provider'] ?? '', p.attrs['type']].join(':'),
    container,
    params: nv(p, 'instance_attributes'),
    meta: nv(p, 'meta_attributes'),
    ops,
  };
}

function constraintOf(c: XmlEl): string {
  const a = c.attrs;
  switch (c.name) {
    case 'rsc_colocation':
      return `colocation ${a['rsc']}:${role(a['rsc-role']) ?? 'Started'} with ${a['with-rsc']}:${role(a['with-rsc-role']) ?? 'Started'} ${score(a['score'])}`;
    case 'rsc_order':
      return `order ${a['first']}:${a['first-action'] ?? 'start'} then ${a['then']}:${a['then-action'] ?? a['first-action'] ?? 'start'} ${a['kind'] ?? 'Mandatory'}`;
    case 'rsc_location': {
      const rule = childEl(c, 'rule');
      if (!rule) return `location ${a['rsc']} role=${role(a['role']) ?? 'any'} node=${a['node']} ${score(a['score'])}`;
      // With a rule, Pacemaker reads the role from the rule and ignores the constraint's: keep them apart.
      const s = rule.attrs['score-attribute'] !== undefined ? `score-attribute=${rule.attrs['score-attribute']}` : `score=${score(rule.attrs['score'])}`;
      const exprs = childEls(rule, 'expression')
        .map((e) => [e.attrs['attribute'], e.attrs['operation'], e.attrs['type'] ?? '', e.attrs['value'] ?? ''].join(' ').trim())
        .sort();
      const ignored = a['role'] !== undefined ? ` ignored-constraint-role=${role(a['role'])}` : '';
      return `location ${a['rsc']}${ignored} rule role=${role(rule.attrs['role']) ?? 'any'} ${s} ${rule.attrs['boolean-op'] ?? 'and'}(${exprs.join('; ')})`;
    }
    default:
      return `${c.name} (not normalized)`;
  }
}

/** The configuration's meaning, without the ids tools invent for nvpairs, ops, sets and rules. */
export function normalizeCib(xml: string): NormalCib {
  const root = parseXml(xml);
  if (!root) throw new Error('not well-formed XML');
  const conf = childEl(root, 'configuration');
  const out: NormalCib = { properties: {}, rscDefaults: {}, primitives: {}, clones: {}, groups: {}, constraints: [] };
  out.properties = nv(childEl(conf, 'crm_config'), 'cluster_property_set');
  out.rscDefaults = nv(childEl(conf, 'rsc_defaults'), 'meta_attributes');
  const walk = (el: XmlEl, container: string | null) => {
    for (const c of el.children) {
      const id = c.attrs['id'] ?? '';
      if (c.name === 'primitive') out.primitives[id] = primitiveOf(c, container);
      else if (c.name === 'group') {
        out.groups[id] = childEls(c, 'primitive').map((p) => p.attrs['id'] ?? '');
        walk(c, id);
      } else if (c.name === 'clone') {
        const child = c.children.find((x) => x.name === 'primitive' || x.name === 'group');
        out.clones[id] = { child: child?.attrs['id'] ?? '', meta: nv(c, 'meta_attributes') };
        walk(c, id);
      }
    }
  };
  const resources = childEl(conf, 'resources');
  if (resources) walk(resources, null);
  out.constraints = (childEl(conf, 'constraints')?.children ?? []).map(constraintOf).sort();
  return out;
}
