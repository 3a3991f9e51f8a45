// `split-brain [--victim NODE]`: the guided recovery from a DRBD split brain (both nodes changed the data
// while disconnected; DRBD then refuses to connect: StandAlone). Choosing the victim is choosing whose
// changes are thrown away, so the action first shows both sides (roles, out-of-sync amounts, the kernel
// log's split-brain and promotion times, where Pacemaker runs the service), recommends the side the clients
// did NOT use last as the victim, with its reasons, and asks the admin to type the victim's name.
//
// Then, in this order (the DRBD user's guide's manual split-brain recovery, 8.4 and 9):
//  1. an LVM snapshot of the victim's backing LV, so the discarded changes stay readable afterwards;
//  2. with Pacemaker running: the DRBD clone in maintenance (maintenance=true meta attribute). Pacemaker then
//     neither promotes, demotes nor stops it, and runs no monitor on it, while its role changes under it by
//     hand: it cannot promote the victim in between, and no monitor records the demotion as a failure.
//     Not a standby of the victim: that would stop DRBD there (drbdadm down), and the start on leaving
//     standby connects WITHOUT --discard-my-data (the split brain again). Not cluster-wide maintenance-mode:
//     the NFS group on the survivor stays managed (its monitors keep running) the whole time;
//  3. on the victim: drbdadm disconnect (8.4: only when it is not StandAlone yet), secondary, connect --discard-my-data;
//  4. on the survivor, if StandAlone: drbdadm connect (8.4); drbdadm disconnect + connect (9);
//  5. the resync (the victim becomes SyncTarget of the blocks that differ) waited for: UpToDate on both;
//  6. the clone's maintenance attribute removed: Pacemaker re-probes and finds the survivor Primary.
// Where the after-sb policies already resolved it (Connected on both) it says so and does nothing.
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { parseCrmMon, type CrmStatus } from '../../probes/crm-mon.js';
import { drbdMajor, PROC_DRBD_ARGV } from '../../probes/drbd-module.js';
import { RESYNC_SNAPSHOT_PERCENT } from '../../generate/drbd-res.js';
import { KERNEL_LOG_ARGV, kernelLogSummary } from '../../probes/drbd-kernel-log.js';
import { VGS_ARGV } from '../../probes/lvm.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { FACT_ARGV, type ClusterFacts, type DrbdFact } from './cluster-facts.js';
import {
  backingLv, drbdOf, findmntArgv, judgeInSync, llDevArgv, LVS_SNAP_ARGV, mib, notStandAlone, readSnapshotHelp, recommendVictim, serviceNode,
  side2, splitBrainNodeFrom, splitResource, stampOf, type SplitBrainNodeRead, type SplitBrainRead,
} from './split-brain-facts.js';
import type { ActionDef, ActionInput, ActionPlan } from './types.js';

export { findmntArgv, llDevArgv, LVS_SNAP_ARGV, type SplitBrainRead } from './split-brain-facts.js';

export interface SplitBrainArgs {
  /** The node whose changes are discarded; null: the plan shows the recommendation (and asks for it). */
  victim: string | null;
  answersPath: string | null;
}

