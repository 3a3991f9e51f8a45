// Parser for `crm_mon -1 [-rfA] --output-as=xml` (Pacemaker 2.1 and 3.0, XML api 2.x). Pure: takes the XML text.
// Pacemaker 3.0.0 (Debian 13) prints the same document as 2.1.5 (Debian 12) for the same CIB, with api-version
// 2.38 instead of 2.25, a `maintenance` attribute on every clone, group and resource, and rc_text "OK" for
// "ok" (test/fixtures/monitor/trixie: both releases' crm_mon on the same lab CIBs); both already print the
// Promoted/Unpromoted role names.
// Reads nodes (online/standby/offline/maintenance), quorum and DC, resources with their role and node,
// node attributes (pingd and its expected value), fail counts and the operation history from node_history
// and failed actions. The history (per node, per resource: call id, task, rc, interval) is what tells a
// resource whose first recurring monitor has reported since its start from one that only claims to run:
// call ids grow per node, so their order is the order the operations were started in.
// Roles are normalised to Pacemaker 2.1's names: the older Master/Slave become Promoted/Unpromoted.
// When Pacemaker is down crm_mon still prints a document (`<status code="102" message="Not connected">`):
// that is returned as {ok:false} with the code and the error lines.
import { childEl, childEls, parseXml, type XmlEl } from './xml.js';

export interface CrmNode {
  name: string;
  id: string;
  online: boolean;
  standby: boolean;
  standbyOnFail: boolean;
  maintenance: boolean;
  pending: boolean;
  unclean: boolean;
  shutdown: boolean;
  isDc: boolean;
  resourcesRunning: number;
}

export interface CrmResource {
  id: string;
  agent: string;
  /** Promoted, Unpromoted, Started, Stopped, Starting, Stopping, Promoting, Demoting, ... */
  role: string;
  /** The role exactly as printed (Master/Slave on old Pacemaker). */
  rawRole: string;
  active: boolean;
  failed: boolean;
  managed: boolean;
  /** In maintenance (the resource's or its parent's maintenance meta-attribute): Pacemaker 3.0 prints it; false when absent (2.1). */
  maintenance: boolean;
  blocked: boolean;
  /** e.g. "Monitoring" while an operation is pending. */
  pending: string | null;
  nodes: string[];
  /** The clone or group this instance belongs to, or null. */
  parent: string | null;
  parentKind: 'clone' | 'group' | 'bundle' | null;
}

export interface CrmAttribute {
  value: string;
  /** crm_mon's expected value for ping attributes (multiplier x hosts), when it prints one. */
  expected: string | null;
}

export interface CrmFailure {
  opKey: string;
  /** Resource id, from op_key `<rsc>_<task>_<interval>`. */
  resource: string;
  node: string;
  task: string;
  exitStatus: string;
  exitCode: number | null;
  exitReason: string;
  /** As printed, e.g. "2026-11-25 19:37:16Z". */
  lastRcChange: string;
  intervalMs: number | null;
}

export interface CrmFailCount {
  node: string;
  resource: string;
  failCount: number;
  lastFailure: string | null;
}

/** One operation_history entry: the latest run of one operation of a resource on a node. */
export interface CrmOperation {
  /** The executor's call id, increasing per node; -1 for an operation still in flight (rc 193). */
  call: number;
  /** start, stop, promote, demote, monitor, probe (a monitor with interval 0), migrate_from, notify, ... */
  task: string;
  /** 0 ok, 7 not running, 8 promoted, 193 pending, ...; null when not printed. */
  rc: number | null;
  /** The recurrence of a monitor ("29000ms" -> 29000); 0 for a one-shot operation. */
  intervalMs: number;
}

export interface CrmStatus {
  ok: true;
  pacemakerdState: string | null;
  dc: string | null;
  quorum: boolean | null;
  lastUpdate: string | null;
  nodes: CrmNode[];
  resources: CrmResource[];
  attributes: Record<string, Record<string, CrmAttribute>>;
  failures: CrmFailure[];
  failCounts: CrmFailCount[];
  /** node name -> resource id (as printed, a clone suffix like ":0" included) -> its operations, in document order. */
  history: Record<string, Record<string, CrmOperation[]>>;
}

