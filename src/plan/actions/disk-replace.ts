// `disk replace NODE [--disk NEW]`: a failed or missing RAID1 member under DRBD replaced on one node. The
// RAID1 is below DRBD exactly so that a dead disk never moves the service: md keeps serving from the
// surviving member, and so does this action (no Pacemaker step at all; DRBD does not notice). It names
// the failed or missing member (mdadm --detail), chooses the replacement among the node's disks with the
// wizard's probes and refusals (mounted, in use, any signature, too small, the surviving member itself),
// asks for the new disk's name to be typed, then: mdadm --fail (if still listed) and --remove of the old
// member, --add of the new one, the rebuild shown while it runs and waited for until the array is clean,
// mdadm.conf's DEVICE line updated, and, with --answers, the answers file's nodes[].disks too.
import { readFileSync, writeFileSync } from 'node:fs';
import type { RunResult } from '../../exec/runner.js';
import { succeeded } from '../../exec/runner.js';
import { BY_ID_ARGV } from '../../probes/by-id.js';
import { formatBytes } from '../../probes/disks.js';
import { LSBLK_ARGV } from '../../probes/lsblk.js';
import { mdadmDetailArgv, parseMdadmDetail } from '../../probes/mdadm-detail.js';
import { MDSTAT_ARGV, parseMdstat } from '../../probes/mdstat.js';
import { wipefsArgv } from '../../probes/signatures.js';
import type { DiskInfo } from '../../probes/types.js';
import { step, type PlanStep, type ProbeCheck } from '../types.js';
import { chooseReplacement, denotes, disksFrom, identityOf, mdadmConfWith, membersOf, neededBytes, notCandidates, pickArray, probedDisks, replacementCandidates, type DiskReplaceRead } from './disk-replace-facts.js';
import type { ActionDef, ActionInput, ActionPlan, PlanChoice } from './types.js';
import { replaceAnswersDisk } from './answers-disks.js';

export interface DiskReplaceArgs {
  node: string;
  disk: string | null;
  answersPath: string | null;
}

export const MDADM_CONF = '/etc/mdadm/mdadm.conf';
const CONF_ARGV = ['cat', MDADM_CONF];

export const diskReplaceAction: ActionDef<DiskReplaceArgs> = {
  words: ['disk', 'replace'],
  parse(positionals, flags) {
    const usage = 'usage: disk replace NODE [--disk NEW]';
    if (positionals[0] !== 'replace') return { ok: false, error: { field: 'disk', message: `${positionals[0] === undefined ? 'what to do?' : `"${positionals[0]}" is no disk action`} ${usage}` } };
    const node = positionals[1];
    if (node === undefined || positionals.length > 2) return { ok: false, error: { field: 'NODE', message: `one node (the one with the failed disk); ${usage}` } };
    const d = flags['disk'];
    if (d !== undefined && (typeof d !== 'string' || !/^\/dev\/[A-Za-z0-9_./:+-]+$/.test(d) || d.includes('..'))) return { ok: false, error: { field: '--disk', message: `"${String(d)}" is not a /dev path (e.g. /dev/vdf or /dev/disk/by-id/...)` } };
    return { ok: true, args: { node, disk: typeof d === 'string' ? d : null, answersPath: typeof flags['answers'] === 'string' ? flags['answers'] : null } };
  },
  async read({ nodes, args }): Promise<DiskReplaceRead> {
    const empty: DiskReplaceRead = { md: null, detail: null, disks: null, answerDisks: null, mdadmConf: null, error: null };
    const n = nodes.find((x) => x.name === args.node);
    if (!n) return empty;
    let raidDevice: string | null = null;
    let answerDisks: string[] | null = null;
    if (args.answersPath) {
      const { loadAnswersFile } = await import('../../answers/load.js');
      const a = await loadAnswersFile(args.answersPath);
      if (a.ok) {
        raidDevice = a.answers.raid.device;
        answerDisks = a.answers.nodes.find((x) => x.name === args.node)?.disks ?? null;
      }
    }
    const run = (argv: readonly string[]) => n.runner.run(argv, { timeoutMs: 30_000 });
    const [mdstat, lsblk, byId, conf] = await Promise.all([MDSTAT_ARGV, LSBLK_ARGV, BY_ID_ARGV, CONF_ARGV].map(run));
    const picked = pickArray(mdstat!, raidDevice);
    if ('error' in picked) return { ...empty, answerDisks, error: picked.error };
    const detail = await run(mdadmDetailArgv(picked.md));
    const wipefs = new Map<string, RunResult>();
    await Promise.all(probedDisks(lsblk!).map(async (d) => wipefs.set(d.name, await run(wipefsArgv(d.path)))));
    const disks = disksFrom(lsblk!, byId!, wipefs);
    return {
      md: picked.md,
      detail: succeeded(detail) ? parseMdadmDetail(detail.stdout) : null,
      disks: disks.ok ? disks.value : null,
      answerDisks,
      mdadmConf: succeeded(conf!) ? conf!.stdout : null,
      error: !succeeded(detail) ? `mdadm --detail ${picked.md} failed: ${detail.error ?? detail.stderr.trim()}` : disks.ok ? null : disks.error,
    };
  },
  plan(input, extra): ActionPlan {
    return planDiskReplace(input, extra as DiskReplaceRead);
  },
};