export const splitBrainAction: ActionDef<SplitBrainArgs> = {
  words: ['split-brain'],
  parse(positionals, flags) {
    if (positionals.length) return { ok: false, error: { field: 'split-brain', message: `takes no positional argument (got ${positionals.join(' ')}); name the victim with --victim NODE` } };
    const v = flags['victim'];
    const victim = typeof v === 'string' ? v : null;
    if (victim !== null && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(victim)) return { ok: false, error: { field: '--victim', message: `"${victim}" is not a node name` } };
    // A script agrees with --yes: it must then say whose data goes; the recommendation is for a human to read.
    if (flags['yes'] === true && flags['dry-run'] !== true && victim === null) {
      return { ok: false, error: { field: '--victim', message: 'with --yes, name the victim: --victim NODE (run without --yes, or with --dry-run, to see the recommendation)' } };
    }
    return { ok: true, args: { victim, answersPath: typeof flags['answers'] === 'string' ? flags['answers'] : null } };
  },
  async read({ nodes, facts, args }): Promise<SplitBrainRead> {
    const res = splitResource(facts.nodes) ?? facts.nodes.flatMap((n) => n.drbd ?? [])[0]?.name ?? null;
    const reads = await Promise.all(
      nodes.map(async (n) => {
        const minor = facts.nodes.find((f) => f.name === n.name)?.drbd?.find((d) => d.name === res)?.minor ?? null;
        const run = (argv: readonly string[]) => n.runner.run(argv, { timeoutMs: 30_000 });
        const [procDrbd, kernelLog, lvs, vgs, crmMon] = await Promise.all([PROC_DRBD_ARGV, KERNEL_LOG_ARGV, LVS_SNAP_ARGV, VGS_ARGV, FACT_ARGV.crmMon].map(run));
        const llDev = res ? await run(llDevArgv(res)) : null;
        const findmnt = minor !== null ? await run(findmntArgv(`/dev/drbd${minor}`)) : null;
        return splitBrainNodeFrom(n.name, { procDrbd: procDrbd!, kernelLog: kernelLog!, lvs: lvs!, vgs: vgs!, llDev, findmnt, crmMon: crmMon! });
      }),
    );
    let answersLv: SplitBrainRead['answersLv'] = null;
    if (args.answersPath) {
      const { loadAnswersFile } = await import('../../answers/load.js');
      const a = await loadAnswersFile(args.answersPath);
      if (a.ok) answersLv = { vg: a.answers.lvm.vg, lv: a.answers.lvm.lv };
    }
    return { nodes: reads, answersLv, stamp: stampOf(new Date()) };
  },
  plan(input, extra): ActionPlan {
    return planSplitBrain(input, extra as SplitBrainRead);
  },
};

const NONE = { confirm: { kind: 'none' } as const, steps: [] as PlanStep[], done: '' };
const BASE = { action: 'split-brain', names: { raidDevice: '', drbdResource: '' } };

/** Both sides as DRBD shows them, or the plan that ends here (bad victim, blind side, no split brain). */
function sides({ nodes, facts, args }: ActionInput<SplitBrainArgs>): ActionPlan | { res: string; drbd: Map<string, DrbdFact>; shown: string[] } {
  const names = nodes.map((n) => n.name);
  if (args.victim !== null && !names.includes(args.victim)) {
    return { ...BASE, ...NONE, summary: '', facts: [], refusals: [], bad: { field: '--victim', message: `"${args.victim}" is not a node of this cluster; its nodes: ${names.join(', ')}` } };
  }
  if (nodes.length !== 2) return { ...BASE, ...NONE, summary: 'a split brain has two sides', facts: [], refusals: [`two nodes are needed (got ${names.join(', ') || 'none'})`] };
  const blind = facts.nodes.filter((n) => n.drbd === null);
  if (blind.length) {
    return { ...BASE, ...NONE, summary: 'cannot read both sides', facts: [], refusals: blind.map((n) => `${n.name}: DRBD's state could not be read (${n.drbdError}); a split brain is resolved only with both sides in view`) };
  }
  const split = splitResource(facts.nodes);
  const res = split ?? facts.nodes[0]!.drbd![0]?.name ?? '';
  const drbd = new Map<string, DrbdFact>(facts.nodes.map((n) => [n.name, n.drbd!.find((d) => d.name === res)!]).filter((e): e is [string, DrbdFact] => e[1] !== undefined));
  const shown = names.map((n) => {
    const d = drbd.get(n);
    return d ? `${n}: ${d.name} ${d.role ?? '?'}, ${d.connection ?? '?'}, disk ${d.disk ?? '?'}${d.outOfSyncKiB !== null ? `, ${d.outOfSyncKiB} KiB out of sync` : ''}` : `${n}: no DRBD resource ${res}`;
  });
  if (split !== null) return { res, drbd, shown };
  const withNames = { ...BASE, names: { raidDevice: '', drbdResource: res } };
  if (names.every((n) => drbd.get(n)?.connection === 'Connected')) {
    return { ...withNames, ...NONE, summary: `no split brain: ${res} is Connected on both nodes (the after-sb policies resolved it, or there was none); nothing to do`, facts: shown, refusals: [], done: 'nothing was to do' };
  }
  return { ...withNames, ...NONE, summary: 'no split brain to resolve', facts: shown, refusals: [`${res} is StandAlone on neither node: not a split brain (DRBD is still trying to connect: check the replication link, drbdadm status)`] };
}

