// Fail closed: a component the monitor cannot read is UNKNOWN, never OK, with its error and the age of
// its last good reading; and what should exist (expected.ts) but is missing is CRITICAL, with what and
// where. Pure: state in, problems out (health.ts adds them to the rest).
import { COMPONENTS, readingState, staleBaseMs, type Component, type MonitorState, type NodeState } from './model.js';
import type { Problem } from './problem.js';
import { expectedFromCib, expectedFromCluster, expectedOn, whoExpects, type ExpectedTopology } from './expected.js';
import { fmtAge } from './units.js';

/** What each component is, as the admin knows it. */
export const COMPONENT_LABEL: Record<Component, string> = {
  pacemaker: 'Pacemaker (crm_mon)',
  cib: 'cluster configuration (cibadmin -Q)',
  drbd: 'DRBD (drbdsetup events2, /proc/drbd)',
  raid: 'RAID (/proc/mdstat)',
  lvm: 'LVM (vgs, lvs)',
  nfs: 'NFS (systemctl, exportfs)',
  connectivity: 'connectivity (ping)',
};

function lastGood(okAt: number | null, now: number): string {
  return okAt === null ? 'never read' : `last good reading ${fmtAge(Math.max(0, now - okAt))} ago`;
}

export function readingProblems(n: NodeState, state: MonitorState): Problem[] {
  // An unreachable node is CRITICAL on its own; a node whose first round has not come back yet (unknown)
  // is judged by its readings like any other: pending and stale are not OK.
  if (n.reach.status === 'down') return [];
  const out: Problem[] = [];
  for (const c of COMPONENTS) {
    const r = n.readings[c];
    const st = readingState(c, r, state.now, staleBaseMs(state));
    // Nothing to ping and no pingd: nothing to read. The CIB cannot be read with Pacemaker down, which is
    // CRITICAL already.
    if (st === 'pending' && c === 'connectivity') continue;
    if (c === 'cib' && n.pacemaker.status === null) continue;
    if (st === 'fresh') continue;
    const subject = `${c} reading`;
    const what = COMPONENT_LABEL[c];
    const text =
      st === 'failed' ? `cannot read ${what}: ${r.error ?? 'failed'} (${lastGood(r.okAt, state.now)})`
      : st === 'stale' ? `no fresh reading of ${what} (${lastGood(r.okAt, state.now)})`
      : `${what} not read yet`;
    out.push({ severity: 'UNKNOWN', score: 50, node: n.name, subject, text });
  }
  return out;
}

/** The expected topology: --answers, else the freshest CIB a node reported and the nodes' own files. */
export function effectiveExpected(state: MonitorState): ExpectedTopology | null {
  if (state.expected !== null) return state.expected;
  let best: { at: number; n: NodeState } | null = null;
  for (const n of Object.values(state.nodes)) {
    const at = n.readings.cib.okAt;
    if (n.cib !== null && at !== null && (best === null || at > best.at)) best = { at, n };
  }
  return expectedFromCluster(best === null ? null : best.n.cib, state.nodeOrder.map((name) => ({ name, config: state.nodes[name]?.config ?? null })));
}