export type CrmMonResult = CrmStatus | { ok: false; code: number | null; message: string; errors: string[] };

const child = childEl;
const children = childEls;
const bool = (v: string | undefined): boolean => v === 'true';

const ROLE_NAMES: Record<string, string> = { Master: 'Promoted', Slave: 'Unpromoted' };

/** Normalises a Pacemaker role: Master -> Promoted, Slave -> Unpromoted (Pacemaker 2.1 renamed them). */
export function normaliseRole(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

function resourceFrom(el: XmlEl, parent: XmlEl | null): CrmResource {
  const rawRole = el.attrs['role'] ?? 'Unknown';
  return {
    id: el.attrs['id'] ?? '',
    agent: el.attrs['resource_agent'] ?? '',
    role: normaliseRole(rawRole),
    rawRole,
    active: bool(el.attrs['active']),
    failed: bool(el.attrs['failed']),
    managed: el.attrs['managed'] !== 'false',
    maintenance: bool(el.attrs['maintenance']),
    blocked: bool(el.attrs['blocked']),
    pending: el.attrs['pending'] ?? null,
    nodes: children(el, 'node').map((n) => n.attrs['name'] ?? ''),
    parent: parent?.attrs['id'] ?? null,
    parentKind: parent === null ? null : (parent.name as 'clone' | 'group' | 'bundle'),
  };
}

function collectResources(el: XmlEl, parent: XmlEl | null, out: CrmResource[]): void {
  for (const c of el.children) {
    if (c.name === 'resource') out.push(resourceFrom(c, parent));
    else if (c.name === 'clone' || c.name === 'group' || c.name === 'bundle') {
      // A group inside a clone keeps the innermost container as parent: that is what the admin named.
      collectResources(c, c, out);
    }
  }
}

/** Parses a Pacemaker interval ("31s", "1min", "500ms", "2h", plain seconds) into ms; null if unknown. */
export function intervalMs(v: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const f = unit.startsWith('ms') ? 1 : unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return n * f;
}

function nodeFrom(n: XmlEl): CrmNode {
  return {
    name: n.attrs['name'] ?? '',
    id: n.attrs['id'] ?? '',
    online: bool(n.attrs['online']),
    standby: bool(n.attrs['standby']),
    standbyOnFail: bool(n.attrs['standby_onfail']),
    maintenance: bool(n.attrs['maintenance']),
    pending: bool(n.attrs['pending']),
    unclean: bool(n.attrs['unclean']),
    shutdown: bool(n.attrs['shutdown']),
    isDc: bool(n.attrs['is_dc']),
    resourcesRunning: Number(n.attrs['resources_running'] ?? 0),
  };
}

/** node_attributes: node name -> attribute name -> value (and expected value). */
function attributesFrom(top: XmlEl): Record<string, Record<string, CrmAttribute>> {
  const attributes: Record<string, Record<string, CrmAttribute>> = {};
  for (const n of children(child(top, 'node_attributes'), 'node')) {
    const byName: Record<string, CrmAttribute> = {};
    for (const a of children(n, 'attribute')) {
      byName[a.attrs['name'] ?? ''] = { value: a.attrs['value'] ?? '', expected: a.attrs['expected'] ?? null };
    }
    attributes[n.attrs['name'] ?? ''] = byName;
  }
  return attributes;
}

function operationFrom(o: XmlEl): CrmOperation {
  const call = Number(o.attrs['call']);
  return {
    // An absent or odd call id sorts before every real one, like the -1 of a pending operation.
    call: Number.isFinite(call) ? call : -1,
    task: o.attrs['task'] ?? '',
    rc: o.attrs['rc'] === undefined || !Number.isFinite(Number(o.attrs['rc'])) ? null : Number(o.attrs['rc']),
    intervalMs: o.attrs['interval'] === undefined ? 0 : (intervalMs(o.attrs['interval']) ?? 0),
  };
}

/** node_history: each node's operations per resource, and the fail counts it prints beside them. */
function historyFrom(top: XmlEl): { history: CrmStatus['history']; failCounts: CrmFailCount[] } {
  const failCounts: CrmFailCount[] = [];
  const history: Record<string, Record<string, CrmOperation[]>> = {};
  for (const n of children(child(top, 'node_history'), 'node')) {
    const byResource = (history[n.attrs['name'] ?? ''] ??= {});
    for (const r of children(n, 'resource_history')) {
      const ops = (byResource[r.attrs['id'] ?? ''] ??= []);
      for (const o of children(r, 'operation_history')) ops.push(operationFrom(o));
      const fc = r.attrs['fail-count'];
      if (fc === undefined) continue;
      failCounts.push({
        node: n.attrs['name'] ?? '',
        resource: r.attrs['id'] ?? '',
        // Pacemaker prints INFINITY for a resource banned by failures.
        failCount: fc === 'INFINITY' ? Number.POSITIVE_INFINITY : Number(fc),
        lastFailure: r.attrs['last-failure'] ?? null,
      });
    }
  }
  return { history, failCounts };
}

function failureFrom(f: XmlEl): CrmFailure {
  const opKey = f.attrs['op_key'] ?? '';
  const task = f.attrs['task'] ?? '';
  const m = /^(.*)_([a-z_-]+)_(\d+)$/.exec(opKey);
  return {
    opKey,
    resource: m?.[1] ?? opKey,
    node: f.attrs['node'] ?? '',
    task: task || (m?.[2] ?? ''),
    exitStatus: f.attrs['exitstatus'] ?? '',
    exitCode: f.attrs['exitcode'] === undefined ? null : Number(f.attrs['exitcode']),
    exitReason: f.attrs['exitreason'] ?? '',
    lastRcChange: f.attrs['last-rc-change'] ?? '',
    intervalMs: f.attrs['interval'] === undefined ? null : Number(f.attrs['interval']),
  };
}

export function parseCrmMon(xml: string): CrmMonResult {
  const doc = parseXml(xml);
  const top = doc !== null && (doc.name === 'pacemaker-result' || doc.name === 'crm_mon') ? doc : undefined;
  if (top === undefined) return { ok: false, code: null, message: 'not crm_mon XML output', errors: [] };
  const status = child(top, 'status');
  const code = status?.attrs['code'] === undefined ? null : Number(status.attrs['code']);
  if (code !== null && code !== 0) {
    const errors = children(child(status, 'errors'), 'error').map((e) => e.text.trim());
    return { ok: false, code, message: status?.attrs['message'] ?? 'error', errors };
  }
  const summary = child(top, 'summary');
  const dcEl = child(summary, 'current_dc');
  const present = dcEl?.attrs['present'] === 'true';
  const resources: CrmResource[] = [];
  const resEl = child(top, 'resources');
  if (resEl) collectResources(resEl, null, resources);
  const { history, failCounts } = historyFrom(top);
  return {
    ok: true,
    // 2.1 prints <pacemakerd state=...>; 3.0 dropped that element for <stack pacemakerd-state=...>.
    pacemakerdState: child(top, 'pacemakerd')?.attrs['state'] ?? child(summary, 'stack')?.attrs['pacemakerd-state'] ?? null,
    dc: present ? (dcEl?.attrs['name'] ?? null) : null,
    quorum: present ? dcEl?.attrs['with_quorum'] === 'true' : null,
    lastUpdate: child(summary, 'last_update')?.attrs['time'] ?? null,
    nodes: children(child(top, 'nodes'), 'node').map(nodeFrom),
    resources,
    attributes: attributesFrom(top),
    failures: children(child(top, 'failures'), 'failure').map(failureFrom),
    failCounts,
    history,
  };
}