/** The kernel log's and Pacemaker's words on each side, for the admin choosing. */
function evidence(names: string[], reads: Map<string, SplitBrainNodeRead>, crm: CrmStatus | null): string[] {
  const lines: string[] = [];
  for (const n of names) {
    const r = reads.get(n);
    if (!r?.kernelLog) lines.push(`${n}: kernel log not readable (${r?.kernelLogError ?? 'not read'})`);
    else {
      const k = kernelLogSummary(r.kernelLog);
      lines.push(`${n}: kernel log: split brain detected ${k.splitBrainAt ?? 'not logged since boot'}; last promoted to Primary ${k.promotedAt ?? 'not logged since boot'}`);
    }
  }
  const svc = crm ? serviceNode(crm) : null;
  if (svc) lines.push(`clients: ${svc.how.replace(' there', ` on ${svc.node}`)}`);
  else lines.push(crm ? 'clients: Pacemaker runs no service resource and its history shows none' : 'clients: Pacemaker is not running: it cannot say where the clients were');
  return lines;
}

interface Ctx {
  res: string;
  victim: string;
  survivor: string;
  drbd: Map<string, DrbdFact>;
  reads: Map<string, SplitBrainNodeRead>;
  lines: string[];
  refusals: string[];
}

/** Pacemaker: running -> the DRBD clone to hold (null: none needed); refusals when it serves from the victim. */
function pacemakerHold(c: Ctx, facts: ClusterFacts, extra: SplitBrainRead): string | null {
  const crm = facts.crm;
  const pcmkStopped = extra.nodes.length > 0 && extra.nodes.every((r) => r.pacemakerStopped);
  if (!crm) {
    if (pcmkStopped) c.lines.push('Pacemaker is stopped on both nodes: nothing can promote the victim in between');
    else c.refusals.push(`${facts.crmError}: whether Pacemaker could promote ${c.victim} in between is unknown; start the cluster or make crm_mon answer, then run it again`);
    return null;
  }
  const clone = crm.resources.find((r) => r.agent.endsWith(':drbd') && r.parentKind === 'clone')?.parent ?? null;
  if (!clone) c.refusals.push('Pacemaker runs no promotable DRBD clone: nothing to hold while DRBD is recovered by hand (see crm_mon -1)');
  const svc = serviceNode(crm);
  const promotedOnVictim = crm.resources.some((r) => r.agent.endsWith(':drbd') && r.role === 'Promoted' && r.nodes.includes(c.victim));
  if (promotedOnVictim || svc?.node === c.victim) {
    c.refusals.push(`Pacemaker serves the clients from ${c.victim}${svc?.node === c.victim ? ` (${svc.how})` : ' (its DRBD instance is Promoted there)'}: discarding its data would pull the filesystem from under them. Choose ${c.survivor} as the victim, or move the service to ${c.survivor} first (crm resource move), then run split-brain again`);
  }
  if (clone && crm.resources.filter((r) => r.parent === clone).some((r) => !r.managed)) {
    c.lines.push(`${clone} is already unmanaged (by the admin): Pacemaker leaves it alone; it stays so afterwards`);
    return null;
  }
  return clone;
}

/** DRBD's major version on both nodes (the survivor's commands differ), or null with a refusal. */
function drbdVersion(c: Ctx, names: string[]): number | null {
  const versions = names.map((n) => c.reads.get(n)?.drbdVersion ?? null);
  const major = drbdMajor(versions[0] ?? null);
  if (major === null || versions.some((v) => drbdMajor(v) !== major)) {
    c.refusals.push(`DRBD's version could not be read on both nodes (cat /proc/drbd: ${names.map((n, i) => `${n} ${versions[i] ?? 'unknown'}`).join(', ')}); the recovery commands differ between 8.4 and 9`);
    return null;
  }
  c.lines.push(`DRBD ${versions[0]} on both nodes: the ${major >= 9 ? 'DRBD 9' : 'DRBD 8.4'} recovery`);
  return major;
}