/** One missing thing is CRITICAL, said with where it should be and where the expectation came from. */
export function missingProblems(state: MonitorState, exp: ExpectedTopology): Problem[] {
  const out: Problem[] = [];
  const from = whoExpects(exp, null, 'other');
  const crit = (node: string | null, subject: string, text: string): Problem => ({ severity: 'CRITICAL', score: 82, node, subject, text });
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n || n.reach.status !== 'up') continue;
    const own = expectedOn(exp, name);
    if (n.readings.raid.failedAt === null && n.readings.raid.okAt !== null) {
      for (const md of own.mdArrays) {
        if (!n.raid.arrays.some((a) => a.name === md)) out.push(crit(name, `raid ${md}`, `missing: ${whoExpects(exp, name, 'md')} expects md array /dev/${md}, /proc/mdstat has none (mdadm --assemble --scan; check mdadm.conf)`));
      }
    }
    // DRBD reads only where the module is loaded; a missing resource is missing on every node.
    if (n.readings.drbd.failedAt === null && n.readings.drbd.okAt !== null) {
      for (const res of own.drbdResources) {
        if (!Object.values(n.drbd.resources).some((r) => r.name === res)) {
          out.push(crit(name, `drbd ${res}`, `missing: ${whoExpects(exp, name, 'drbd')} expects DRBD resource ${res}, it is not configured up here (drbdadm up ${res}, or let Pacemaker start it)`));
        }
      }
    }
    // The LV under DRBD (its backing disk), where lvs answered.
    if (n.readings.lvm.failedAt === null && n.readings.lvm.okAt !== null) {
      for (const b of own.backingLvs) {
        if (!n.lvm.lvs.some((l) => `${l.vg}/${l.name}` === b.lv)) out.push(crit(name, `lvm ${b.lv}`, `missing: ${whoExpects(exp, name, 'drbd')} names /dev/${b.lv} as the backing disk of DRBD resource ${b.resource}, lvs does not list it (vgchange -ay; check the RAID under it)`));
      }
    }
  }
  // Nodes of the nodes' corosync.conf that Pacemaker does not know at all (an offline one it knows is
  // judged by the Pacemaker rules).
  if (exp.source === 'nodes' && exp.nodes.length > 0) {
    const known = clusterNodeNames(state);
    if (known !== null) for (const c of exp.nodes) if (!known.has(c)) out.push(crit(c, 'node', `missing: corosync.conf lists node ${c}, Pacemaker does not report it (is corosync.conf the same on every node? corosync-cfgtool -s)`));
  }
  // Exports: on the node Pacemaker runs the NFS service on (where nfs-server must be active).
  const cluster = Object.values(state.nodes).map((n) => n.pacemaker.status).find((s) => s !== null) ?? null;
  const active = cluster?.resources.find((r) => /:exportfs$/.test(r.agent) && r.active)?.nodes[0]
    ?? cluster?.resources.find((r) => /(:nfsserver|:nfs-server)$/.test(r.agent) && r.active)?.nodes[0];
  const an = active === undefined ? undefined : state.nodes[active];
  if (an !== undefined && an.reach.status === 'up' && an.readings.nfs.failedAt === null && an.readings.nfs.okAt !== null) {
    for (const path of exp.exports) {
      if (!an.nfs.exports.some((e) => e.path === path)) out.push(crit(an.name, `nfs ${path}`, `missing: ${from} expects export ${path}, exportfs -v on the active node does not list it`));
    }
  }
  // What the cluster must declare (from the answers: a CIB that lost a piece of the service).
  if (exp.source === 'answers') {
    const cib = Object.values(state.nodes).find((n) => n.cib !== null && n.readings.cib.failedAt === null)?.cib ?? null;
    if (cib !== null) {
      const declared = expectedFromCib(cib);
      const lack = (kind: string, want: string[], have: string[]) => {
        for (const w of want) if (!have.includes(w)) out.push(crit(null, `pacemaker ${kind}`, `missing: the answers file expects ${kind} ${w}, the CIB declares none (${have.join(', ') || 'nothing'})`));
      };
      lack('DRBD resource', exp.drbdResources, declared.drbdResources);
      lack('filesystem', exp.mounts, declared.mounts);
      lack('export', exp.exports, declared.exports);
      lack('virtual IP', exp.vips, declared.vips);
      // Targets the ping resource does not ping are not watched by the cluster at all.
      if (declared.pingTargets.length > 0) lack('ping target', exp.pingTargets, declared.pingTargets);
    }
  }
  return out;
}

/**
 * Present but not expected is shown, not judged: a node's problems about an md array or a DRBD resource
 * that what should exist there does not name (an old disk's inactive md127) are dropped; the unexpected
 * list shows the thing. Only where the expectation names some array or resource at all.
 */
export function withoutUnexpected(problems: Problem[], state: MonitorState, exp: ExpectedTopology): Problem[] {
  return problems.filter((p) => {
    // Readings (`raid reading`) and what is missing are never about an unexpected thing.
    if (p.node === null || state.nodes[p.node] === undefined || p.text.startsWith('missing:') || p.subject.endsWith(' reading')) return true;
    const own = expectedOn(exp, p.node);
    const md = /^raid (\S+)$/.exec(p.subject)?.[1];
    if (md !== undefined && own.mdArrays.length > 0) return own.mdArrays.includes(md);
    const res = /^drbd (\S+)$/.exec(p.subject)?.[1];
    // A resource known only by its /proc/drbd minor is not known to be another one: judged.
    const procOnly = Object.values(state.nodes[p.node]!.drbd.resources).some((r) => r.name === res && r.fromProcOnly);
    if (res !== undefined && own.drbdResources.length > 0 && !procOnly) return own.drbdResources.includes(res);
    return true;
  });
}

/** The node names the freshest crm_mon reports; null when none answered. */
function clusterNodeNames(state: MonitorState): Set<string> | null {
  const st = Object.values(state.nodes).map((n) => n.pacemaker.status).find((s) => s !== null) ?? null;
  return st === null ? null : new Set(st.nodes.map((n) => n.name));
}

/** Present but not expected: shown, not judged ("md127 (not expected)"). */
export function unexpectedItems(state: MonitorState, exp: ExpectedTopology | null): string[] {
  if (exp === null) return [];
  const out: string[] = [];
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n) continue;
    const own = expectedOn(exp, name);
    if (own.mdArrays.length > 0) for (const a of n.raid.arrays) if (!own.mdArrays.includes(a.name)) out.push(`${name}: md array ${a.name}`);
    for (const r of Object.values(n.drbd.resources)) if (!r.fromProcOnly && !own.drbdResources.includes(r.name)) out.push(`${name}: DRBD resource ${r.name}`);
    for (const e of n.nfs.exports) if (!exp.exports.includes(e.path)) out.push(`${name}: export ${e.path}`);
    if (exp.source === 'nodes' && exp.nodes.length > 0 && !exp.nodes.includes(name)) out.push(`${name}: a node not in corosync.conf's nodelist`);
  }
  return out;
}