const NONE = { confirm: { kind: 'none' } as const, steps: [] as PlanStep[], done: '' };

/** mdadm --detail judges: the array lists (or not) a device; the array is clean with every slot active. */
const detailLists = (dev: DiskInfo | string) => (r: RunResult) => succeeded(r) && parseMdadmDetail(r.stdout).devices.some((x) => x.device !== null && (typeof dev === 'string' ? x.device === dev : denotes(dev, x.device)));
const cleanWith = (dev: DiskInfo) => (r: RunResult) => {
  if (!succeeded(r)) return false;
  const d = parseMdadmDetail(r.stdout);
  return !d.state.some((s) => /degraded|recovering|resyncing/.test(s)) && d.activeDevices !== null && d.activeDevices === d.raidDevices && d.devices.some((x) => x.device !== null && denotes(dev, x.device) && /active sync/.test(x.state));
};

export function planDiskReplace({ nodes, args }: ActionInput<DiskReplaceArgs>, r: DiskReplaceRead): ActionPlan {
  const base = { action: 'disk replace', names: { raidDevice: r.md ?? '', drbdResource: '' } };
  if (!nodes.some((n) => n.name === args.node)) {
    return { ...base, ...NONE, summary: '', facts: [], refusals: [], bad: { field: 'NODE', message: `"${args.node}" is not a node of this cluster; its nodes: ${nodes.map((n) => n.name).join(', ')}` } };
  }
  if (r.error || !r.md || !r.detail || !r.disks) return { ...base, ...NONE, summary: `cannot read ${args.node}'s RAID`, facts: [], refusals: [`${args.node}: ${r.error ?? 'the RAID could not be read'}`] };
  const md = r.md;
  const m = membersOf(r.detail);
  const facts = [
    `${args.node}: ${md} ${r.detail.level ?? ''} State: ${r.detail.state.join(', ') || '?'}; ${r.detail.activeDevices ?? '?'} of ${r.detail.raidDevices ?? '?'} devices active`,
    `surviving member: ${m.surviving.join(', ') || 'none'}`,
    ...m.faulty.map((f) => `failed member (still listed): ${f}`),
    ...(m.missing ? [`missing member: ${m.missing} slot(s) "removed"`] : []),
  ];
  if (m.faulty.length === 0 && m.missing === 0) {
    return { ...base, ...NONE, summary: `${md} on ${args.node} has no failed or missing member: nothing to replace`, facts, refusals: [`mdadm --detail ${md} lists no faulty or removed member; a disk that still works is failed first by hand (mdadm --manage ${md} --fail DEV), then replaced`] };
  }
  if (m.surviving.length === 0) return { ...base, ...NONE, summary: `${md} has no working member`, facts, refusals: [`${md} on ${args.node} has no working member: there is nothing to rebuild from (restore from the peer: DRBD resyncs a new array in full)`] };
  const need = neededBytes(r.detail, r.disks, m.surviving);
  const choice = chooseReplacement(r.disks, m, need, args.disk, args.node, md);
  const offered = offeredDisks(r.disks, m, need, args.disk === null && choice.ok ? choice.disk : null);
  if (!choice.ok) {
    return choice.bad
      ? { ...base, ...NONE, summary: '', facts, refusals: [], bad: { field: '--disk', message: choice.message } }
      : { ...base, ...NONE, summary: `replace the failed member of ${md} on ${args.node}`, facts, refusals: [choice.message], ...(offered ? { choice: offered } : {}) };
  }
  const nd = choice.disk;
  facts.push(`replacement: ${nd.path} (${formatBytes(nd.sizeBytes)}${nd.model ? `, ${nd.model}` : ''}${nd.serial ? `, serial ${nd.serial}` : ''}${nd.byId[0] ? `, ${nd.byId[0]}` : ''}): blank, not in use${need !== null ? `, at least the member's ${formatBytes(need)}` : ''}`);
  facts.push('the service stays where it runs: md serves from the surviving member throughout, DRBD and Pacemaker see nothing');
  const steps = replaceSteps(args.node, md, m.faulty, nd);
  const conf = confStep(args.node, r, m, nd);
  if (conf) steps.splice(2, 0, conf);
  const clean: ProbeCheck = { kind: 'probe', argv: mdadmDetailArgv(md), describe: `${md} clean, every device active, ${nd.path} active sync`, judge: cleanWith(nd) };
  steps.push(step({ id: `${args.node}/rebuild-done`, node: args.node, title: `Wait for the rebuild of ${md} onto ${nd.path}`, why: 'the disk is replaced when the array is clean again', check: clean, verify: { ...clean, waitMs: 24 * 3_600_000, intervalMs: 5_000, explain: (x) => [`mdadm --detail: ${succeeded(x) ? parseMdadmDetail(x.stdout).state.join(', ') : 'not readable'}`] }, parallelGroup: 'a7-read-back' }));
  const plan: ActionPlan = {
    ...base,
    summary: `replace the failed member of ${md} on ${args.node} with ${nd.path}; the service does not move`,
    facts,
    refusals: [],
    steps,
    confirm: { kind: 'typed', words: nd.path, why: `${nd.path} on ${args.node} becomes a member of ${md}: whatever it holds is overwritten by the rebuild.` },
    done: `${md} on ${args.node} is clean with ${nd.path}${conf ? `; ${MDADM_CONF} names it` : ''}`,
  };
  const answers = answersUpdate(args, r, m, nd);
  if (answers) plan.afterDone = answers;
  if (offered) plan.choice = offered;
  return plan;
}

/** The disks the read found that could replace the member, for a screen to offer (--disk). */
function offeredDisks(disks: DiskInfo[], m: ReturnType<typeof membersOf>, need: number | null, taken: DiskInfo | null): PlanChoice | null {
  const ok = replacementCandidates(disks, m, need);
  if (ok.length === 0) return null;
  const others = notCandidates(disks, m, need);
  return {
    flag: 'disk',
    question: `replacement disk (${need === null ? 'blank' : `blank, at least ${formatBytes(need)}`})`,
    options: ok.map((d) => ({ value: d.path, label: `${d.path}  ${formatBytes(d.sizeBytes)}${d.model ? `  ${d.model}` : ''}${d.byId[0] ? `  ${d.byId[0]}` : ''}` })),
    default: taken?.path ?? null,
    ...(others.length ? { notOffered: `not offered: ${others.join('; ')}` } : {}),
  };
}

function replaceSteps(node: string, md: string, faulty: string[], nd: DiskInfo): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const [i, f] of faulty.entries()) {
    const gone: ProbeCheck = { kind: 'probe', argv: mdadmDetailArgv(md), describe: `${md} no longer lists ${f}`, judge: (x) => succeeded(x) && !detailLists(f)(x) };
    steps.push(step({
      id: `${node}/remove-failed-${i}`,
      node,
      title: `Remove the failed member ${f} from ${md}`,
      why: 'md keeps a failed member listed until it is removed; --fail first makes sure md no longer uses it',
      commands: [['mdadm', '--manage', md, '--fail', f], ['mdadm', '--manage', md, '--remove', f]],
      check: gone,
      verify: gone,
      parallelGroup: 'a2-act',
    }));
  }
  const listed: ProbeCheck = { kind: 'probe', argv: mdadmDetailArgv(md), describe: `${md} lists ${nd.path}`, judge: detailLists(nd) };
  steps.push(step({
    id: `${node}/add-new-disk`,
    node,
    title: `Add ${nd.path} to ${md}: the rebuild starts`,
    why: 'md copies the surviving member onto the new disk while it keeps serving',
    commands: [['mdadm', '--manage', md, '--add', nd.path]],
    check: listed,
    wipes: [nd.path],
    destructive: true,
    // The rebuild's progress (and its ETA) is shown from /proc/mdstat while the next steps run.
    verify: { kind: 'probe', argv: MDSTAT_ARGV, describe: `${md} rebuilds onto ${nd.name} (or is done)`, judge: (x) => succeeded(x) && (parseMdstat(x.stdout).find((a) => a.path === md)?.members.some((mm) => mm.device === nd.name) ?? false), progress: 'md-resync', waitMs: 60_000, intervalMs: 2_000 },
    parallelGroup: 'a3-act',
  }));
  return steps;
}