/** The snapshot that keeps the victim's side readable: its LV, name and size, or null with a refusal. */
function snapshotOf(c: Ctx, extra: SplitBrainRead): { vg: string; lv: string; name: string; mib: number } | null {
  const v = c.reads.get(c.victim);
  const lv = backingLv(v?.backingDevice ?? null, v?.lvm ?? null, extra.answersLv);
  if (!lv) {
    c.refusals.push(`the backing LV of ${c.res} on ${c.victim} is unknown (drbdadm sh-ll-dev ${c.res} and lvs did not name it; --answers FILE names it): no snapshot, no discard`);
    return null;
  }
  // The resync overwrites on the victim every block either side changed: the snapshot keeps their old
  // contents; twice that plus 4 MiB for LVM's chunks, never more than the LV itself (it then cannot fill).
  const oos = (c.drbd.get(c.victim)?.outOfSyncKiB ?? 0) + (c.drbd.get(c.survivor)?.outOfSyncKiB ?? 0);
  const origin = v?.lvm?.lvs.find((l) => l.vg === lv.vg && l.name === lv.lv);
  const size = origin?.sizeBytes ? Math.min(mib(oos * 1024 * 2) + 4, mib(origin.sizeBytes)) : mib(oos * 1024 * 2) + 4;
  // DRBD's before-resync-target handler snapshots the victim's LV too (RESYNC_SNAPSHOT_PERCENT of it), and
  // drops the connection when that fails: both must fit, or the recovery stops half-way.
  const resync = origin?.sizeBytes ? mib((origin.sizeBytes * RESYNC_SNAPSHOT_PERCENT) / 100) : 0;
  const name = `${lv.lv}-splitbrain-${extra.stamp}`;
  const free = v?.lvm?.vgs.find((g) => g.name === lv.vg)?.freeBytes ?? null;
  if (free === null) c.refusals.push(`the free space of ${lv.vg} on ${c.victim} could not be read (${v?.lvmError ?? 'vgs'}): the snapshot needs ${size} MiB`);
  else if (free < (size + resync) * 1048576) c.refusals.push(`the snapshot of ${lv.vg}/${lv.lv} needs ${size} MiB and DRBD's resync snapshot ${resync} MiB; ${lv.vg} on ${c.victim} has ${mib(free)} MiB free: extend the VG (vgextend) or remove an old snapshot (lvremove), then run it again`);
  c.lines.push(`kept: ${c.victim}'s ${lv.vg}/${lv.lv} as snapshot ${lv.vg}/${name} (${size} MiB) before its changes are discarded`);
  return { ...lv, name, mib: size };
}

export function planSplitBrain(input: ActionInput<SplitBrainArgs>, extra: SplitBrainRead): ActionPlan {
  const s = sides(input);
  if ('action' in s) return s;
  const { nodes, facts, args } = input;
  const names = nodes.map((n) => n.name);
  const reads = new Map(extra.nodes.map((r) => [r.name, r]));
  const lines = [...s.shown, ...evidence(names, reads, facts.crm)];
  const rec = recommendVictim(names, s.drbd, facts.crm);
  lines.push(rec.victim ? `recommended victim: ${rec.victim} (its changes since the split brain are discarded)` : 'recommended victim: none');
  for (const r of rec.reasons) lines.push(`  because ${r}`);
  const withNames = { ...BASE, names: { raidDevice: '', drbdResource: s.res } };
  const victim = args.victim ?? rec.victim;
  if (victim === null) return { ...withNames, ...NONE, summary: `split brain on ${s.res}: choose the victim`, facts: lines, refusals: ['nothing shows which side to keep: name the victim with --victim NODE'] };
  if (args.victim !== null && rec.victim !== null && args.victim !== rec.victim) lines.push(`note: --victim ${args.victim} is NOT the recommended victim`);
  const c: Ctx = { res: s.res, victim, survivor: names.find((n) => n !== victim)!, drbd: s.drbd, reads, lines, refusals: [] };
  const clone = pacemakerHold(c, facts, extra);
  const major = drbdVersion(c, names);
  const snap = snapshotOf(c, extra);
  const minor = s.drbd.get(victim)?.minor ?? 0;
  const mounted = reads.get(victim)?.mountedAt ?? null;
  if (mounted === null) lines.push(`${victim}: whether /dev/drbd${minor} is mounted could not be read: drbdadm secondary fails (and nothing is discarded) if it is`);
  const steps = recoverySteps(c, { clone, nine: major !== null && major >= 9, snap, mounted, minor });
  return {
    ...withNames,
    summary: `split brain on ${s.res}: ${victim}'s changes are discarded (kept in a snapshot), ${c.survivor} keeps its data`,
    facts: [...lines, ...(snap ? readSnapshotHelp(snap.vg, snap.name) : [])],
    refusals: c.refusals,
    steps,
    confirm: { kind: 'typed', words: victim, why: `Everything ${victim} wrote to ${s.res} since the split brain is overwritten by ${c.survivor}'s data${snap ? ` (kept readable in ${snap.vg}/${snap.name})` : ''}. Type the victim's name to confirm.` },
    done: `${s.res} is Connected and UpToDate on ${c.survivor} and ${victim}; ${victim}'s discarded side is in ${snap ? `${snap.vg}/${snap.name}` : 'no snapshot'}`,
  };
}

const maintenanceArgv = (clone: string) => ['crm_resource', '--resource', clone, '--meta', '--get-parameter', 'maintenance'];
const inMaintenance = (r: RunResult) => succeeded(r) && r.stdout.trim() === 'true';

/** Pacemaker manages the clone again, Promoted on the survivor only. */
function released(clone: string, survivor: string, victim: string): ProbeCheck {
  return {
    kind: 'probe',
    argv: FACT_ARGV.crmMon,
    describe: `Pacemaker manages ${clone} again, Promoted on ${survivor} only`,
    judge: (r) => {
      const p = parseCrmMon(r.stdout);
      if (!p.ok) return false;
      const inst = p.resources.filter((x) => x.parent === clone);
      return inst.every((x) => x.managed) && inst.some((x) => x.role === 'Promoted' && x.nodes.includes(survivor)) && !inst.some((x) => x.role === 'Promoted' && x.nodes.includes(victim));
    },
  };
}

function holdSteps(clone: string, c: Ctx): { hold: PlanStep; release: PlanStep } {
  const held: ProbeCheck = { kind: 'probe', argv: maintenanceArgv(clone), describe: `${clone} is in maintenance (Pacemaker leaves it alone)`, judge: inMaintenance };
  return {
    hold: step({
      id: 'cluster/drbd-maintenance',
      node: c.survivor,
      cluster: true,
      title: `Hold ${clone}: maintenance, so Pacemaker cannot promote ${c.victim} while DRBD is recovered`,
      why: 'Pacemaker neither promotes, demotes nor monitors a resource in maintenance: the roles change by hand without a failure recorded',
      commands: [['crm_resource', '--resource', clone, '--meta', '--set-parameter', 'maintenance', '--parameter-value', 'true']],
      check: held,
      verify: { ...held, waitMs: 30_000, intervalMs: 1_000 },
      parallelGroup: 'a2-act',
    }),
    release: step({
      id: 'cluster/drbd-release',
      node: c.survivor,
      cluster: true,
      title: `Release ${clone}: Pacemaker manages it again`,
      why: 'the maintenance is undone as soon as DRBD is in sync: Pacemaker re-probes and finds the survivor Primary',
      commands: [['crm_resource', '--resource', clone, '--meta', '--delete-parameter', 'maintenance']],
      check: { kind: 'probe', argv: maintenanceArgv(clone), describe: `${clone} is not in maintenance`, judge: (r) => !inMaintenance(r) },
      verify: { ...released(clone, c.survivor, c.victim), waitMs: 120_000, intervalMs: 2_000 },
      parallelGroup: 'a6-finish',
    }),
  };
}

interface StepInput {
  clone: string | null;
  nine: boolean;
  snap: { vg: string; lv: string; name: string; mib: number } | null;
  mounted: string | null;
  minor: number;
}