/** mdadm.conf's DEVICE line names the old member: it names the new disk instead (the ARRAY line is by name). */
function confStep(node: string, r: DiskReplaceRead, m: ReturnType<typeof membersOf>, nd: DiskInfo): PlanStep | null {
  if (r.mdadmConf === null) return null;
  const disks = r.disks ?? [];
  const device = r.mdadmConf.split('\n').filter((l) => /^DEVICE\s/.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
  // The generated DEVICE line lists the two members: every /dev name in it that is not the surviving disk's is the old one's.
  const survivor = (w: string) => m.surviving.some((sv) => sv === w || disks.some((d) => denotes(d, sv) && denotes(d, w)));
  const old = device.filter((w) => w.startsWith('/dev/') && !survivor(w));
  if (old.length === 0) return null;
  const text = mdadmConfWith(r.mdadmConf, old, identityOf(nd));
  const same: ProbeCheck = { kind: 'probe', argv: CONF_ARGV, describe: `${MDADM_CONF} names ${identityOf(nd)} instead of ${old.join(', ')}`, judge: (x) => succeeded(x) && x.stdout === text };
  return step({
    id: `${node}/mdadm-conf`,
    node,
    title: `${MDADM_CONF}: ${old.join(', ')} -> ${identityOf(nd)}`,
    why: 'the DEVICE line lists the members mdadm scans at boot',
    commands: [['tee', MDADM_CONF]],
    stdin: { 0: { kind: 'text', text } },
    check: same,
    verify: same,
    parallelGroup: 'a4-act',
  });
}

/** With --answers: nodes[].disks of this node records the new disk instead of the old one, after the read-back. */
function answersUpdate(args: DiskReplaceArgs, r: DiskReplaceRead, m: ReturnType<typeof membersOf>, nd: DiskInfo): ActionPlan['afterDone'] | null {
  if (!args.answersPath || !r.answerDisks) return null;
  const disks = r.disks ?? [];
  const survivingDisk = (a: string) => m.surviving.some((sv) => sv === a || disks.some((d) => denotes(d, sv) && denotes(d, a)));
  const old = r.answerDisks.find((a) => !survivingDisk(a));
  if (!old) return null;
  const path = args.answersPath;
  const now = old.startsWith('/dev/disk/by-id/') ? identityOf(nd) : nd.path;
  return {
    describe: `${path}: nodes[${args.node}].disks: ${old} -> ${now}`,
    run: async () => {
      writeFileSync(path, replaceAnswersDisk(readFileSync(path, 'utf8'), args.node, old, now, { serial: nd.serial, wwn: nd.wwn, size: nd.sizeBytes }));
      return `${path}: ${args.node}'s disk ${old} is now ${now}`;
    },
  };
}