function recoverySteps(c: Ctx, o: StepInput): PlanStep[] {
  const { res, victim, survivor } = c;
  const e2 = FACT_ARGV.events2Now;
  const steps: PlanStep[] = [];
  if (o.snap) {
    const { vg, lv, name } = o.snap;
    steps.push(step({
      id: `${victim}/snapshot-victim`,
      node: victim,
      title: `Snapshot ${vg}/${lv} as ${name} (${victim}'s side, kept readable)`,
      why: `the resync overwrites ${victim}'s changes; the snapshot keeps them: mount it read-only to copy anything back`,
      commands: [['lvcreate', '--snapshot', '--name', name, '--size', `${o.snap.mib}m`, `${vg}/${lv}`]],
      // lvs VG/LV exits 5 when the LV does not exist.
      check: { kind: 'probe', argv: ['lvs', '--reportformat', 'json', '--units', 'b', `${vg}/${name}`], describe: `${vg}/${name} exists`, judge: succeeded },
      parallelGroup: 'a1-prepare',
    }));
  }
  const hold = o.clone ? holdSteps(o.clone, c) : null;
  if (hold) steps.push(hold.hold);
  if (o.mounted) {
    steps.push(step({
      id: `${victim}/unmount-victim`,
      node: victim,
      title: `Unmount /dev/drbd${o.minor} from ${o.mounted} on ${victim}`,
      why: 'DRBD cannot become Secondary while its device is mounted; what was written there is discarded (and kept in the snapshot)',
      commands: [['umount', o.mounted]],
      check: { kind: 'probe', argv: findmntArgv(`/dev/drbd${o.minor}`), describe: `/dev/drbd${o.minor} is not mounted`, judge: (r) => r.stdout.trim() === '' },
      destructive: true,
      parallelGroup: 'a3-act',
    }));
  }
  const victimDone: ProbeCheck = { kind: 'probe', argv: e2, describe: `${res} on ${victim} is Secondary and connecting to ${survivor} (or connected)`, judge: (r) => notStandAlone(res)(r) && drbdOf(r, res)?.role === 'Secondary' };
  // 8.4: disconnect only takes a node that still tries to connect to StandAlone; on one that already is,
  // drbdsetup-84 refuses it ("unknown connection", exit 10: the first lab run of this recovery stopped
  // there). DRBD 9 keeps its disconnect (its connection object exists while StandAlone; not yet seen on a lab).
  const standAlone = !o.nine && c.drbd.get(victim)?.connection === 'StandAlone';
  steps.push(step({
    id: `${victim}/discard-my-data`,
    node: victim,
    title: `${victim} discards its changes: ${standAlone ? '' : 'disconnect, '}Secondary, connect --discard-my-data`,
    why: `the split-brain victim (the DRBD user's guide's manual recovery): on connecting it becomes SyncTarget of ${survivor} for the blocks that differ`,
    commands: [...(standAlone ? [] : [['drbdadm', 'disconnect', res]]), ['drbdadm', 'secondary', res], ['drbdadm', 'connect', '--discard-my-data', res]],
    check: victimDone,
    verify: { ...victimDone, waitMs: 30_000, intervalMs: 1_000 },
    destructive: true,
    parallelGroup: 'a4-act',
  }));
  const survivorDone: ProbeCheck = { kind: 'probe', argv: e2, describe: `${res} on ${survivor} is not StandAlone`, judge: notStandAlone(res) };
  const synced: ProbeCheck = { kind: 'probe', argv: e2, describe: `${res} Connected, UpToDate on both nodes, nothing out of sync`, judge: judgeInSync(res) };
  steps.push(step({
    id: `${survivor}/connect-survivor`,
    node: survivor,
    title: `${survivor} keeps its data and connects${o.nine ? ' (DRBD 9: disconnect first)' : ''}`,
    why: 'the split-brain survivor: it stays Primary and becomes SyncSource',
    commands: o.nine ? [['drbdadm', 'disconnect', res], ['drbdadm', 'connect', res]] : [['drbdadm', 'connect', res]],
    check: survivorDone,
    verify: { ...survivorDone, waitMs: 30_000, intervalMs: 1_000 },
    parallelGroup: 'a5-act',
  }));
  steps.push(step({
    id: `${survivor}/resync`,
    node: survivor,
    title: `Wait for the resync: ${victim} takes ${survivor}'s blocks`,
    why: 'the recovery is done when both sides are UpToDate again',
    check: synced,
    verify: { ...synced, waitMs: 3_600_000, intervalMs: 2_000, progress: 'drbd-resync', explain: (r) => [`${survivor} sees: ${side2(drbdOf(r, res))}`] },
    parallelGroup: 'a5-act',
  }));
  if (hold) steps.push(hold.release);
  steps.push(step({
    id: `${victim}/read-back`,
    node: victim,
    title: `Read back on ${victim}: Connected, UpToDate on both`,
    why: "the victim's own kernel agrees",
    check: synced,
    verify: { ...synced, waitMs: 60_000, intervalMs: 2_000 },
    parallelGroup: 'a7-read-back',
  }));
  return steps;
}
