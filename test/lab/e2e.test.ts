// The end-to-end test on the real two-node lab (issue 8): `hanfs-wizard apply --answers` configures two
// bare Debian VMs from the host over SSH; then the cluster is checked from the nodes themselves (DRBD,
// mounts, Pacemaker, NFS through the virtual IP) and put through the drills, with an NFS client writing
// files with known checksums throughout. After every drill every acknowledged write must be there,
// unchanged. `hanfs-wizard monitor --json` must agree with what the nodes say in each state.
// Prints a table: drill, failover seconds, files written, files verified, lost.
//
// Run: npm run test:e2e (boots the lab itself; LAB_REUSE=1 reuses a lab that is already up and bare;
// LAB_REUSE=applied reuses a lab that apply already configured: the lab and apply tests are skipped and
// the drills start from the healthy cluster, for iterating on the drills without a 10-minute apply).
// Everything the run writes goes to .lab/ (apply logs, monitor snapshots, results.json, table.md).
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  LAB_DIR, NODES, REPO, killNode, labDown, labUp, peerOf, qemuPid, readLab, restartNode, run, setLink, ssh, sshOk, waitFor,
  type LabInfo, type NodeName,
} from './lab.js';
import { addressesOf, hasAddress, parseCrmMonXml, parseProcDrbd84, type CrmState, type Drbd84State } from './truth.js';
import { agreementProblems, type MonitorDoc, type NodeTruth } from './monitor-agreement.js';
import { firstReadAfter, mountClient, startWorkload, stopLeftoverWorkloads, unmountClient, verifyWrites, type Workload } from './workload.js';
import { afterApplyMonitorDrill } from './drills/after-apply-monitor.js';
import { diskReplaceDrill } from './drills/disk-replace.js';
import { diskReplaceMonitorDrill } from './drills/disk-replace-monitor.js';
import { fencePausedDrill } from './drills/fence-paused.js';
import { fenceSbdDrill } from './drills/fence-sbd.js';
import { parseSbdDump } from '../../src/generate/sbd.js';
import { parseWatchdogDevices } from '../../src/probes/watchdog.js';
import { growDrill } from './drills/grow.js';
import type { OpsDrillContext } from './drills/ops-common.js';
import type { RecoveryDrillContext } from './drills/recovery-context.js';
import { restoreDrill } from './drills/restore.js';
import { snapshotRestoreDrill } from './drills/snapshot-restore.js';
import { splitBrainDrill } from './drills/split-brain.js';
import { standbyMaintenanceDrill } from './drills/standby-maintenance.js';
import type { StorageDrillContext } from './drills/storage-context.js';
import { switchoverDrill } from './drills/switchover.js';
import { nfs3LocksDrill } from './drills/nfs3-locks.js';

const E2E_DIR = join(LAB_DIR, 'e2e');
/** The CLI under test: a copy of dist/ taken right after building (see the apply test). */
const CLI_DIR = join(LAB_DIR, 'dist');
const CLI = join(CLI_DIR, 'cli.js');
/** How long the cluster may take to settle under software emulation (LAB.md: 53-155 s for the CIB alone). */
const SETTLE_MS = Number(process.env.LAB_SETTLE_SECONDS ?? 600) * 1000;
/** The monitor's default refresh interval (issue 7: crm_mon polled every 2 s). */
const MONITOR_INTERVAL_MS = 2_000;
/** Seconds of client traffic kept running after the service is back, before checking the writes. */
const AFTER_RECOVERY_MS = 15_000;
/** One apply run may take this long before it is killed and the test fails (TCG on a loaded 2-core host is slow). */
const APPLY_TIMEOUT_MS = Number(process.env.LAB_APPLY_TIMEOUT_SECONDS ?? 1500) * 1000;
/** Every apply process this run started: killed in afterAll whatever happened, so none outlives the run. */
const applyChildren = new Set<ChildProcess>();
/** LAB_REUSE=applied: the lab is up and already configured by apply (see the header). */
const REUSE_APPLIED = process.env.LAB_REUSE === 'applied';
/** LAB_ACTION_DRILLS=1: also the actions' drills (issues 30, 31), after the core drills. */
const ACTION_DRILLS = process.env.LAB_ACTION_DRILLS === '1';
/**
 * LAB_NFS3_DRILL=1: the NFSv3 lock drill (issue 30), out of CI's run: on its first lab run (session 19) it
 * could not show a reclaim with two machines only (after the move the lock holder is its own server:
 * "lockd: cannot monitor lab2"; the old Primary, its nfsserver stopped, has no statd as a client: ENOLCK).
 * It needs a client that is neither node (a third VM, or the host as NFS client): docs/lab.md.
 */
const NFS3_DRILL = process.env.LAB_NFS3_DRILL === '1';
/**
 * LAB_DISKMON_DRILL=1: the disk replacement from the live monitor's key (issue 31), out of CI's run until it
 * has passed inside a whole action-drill run (session 19: its first run stopped on the answers file the
 * subcommand's drill had left unloadable, fixed since; then it passed right after apply: docs/lab.md).
 */
const DISKMON_DRILL = process.env.LAB_DISKMON_DRILL === '1';
/**
 * LAB_BMC=1 (issue 26): the lab has a virtual BMC per VM (lab-up.sh -> bmc-up.sh), apply uses
 * test/lab/lab-answers-ipmi.yaml (fence_ipmilan through them) instead of lab-answers.yaml, and the
 * fencing drills run right after apply. Not in CI's e2e until it has passed on a lab (docs/lab.md).
 */
const BMC = process.env.LAB_BMC === '1';
/**
 * LAB_SBD=1 (issue 26 point 5): the lab has a disk shared by both VMs and an i6300esb watchdog in each
 * (lab-up.sh, start-node.sh), apply uses test/lab/lab-answers-sbd.yaml (SBD on that disk, --wipe for it),
 * and the SBD drill runs right after apply. Not with LAB_BMC=1 (one fencing set-up per run).
 */
const SBD = process.env.LAB_SBD === '1' && !BMC;
/** The SBD disk of lab-answers-sbd.yaml (start-node.sh's serial HANFS-SBD). */
const SBD_DISK = '/dev/disk/by-id/virtio-HANFS-SBD';

interface LabAnswers {
  nodes: { name: string; ssh: string; disks: string[]; service: { interface: string; address: string }; replication: { interface: string; address: string } }[];
  raid?: { device?: string };
  lvm?: { vg?: string; lv?: string };
  drbd?: { resource?: string };
  filesystem?: { mount?: string };
  nfs?: { exports?: { path: string }[] };
  virtualIp: { address: string; interface?: string };
  ping?: { targets?: string[] };
}

interface Row {
  drill: string;
  failoverSeconds: number | null;
  written: number;
  verified: number;
  lost: number;
  note: string;
}

let lab: LabInfo;
let answers: LabAnswers;
let mountPoint = '/srv/nfs';
let exportPath = '/srv/nfs/export';
let vip = '';
const rows: Row[] = [];
/** Every acknowledged write of every drill so far: all must survive every later drill too. */
const allAcked = new Map<string, string>();
let applied = false;
let applyRuns = 0;
const timings: Record<string, number> = {};
/** What each monitor --json check found, for results.json. */
const monitorNotes: string[] = [];

// ---- the wizard ---------------------------------------------------------------------------------

/** The wizard's environment: HOME=.lab/home, where ~/.ssh holds the lab key and known_hosts (no agent). */
function wizardEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: lab.home };
  delete env.SSH_AUTH_SOCK;
  return env;
}

function applyArgv(more: string[] = []): string[] {
  const wipes = answers.nodes.flatMap((n) => n.disks.flatMap((d) => ['--wipe', `${n.name}:${d}`]));
  const extra = (process.env.LAB_APPLY_EXTRA_ARGS ?? '').split(' ').filter((s) => s !== '');
  // The lab's answers run without fencing (stonith: none): apply wants that acknowledged (issue 25).
  // With LAB_BMC=1 they fence through the BMCs: nothing to acknowledge.
  // With LAB_SBD=1 the first node writes SBD's slots: that disk is wiped too (its identity is in the answers).
  const sbdWipe = SBD ? ['--wipe', `${answers.nodes[0]!.name}:${SBD_DISK}`] : [];
  return ['node', CLI, 'apply', '--answers', lab.answers, '--yes', ...(BMC || SBD ? [] : ['--accept-no-fencing']), ...wipes, ...sbdWipe, ...extra, ...more];
}

function startApply(more: string[] = []): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; seconds: number }>; log: string } {
  applyRuns++;
  const log = join(E2E_DIR, `apply-${applyRuns}.log`);
  const argv = applyArgv(more);
  const t0 = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, env: wizardEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  applyChildren.add(child);
  // Written as it comes, so a human can follow a slow apply with tail -f.
  writeFileSync(log, `$ ${argv.join(' ')}\n`);
  const append = (d: Buffer | string) => appendFileSync(log, d);
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const done = new Promise<{ code: number | null; signal: string | null; seconds: number }>((resolve) => {
    child.on('close', (code, signal) => {
      applyChildren.delete(child);
      append(`\n[exit ${code}${signal ? ` signal ${signal}` : ''} after ${((Date.now() - t0) / 1000).toFixed(1)} s]\n`);
      resolve({ code, signal, seconds: (Date.now() - t0) / 1000 });
    });
    child.on('error', (e) => append(`\n${e.message}\n`));
  });
  return { child, done, log };
}

async function runApply(more: string[] = []): Promise<{ seconds: number; log: string }> {
  const a = startApply(more);
  const timer = setTimeout(() => a.child.kill('SIGKILL'), APPLY_TIMEOUT_MS);
  const r = await a.done.finally(() => clearTimeout(timer));
  if (r.signal === 'SIGKILL') throw new Error(`apply did not finish within ${APPLY_TIMEOUT_MS / 1000} s and was killed; log ${a.log}`);
  const tail = readFileSync(a.log, 'utf8').split('\n').slice(-30).join('\n');
  expect(r.code, `apply exited ${r.code} after ${r.seconds.toFixed(1)} s; log ${a.log}:\n${tail}${r.code === 0 ? '' : await nodesAccount()}`).toBe(0);
  return { seconds: r.seconds, log: a.log };
}

/**
 * What the nodes' own logs say about the last minutes (DRBD's connection and disk states and helpers,
 * membership, late tokens): printed with a failed apply, because CI keeps only the output. A CI apply once
 * failed on a DRBD resync nobody had started; its cause was only found in the apply journal by chance.
 */
async function nodesAccount(): Promise<string> {
  const parts: string[] = [];
  for (const n of ['lab1', 'lab2'] as const) {
    const r = await ssh(
      n,
      'journalctl -b --no-pager -o short-precise --since -10min | grep -E ' +
        `'drbd.*(conn\\(|pdsk\\(|disk\\(|PingAck|helper command)|crm-fence-peer|crm-unfence-peer|Token has not been received|left the membership|throttl' | tail -n 40 || true`,
      { timeoutMs: 60_000 },
    ).catch((e: unknown) => ({ stdout: `(not read: ${e instanceof Error ? e.message : String(e)})` }));
    parts.push(`--- ${n}: DRBD, fence handler, membership (journal, last 10 min)\n${r.stdout.trim() || '(nothing)'}`);
  }
  return `\n${parts.join('\n')}`;
}

async function monitorJson(): Promise<unknown> {
  const r = await run(['node', CLI, 'monitor', '--answers', lab.answers, '--json'], { env: wizardEnv(), timeoutMs: 120_000 });
  writeFileSync(join(E2E_DIR, `monitor-${Date.now()}.json`), r.stdout);
  if (r.code === null || r.stdout.trim() === '') throw new Error(`monitor --json printed nothing (exit ${r.code}): ${r.stderr.trim()}`);
  return JSON.parse(r.stdout) as unknown;
}

// ---- ground truth, read on the nodes themselves -----------------------------------------------------

interface NodeView {
  reachable: boolean;
  drbd: Drbd84State | null;
  crm: CrmState | null;
  hasVip: boolean;
  mounted: boolean;
}
type View = Record<NodeName, NodeView>;

async function observeNode(node: NodeName): Promise<NodeView> {
  if (qemuPid(node) === null) return { reachable: false, drbd: null, crm: null, hasVip: false, mounted: false };
  const sep = '@@hanfs-e2e@@';
  const r = await ssh(
    node,
    `cat /proc/drbd; echo ${sep}; crm_mon -1 --output-as=xml; echo ${sep}; ip -j addr; echo ${sep}; findmnt -n -o SOURCE ${mountPoint} || true`,
    { timeoutMs: 60_000 },
  );
  const parts = r.stdout.split(`${sep}\n`);
  if (r.timedOut || parts.length < 4) return { reachable: false, drbd: null, crm: null, hasVip: false, mounted: false };
  return {
    reachable: true,
    drbd: parseProcDrbd84(parts[0]!)[0] ?? null,
    crm: parseCrmMonXml(parts[1]!),
    hasVip: hasAddress(parts[2]!, vip),
    mounted: parts[3]!.trim() !== '',
  };
}

async function observe(): Promise<View> {
  const [a, b] = await Promise.all(NODES.map(observeNode));
  return { lab1: a!, lab2: b! };
}

function describeView(v: View): string {
  return NODES.map((n) => {
    const x = v[n];
    if (!x.reachable) return `${n}: unreachable`;
    const d = x.drbd ? `${x.drbd.connection} ${x.drbd.role}/${x.drbd.peerRole} ${x.drbd.disk}/${x.drbd.peerDisk}` : 'no DRBD resource';
    const c = x.crm?.connected
      ? `online=[${x.crm.nodes.filter((z) => z.online).map((z) => z.name).join(',')}] ` +
        x.crm.resources.map((r) => `${r.id}:${r.role}${r.failed ? '!FAILED' : ''}@${r.nodes.join('+') || '-'}`).join(' ') +
        (x.crm.failures ? ` failures=${x.crm.failures}` : '')
      : 'pacemaker not connected';
    return `${n}: drbd ${d}; vip ${x.hasVip}; mounted ${x.mounted}; ${c}`;
  }).join('\n');
}

/** The node that serves: DRBD Primary, the filesystem mounted, the VIP held, its cluster view clean. */
function servingNode(v: View): NodeName | null {
  const serving = NODES.filter((n) => {
    const x = v[n];
    return x.reachable && x.drbd?.role === 'Primary' && x.mounted && x.hasVip;
  });
  if (serving.length !== 1) return null;
  const s = serving[0]!;
  const crm = v[s].crm;
  if (!crm?.connected || crm.resources.some((r) => r.failed || (!r.active && r.nodes.includes(s)))) return null;
  // Nothing of the service anywhere else: only the Primary mounts, only it holds the VIP.
  const other = peerOf(s);
  if (v[other].reachable && (v[other].mounted || v[other].hasVip || v[other].drbd?.role === 'Primary')) return null;
  return s;
}

/** Both nodes up, DRBD Connected and UpToDate on both, one Primary, everything started, nothing failed. */
function healthy(v: View): { active: NodeName; passive: NodeName } | null {
  const active = servingNode(v);
  if (active === null) return null;
  const passive = peerOf(active);
  for (const n of NODES) {
    const x = v[n];
    if (!x.reachable || !x.drbd || x.drbd.connection !== 'Connected' || x.drbd.disk !== 'UpToDate' || x.drbd.peerDisk !== 'UpToDate') return null;
    if (!x.crm?.connected || x.crm.failures !== 0) return null;
    if (!NODES.every((m) => x.crm!.nodes.find((z) => z.name === m)?.online)) return null;
    if (x.crm.resources.length === 0 || x.crm.resources.some((r) => !r.active || r.failed)) return null;
  }
  if (v[passive].drbd?.role !== 'Secondary') return null;
  return { active, passive };
}

async function waitHealthy(what: string, timeoutMs = SETTLE_MS): Promise<{ active: NodeName; passive: NodeName }> {
  return waitFor(what, timeoutMs, 3_000, async () => healthy(await observe()), async () => describeView(await observe()));
}

async function waitServing(node: NodeName, what: string, timeoutMs = SETTLE_MS): Promise<void> {
  await waitFor(what, timeoutMs, 2_000, async () => (servingNode(await observe()) === node ? true : null), async () => describeView(await observe()));
}

// ---- the monitor against the ground truth -----------------------------------------------------------

/**
 * What the nodes say must be what the monitor says, node by node (monitor-agreement.ts): each node's own
 * /proc/drbd and crm_mon are read at the same moment as `monitor --json` runs; if they disagree, both are
 * read once more after one refresh interval, and that reading must agree.
 */
async function expectMonitorAgrees(v: View, state: string): Promise<void> {
  (await monitorAgrees(v, state))();
}

/**
 * Reads the monitor and the nodes now and returns the assertion, so a drill can still finish its client
 * check and record its row before a disagreement fails it. `v` is the drill's own earlier observation,
 * only shown with a failure.
 */
async function monitorAgrees(v: View, state: string): Promise<() => void> {
  const check = async (): Promise<{ problems: string[]; now: View }> => {
    const [json, now] = await Promise.all([monitorJson(), observe()]);
    const truth: Record<string, NodeTruth> = {};
    for (const n of NODES) truth[n] = { reachable: now[n].reachable, drbd: now[n].drbd, crm: now[n].crm };
    return { problems: agreementProblems(json as MonitorDoc, truth), now };
  };
  let r = await check();
  if (r.problems.length > 0) {
    await new Promise((res) => setTimeout(res, MONITOR_INTERVAL_MS));
    r = await check();
  }
  const { problems, now } = r;
  monitorNotes.push(`${state}: ${problems.length === 0 ? 'agrees' : problems.join('; ')}`);
  return () => expect(problems, `monitor --json disagrees with the nodes (${state}):\nnodes now:\n${describeView(now)}\nat the drill's check:\n${describeView(v)}`).toEqual([]);
}

// ---- drills -----------------------------------------------------------------------------------------

/**
 * With LAB_CAPTURE=1 (or a list of states), records every probe command's real output in this state into
 * test/fixtures/lab/<state>/ (capture.sh); the monitor and probe tests read those fixtures.
 */
async function captureState(state: string, note: string): Promise<void> {
  // LAB_CAPTURE=1: every state; LAB_CAPTURE=running,failed-over: those states only (each costs 1-3 min).
  const want = process.env.LAB_CAPTURE ?? '';
  if (want !== '1' && !want.split(',').includes(state)) return;
  const r = await run(['bash', join(REPO, 'test/lab/capture.sh'), state, note], { timeoutMs: 15 * 60_000 });
  expect(r.code, `capture.sh ${state}: ${r.stderr}`).toBe(0);
}

/**
 * The survivor's own account of a failover (membership and any late token, DRBD and its fence-peer
 * handler, each resource operation as initiated and as finished, notifies and monitors included, the
 * controller's load throttling, NFS grace), from its journal, into .lab/e2e/timeline-<drill>.txt: where
 * the seconds of a failover went (and which action held the node's job slot between two starts).
 */
async function saveTimeline(node: NodeName, drill: string): Promise<void> {
  const r = await ssh(
    node,
    'journalctl -b --no-pager -o short-precise --since -15min | grep -E ' +
      `'Members left|state is now lost|left the membership|Token has not been received|drbd.*(role\\(|conn\\(|pdsk\\(|helper command)|crm-fence-peer|Initiating (start|stop|promote|demote|notify|monitor)|High CPU load|throttl|Result of (start|promote|stop|demote|notify) operation|NFSD|grace|portblock|tickle' || true`,
    { timeoutMs: 60_000 },
  );
  writeFileSync(join(E2E_DIR, `timeline-${drill}.txt`), r.stdout);
}

function requireApplied(): void {
  if (!applied) throw new Error('apply did not bring the cluster up (see the failure above); nothing to drill');
}

async function finishDrill(w: Workload, drill: string, failoverSeconds: number | null, note: string, checkOn: NodeName): Promise<void> {
  await new Promise((r) => setTimeout(r, AFTER_RECOVERY_MS));
  await w.stop();
  for (const [f, s] of w.acked) allAcked.set(f, s);
  const { verified, bad } = await verifyWrites(checkOn, allAcked);
  rows.push({ drill, failoverSeconds, written: w.acked.size, verified, lost: allAcked.size - verified, note });
  expect(w.acked.size, `${drill}: the client acknowledged no write at all`).toBeGreaterThan(0);
  expect(bad, `${drill}: acknowledged writes lost or changed`).toEqual([]);
}

function printTable(): void {
  const head = ['drill', 'failover s', 'files written', 'files verified', 'lost', 'note'];
  const body = rows.map((r) => [
    r.drill, r.failoverSeconds === null ? '-' : r.failoverSeconds.toFixed(1), String(r.written), String(r.verified), String(r.lost), r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const table = [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
  const timingLines = Object.entries(timings).map(([k, s]) => `- ${k}: ${s.toFixed(1)} s`).join('\n');
  writeFileSync(join(E2E_DIR, 'table.md'), `${table}\n\n${timingLines}\n`);
  writeFileSync(join(E2E_DIR, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), accel: lab?.accel, vcpus: lab?.vcpus, memMiB: lab?.memMiB, rows, timings, monitor: monitorNotes }, null, 2)}\n`);
  console.log(`\nhanfs-wizard e2e on the QEMU lab (${lab?.accel ?? '?'}, ${lab?.vcpus ?? '?'} vCPUs and ${lab?.memMiB ?? '?'} MiB per VM):\n${table}\n${timingLines}\n`);
}

// ---- the run ----------------------------------------------------------------------------------------

/**
 * npm run build, then a private copy of dist/ in .lab/dist: dist/ is shared with every other build in
 * this work tree (build.mjs empties it first), and a run of 20+ minutes must not lose its CLI half-way.
 * Imports resolve from the repo's node_modules, one level up.
 */
async function buildPrivateCli(): Promise<void> {
  const b = await run(['node', 'scripts/build.mjs'], { timeoutMs: 300_000 });
  expect(b.code, `npm run build failed:\n${b.stderr.slice(-3000)}`).toBe(0);
  rmSync(CLI_DIR, { recursive: true, force: true });
  cpSync(join(REPO, 'dist'), CLI_DIR, { recursive: true });
}

async function bringLabUp(fresh = false): Promise<void> {
  const reuse = !fresh && (process.env.LAB_REUSE === '1' || REUSE_APPLIED) && NODES.every((n) => qemuPid(n) !== null);
  if (!reuse) {
    const r = await labUp();
    if (r.code !== 0) throw new Error(`lab-up failed:\n${r.stderr}`);
  }
  lab = readLab();
  if (BMC) {
    // Everything that reads lab.answers (apply, monitor, the actions) then uses the fencing answers.
    if (!lab.answersIpmi) throw new Error('LAB_BMC=1 but the lab was brought up without BMCs (.lab/run/lab.json answersIpmi): npm run lab:down, then LAB_BMC=1 again');
    lab = { ...lab, answers: lab.answersIpmi };
  }
  if (SBD) {
    if (!lab.answersSbd) throw new Error('LAB_SBD=1 but the lab was brought up without the SBD disk (.lab/run/lab.json answersSbd): npm run lab:down, then LAB_SBD=1 again');
    lab = { ...lab, answers: lab.answersSbd };
  }
  answers = parseYaml(readFileSync(lab.answers, 'utf8')) as LabAnswers;
  mountPoint = answers.filesystem?.mount ?? '/srv/nfs';
  exportPath = answers.nfs?.exports?.[0]?.path ?? `${mountPoint}/export`;
  vip = answers.virtualIp.address.split('/')[0]!;
}

describe('hanfs-wizard on the real two-node lab', () => {
  beforeAll(async () => {
    mkdirSync(E2E_DIR, { recursive: true });
    const t0 = Date.now();
    await bringLabUp();
    timings['lab up (image cached or built, both VMs to SSH)'] = (Date.now() - t0) / 1000;
    timings['both VMs booted to SSH'] = lab.timings.bootBothToSshSeconds;
    if (REUSE_APPLIED) {
      // Built here too: the drills read monitor --json from .lab/dist.
      await buildPrivateCli();
      applied = true;
    }
  });

  afterAll(() => {
    for (const c of applyChildren) c.kill('SIGKILL');
    printTable();
  });

  // LAB_REUSE=applied (a lab already configured, for iterating on the drills): the same tests run, the
  // bare-node checks give way to the configured state and apply is a re-run that must change nothing.
  it('the lab answers file describes the lab: names, ports, addresses, ping target (and blank disks, no VIP, unless LAB_REUSE=applied)', async () => {
    const committed = readFileSync(join(REPO, BMC ? 'test/lab/lab-answers-ipmi.yaml' : SBD ? 'test/lab/lab-answers-sbd.yaml' : 'test/lab/lab-answers.yaml'), 'utf8');
    const strip = (s: string) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
    expect(strip(readFileSync(lab.answers, 'utf8'))).toBe(strip(committed));
    expect(answers.nodes.map((n) => n.name)).toEqual([...NODES]);
    for (const a of answers.nodes) {
      const node = a.name as NodeName;
      const port = Number(/:(\d+)$/.exec(a.ssh)?.[1]);
      expect(lab.nodes.find((n) => n.name === node)?.sshPort, `${node}: ssh port`).toBe(port);
      expect((await sshOk(node, 'uname -n')).trim()).toBe(node);
      for (const disk of REUSE_APPLIED ? [] : a.disks) {
        const sig = JSON.parse(await sshOk(node, `wipefs -n --json ${disk}`)) as { signatures: unknown[] };
        expect(sig.signatures, `${node}:${disk} must be blank`).toEqual([]);
        expect((await sshOk(node, `lsblk -dn -o TYPE ${disk}`)).trim()).toBe('disk');
      }
      const ip = await sshOk(node, 'ip -j addr');
      expect(addressesOf(ip, a.service.interface)).toEqual([a.service.address]);
      expect(addressesOf(ip, a.replication.interface)).toEqual([a.replication.address]);
      if (!REUSE_APPLIED) expect(hasAddress(ip, vip), `${node} must not hold the VIP before apply`).toBe(false);
      // The disk the wizard must refuse: an ext4 signature on vdd.
      expect(await sshOk(node, 'wipefs -n --json /dev/vdd')).toContain('"type": "ext4"');
      for (const t of answers.ping?.targets ?? []) {
        expect((await ssh(node, `ping -c 2 -W 2 ${t}`)).code, `${node} must reach ping target ${t}`).toBe(0);
      }
    }
    const net = (cidr: string) => cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    expect(net(answers.virtualIp.address)).toBe(net(answers.nodes[0]!.service.address));
    if (!REUSE_APPLIED) expect((await ssh('lab1', `ping -c 1 -W 2 ${vip}`)).code, 'nothing may answer on the VIP before apply').not.toBe(0);
  });

  it('cutting a node\'s service link loses the ping target on that node only (the drill mechanism)', async () => {
    const gw = answers.ping?.targets?.[0] ?? lab.gateway;
    try {
      await setLink('lab1', 'svc', false);
      expect((await ssh('lab1', `ping -c 2 -W 1 ${gw}`)).code).not.toBe(0);
      expect((await ssh('lab2', `ping -c 2 -W 1 ${gw}`)).code).toBe(0);
    } finally {
      await setLink('lab1', 'svc', true);
    }
    await waitFor('lab1 reaches the ping target again', 30_000, 1_000, async () =>
      (await ssh('lab1', `ping -c 1 -W 1 ${gw}`)).code === 0 ? true : null);
  });

  // LAB_SBD=1, before apply: the shared disk and the watchdog as the wizard's probe sees them on bare nodes;
  // the outputs go to .lab/e2e/captures-sbd/ for test/fixtures/probes/watchdog (its SOURCE.md).
  it.runIf(SBD && !REUSE_APPLIED)('LAB_SBD=1: both VMs see the SBD disk by the same by-id name and list a watchdog (captured)', async () => {
    const dir = join(E2E_DIR, 'captures-sbd');
    mkdirSync(dir, { recursive: true });
    for (const n of NODES) {
      expect((await sshOk(n, `lsblk -dn -o SERIAL ${SBD_DISK}`)).trim(), `${n}: ${SBD_DISK}`).toBe('HANFS-SBD');
      const find = await ssh(n, `find /dev -maxdepth 1 -name 'watchdog*'`);
      expect(parseWatchdogDevices(find.stdout).devices, `${n}: /dev/watchdog*`).toContain('/dev/watchdog');
    }
    // Not `sbd query-watchdog`: it opens every watchdog, which arms it (src/probes/watchdog.ts SYSFS_WATCHDOG_ARGV).
    for (const [name, cmd] of [['find-dev-watchdog-i6300esb', `find /dev -maxdepth 1 -name 'watchdog*'`], ['wdctl-i6300esb', 'wdctl /dev/watchdog'], ['find-sys-class-watchdog-i6300esb', `find /sys/class/watchdog/ -mindepth 1 -maxdepth 1 -name 'watchdog*'`]] as const) {
      const r = await ssh('lab1', cmd);
      writeFileSync(join(dir, `${name}.stdout`), r.stdout);
      writeFileSync(join(dir, `${name}.stderr`), r.stderr);
      writeFileSync(join(dir, `${name}.exit`), `${r.code}\n`);
    }
  });

  it(REUSE_APPLIED ? 'apply --answers run again on the configured lab exits 0' : 'apply --answers configures both bare nodes from the host over SSH', async () => {
    // Built here, not before the lab checks: the lab is proven even while the CLI does not build.
    await buildPrivateCli();
    const r = await runApply();
    timings[REUSE_APPLIED ? 'apply re-run on the configured lab' : 'apply, bare VMs to exit 0'] = r.seconds;
    applied = true;
  }, APPLY_TIMEOUT_MS + 600_000);

  it('after apply: DRBD Connected/UpToDate on both, fs only on the Primary, Pacemaker all started, NFS through the VIP', async () => {
    requireApplied();
    const t0 = Date.now();
    const { active, passive } = await waitHealthy('a healthy cluster after apply');
    timings['apply exit to healthy cluster'] = (Date.now() - t0) / 1000;
    const v = await observe();
    expect(v[active].drbd).toMatchObject({ connection: 'Connected', role: 'Primary', disk: 'UpToDate', peerDisk: 'UpToDate' });
    expect(v[passive].drbd).toMatchObject({ connection: 'Connected', role: 'Secondary', disk: 'UpToDate', peerDisk: 'UpToDate' });
    expect([v[active].mounted, v[passive].mounted]).toEqual([true, false]);
    expect([v[active].hasVip, v[passive].hasVip]).toEqual([true, false]);
    await expectMonitorAgrees(v, 'healthy after apply');
    await captureState('running', `hanfs-wizard apply --answers test/lab/lab-answers.yaml on bare nodes; healthy, ${active} active`);

    // Readable and writable through the virtual IP, from the passive node as the NFS client.
    await mountClient(passive, vip, exportPath);
    const w = await startWorkload(passive, 'apply');
    await finishDrill(w, 'after apply (no fault)', null, `active ${active}`, passive);
  });

  // Issue 26: fencing through the lab's virtual BMCs, right after apply with lab-answers-ipmi.yaml.
  describe.runIf(BMC)('fencing through the virtual BMCs (LAB_BMC=1)', () => {
    it('the peer reaches each node\'s BMC with the fence agent (fence_ipmilan -o status through the hub)', async () => {
      requireApplied();
      for (const n of NODES) {
        const st = (answers as unknown as { pacemaker: { stonith: { nodes: Record<string, Record<string, string | number>> } } }).pacemaker.stonith.nodes[n]!;
        const opts = Object.entries({ ...st, action: 'status' }).map(([k, v]) => `${k}=${v}`).join('\n');
        const r = await ssh(peerOf(n), 'fence_ipmilan', { input: `${opts}\n`, timeoutMs: 120_000 });
        expect(r.stdout, `${peerOf(n)} -> ${n}'s BMC: ${r.stderr}`).toMatch(/Status: ON/);
      }
    });

    it('drill: the active VM paused (QEMU stop); the peer fences it through its BMC, takes over, never two Primaries; the fenced node rejoins as Secondary', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the fence drill');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'fence-paused');
      let outcome;
      try {
        outcome = await fencePausedDrill({ active, passive, workload: w, vip, settleMs: SETTLE_MS, logDir: E2E_DIR });
      } catch (e) {
        await w.stop();
        rows.push({ drill: 'active VM paused, fenced', failoverSeconds: null, written: w.acked.size, verified: 0, lost: 0, note: `FAILED: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
        throw e;
      }
      timings['fence: pause to the paused VM powered off by its BMC'] = outcome.fenceSeconds;
      timings['fence: pause to first read through the VIP'] = outcome.failoverSeconds;
      timings['fence: pause to the fenced node Secondary/UpToDate again'] = outcome.rejoinSeconds;
      await saveTimeline(passive, 'fence-paused');
      const { active: after } = await waitHealthy('healthy after the fenced node rejoined');
      expect(after, 'no failback after the fenced node rejoined').toBe(passive);
      await finishDrill(w, 'active VM paused, fenced', outcome.failoverSeconds, outcome.note, passive);
    });

    // ---- issue 26 point 4: the other three fencing drills (test/lab/drills/fence-*.ts), after fence-paused.
    // Each leaves the cluster healthy for the next (its fenced node rebooted by its BMC and rejoined as
    // Secondary): the links cut and the race fence the passive node and the service stays where it is;
    // the BMC drill fences the active one once its BMC answers, and the service moves. The drills are
    // imported here, not at the top, to keep this wiring in one block.
    const serviceAddress = (): Record<NodeName, string> =>
      Object.fromEntries(answers.nodes.map((n) => [n.name, n.service.address.split('/')[0]!])) as Record<NodeName, string>;
    const stonith = () => (answers as unknown as { pacemaker: { stonith: { agent: string; nodes: Record<NodeName, Record<string, string | number>> } } }).pacemaker.stonith;
    const fenceDrillFailed = async (w: Workload, drill: string, e: unknown) => {
      await w.stop();
      rows.push({ drill, failoverSeconds: null, written: w.acked.size, verified: 0, lost: 0, note: `FAILED: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
    };

    it('drill: the active node\'s cluster and replication links cut, its service link working: one node fenced (the passive one, as the delays say), no split brain', async () => {
      requireApplied();
      const { fenceLinksCutDrill } = await import('./drills/fence-links-cut.js');
      const { active, passive } = await waitHealthy('a healthy cluster before the links drill');
      // The client on the node meant to survive, through the VIP: the passive node is the one fenced.
      await unmountClient(passive).catch(() => undefined);
      await mountClient(active, vip, exportPath);
      const w = await startWorkload(active, 'fence-links');
      let o;
      try {
        o = await fenceLinksCutDrill({ active, passive, workload: w, vip, serviceAddress: serviceAddress(), settleMs: SETTLE_MS, logDir: E2E_DIR });
      } catch (e) {
        await fenceDrillFailed(w, 'cluster+replication links cut, fenced', e);
        throw e;
      }
      timings['fence, links cut: cut to the passive VM powered off by its BMC'] = o.fenceSeconds;
      timings['fence, links cut: cut to first read through the VIP (the client\'s pause)'] = o.failoverSeconds;
      timings['fence, links cut: cut to the fenced node Secondary/UpToDate again'] = o.rejoinSeconds;
      await saveTimeline(active, 'fence-links-cut');
      const { active: after } = await waitHealthy('healthy after the links drill');
      expect(after, 'the service stays on the survivor').toBe(active);
      await finishDrill(w, 'cluster+replication links cut, fenced', o.failoverSeconds, o.note, active);
    });

    it('drill: the link between the nodes cut while both reach their BMCs, 3 times: exactly one survives, the one the fence delays favour', async () => {
      requireApplied();
      const { fenceRaceDrill } = await import('./drills/fence-race.js');
      const { active, passive } = await waitHealthy('a healthy cluster before the fence race');
      await unmountClient(passive).catch(() => undefined);
      await mountClient(active, vip, exportPath);
      const w = await startWorkload(active, 'fence-race');
      let o;
      try {
        o = await fenceRaceDrill({ workload: w, vip, serviceAddress: serviceAddress(), waitHealthy, settleMs: SETTLE_MS, logDir: E2E_DIR, runs: 3 });
      } catch (e) {
        await fenceDrillFailed(w, 'link between the nodes cut, fence race x3', e);
        throw e;
      }
      o.runs.forEach((r, i) => {
        timings[`fence race ${i + 1}: cut to ${r.fenced} powered off (${r.survivor} survived)`] = r.fenceSeconds;
        timings[`fence race ${i + 1}: cut to first read through the VIP (the client's pause)`] = r.stallSeconds;
        timings[`fence race ${i + 1}: cut to ${r.fenced} Secondary/UpToDate again`] = r.rejoinSeconds;
      });
      await saveTimeline(o.survivor, 'fence-race');
      const { active: after } = await waitHealthy('healthy after the fence races');
      expect(after, 'the service stays on the survivor').toBe(o.survivor);
      await finishDrill(w, 'link between the nodes cut, fence race x3', Math.max(...o.runs.map((r) => r.stallSeconds)), o.note, o.survivor);
    }, 6 * SETTLE_MS);

    it('drill: the active node\'s BMC unreachable when it must be fenced: nothing promoted, monitor CRITICAL; once the BMC answers the failover completes', async () => {
      requireApplied();
      const { fenceBmcUnreachableDrill } = await import('./drills/fence-bmc-unreachable.js');
      const { active, passive } = await waitHealthy('a healthy cluster before the BMC drill');
      await unmountClient(active).catch(() => undefined);
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'fence-bmc');
      const st = stonith();
      let o;
      try {
        o = await fenceBmcUnreachableDrill({
          active, passive, workload: w, vip, agent: st.agent, fenceOptions: st.nodes,
          bmcAddress: { lab1: String(st.nodes.lab1.ip), lab2: String(st.nodes.lab2.ip) },
          cli: CLI, env: wizardEnv(), answers: lab.answers, monitorIntervalMs: MONITOR_INTERVAL_MS, settleMs: SETTLE_MS, logDir: E2E_DIR,
        });
      } catch (e) {
        await fenceDrillFailed(w, 'BMC unreachable, then back', e);
        throw e;
      }
      timings['fence, BMC unreachable: pause to the block lifted (nothing promoted meanwhile)'] = o.blockedSeconds;
      timings['fence, BMC unreachable: BMC back to the paused VM powered off'] = o.fenceSeconds;
      timings['fence, BMC unreachable: BMC back to first read through the VIP'] = o.failoverSeconds;
      timings['fence, BMC unreachable: pause to first read through the VIP (the whole outage)'] = o.outageSeconds;
      await saveTimeline(passive, 'fence-bmc-unreachable');
      const { active: after } = await waitHealthy('healthy after the BMC drill');
      expect(after, 'no failback after the fenced node rejoined').toBe(passive);
      await finishDrill(w, 'BMC unreachable, then back', o.failoverSeconds, o.note, passive);
    });
  });

  // Issue 26 point 5: fencing by SBD on the disk both VMs share, right after apply with lab-answers-sbd.yaml.
  describe.runIf(SBD)('fencing by SBD on a shared disk (LAB_SBD=1)', () => {
    it('drill: the active VM paused (QEMU stop); the peer writes the poison pill and promotes only after msgwait; resumed, the node resets itself and rejoins as Secondary', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the SBD drill');
      // msgwait as apply wrote it into the disk's header, read from the disk itself.
      const header = parseSbdDump(await sshOk(passive, `sbd -d ${SBD_DISK} dump`));
      expect(header, `sbd -d ${SBD_DISK} dump on ${passive}`).not.toBeNull();
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'fence-sbd');
      let outcome;
      try {
        outcome = await fenceSbdDrill({ active, passive, workload: w, vip, settleMs: SETTLE_MS, logDir: E2E_DIR, device: SBD_DISK, msgwaitS: header!.msgwait });
      } catch (e) {
        await w.stop();
        rows.push({ drill: 'active VM paused, fenced by SBD', failoverSeconds: null, written: w.acked.size, verified: 0, lost: 0, note: `FAILED: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
        throw e;
      }
      timings['sbd: pause to the poison pill in the slot'] = outcome.pillSeconds;
      timings['sbd: pause to the peer Primary'] = outcome.promoteSeconds;
      timings['sbd: pause to first read through the VIP'] = outcome.failoverSeconds;
      timings['sbd: resume to the node reset (new boot id)'] = outcome.resetSeconds;
      timings['sbd: pause to the fenced node Secondary/UpToDate again'] = outcome.rejoinSeconds;
      await saveTimeline(passive, 'fence-sbd');
      const { active: after } = await waitHealthy('healthy after the SBD-fenced node rejoined');
      expect(after, 'no failback after the fenced node rejoined').toBe(passive);
      await finishDrill(w, 'active VM paused, fenced by SBD', outcome.failoverSeconds, outcome.note, passive);
    });
  });

  it('drill: the active VM killed with SIGKILL; the service returns on the other node', async () => {
    requireApplied();
    const { active, passive } = await waitHealthy('a healthy cluster before the kill drill');
    await mountClient(passive, vip, exportPath);
    const w = await startWorkload(passive, 'kill');
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    const killedAt = await killNode(active);
    await waitServing(passive, `${passive} serving after ${active} was killed`);
    timings['failover: kill -9 to the service up on the survivor (nodes\' view, 2 s polls)'] = (Date.now() - killedAt) / 1000;
    const readAt = await waitFor('a read through the VIP after the kill', SETTLE_MS, 500, async () => firstReadAfter(w, killedAt));
    const seconds = (readAt - killedAt) / 1000;
    timings['failover: kill -9 to first read through the VIP'] = seconds;
    await saveTimeline(passive, 'kill');
    const monitorOk = await monitorAgrees(await observe(), `${active} killed`);
    await captureState('failed-over', `the active node ${active}'s QEMU killed with SIGKILL; ${passive} took over`);
    await finishDrill(w, 'active VM killed (SIGKILL)', seconds, `${active} killed, served by ${passive}`, passive);
    monitorOk();
  });

  it('drill: the killed node restarted rejoins, resyncs by itself, both UpToDate, no failback', async () => {
    requireApplied();
    const down = NODES.find((n) => qemuPid(n) === null);
    expect(down, 'a killed node to restart').toBeDefined();
    const survivor = peerOf(down!);
    await mountClient(survivor, vip, exportPath);
    const w = await startWorkload(survivor, 'rejoin');
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    const t0 = Date.now();
    try {
      timings['killed VM boot to SSH'] = await restartNode(down!);
      // A returning node can only rejoin by itself when its cluster stack starts at boot.
      const en = await ssh(down!, 'systemctl is-enabled corosync.service pacemaker.service', { timeoutMs: 60_000 });
      expect(
        en.stdout.trim().split('\n'),
        `${down} booted again, but Corosync/Pacemaker do not start at boot (systemctl is-enabled). ` +
          'apply must enable them, or a node that was down never rejoins by itself',
      ).toEqual(['enabled', 'enabled']);
      // Every lab VM boots the image's own initrd, built before any array existed (the oldest initramfs a
      // node can have; apply does not rebuild it): the array must come back under its own name all the
      // same, or LVM and DRBD above it lose the name the answers and mdadm.conf give (mdArrayName).
      const md = (answers.raid?.device ?? '/dev/md0').replace(/^\/dev\//, '');
      const mdstat = await ssh(down!, 'cat /proc/mdstat', { timeoutMs: 60_000 });
      expect(mdstat.stdout, `${down} booted again, but its RAID1 is not assembled as /dev/${md}`).toMatch(
        new RegExp(`^${md} : active (\\(auto-read-only\\) )?raid1 `, 'm'),
      );
    } catch (e) {
      await w.stop();
      rows.push({ drill: 'killed node restarted', failoverSeconds: null, written: w.acked.size, verified: 0, lost: 0, note: 'FAILED: did not rejoin by itself' });
      throw e;
    }
    const { active } = await waitHealthy(`${down} rejoined and resynced`);
    timings['restart to both UpToDate'] = (Date.now() - t0) / 1000;
    expect(active, 'the service must stay where it is (stickiness): no failback').toBe(survivor);
    const monitorOk = await monitorAgrees(await observe(), `${down} rejoined`);
    await captureState('rejoined', `${down} booted again after its kill, rejoined and resynced; ${survivor} still active`);
    await finishDrill(w, 'killed node restarted', null, `${down} rejoined in ${timings['restart to both UpToDate']!.toFixed(0)} s, no failback`, survivor);
    monitorOk();
  });

  it('drill: the active node\'s service link cut (ping lost); the service moves', async () => {
    requireApplied();
    // When the rejoin drill failed because the returning node's cluster stack does not start at boot,
    // start it here as an admin would, so this drill still tests what it is about (said in the table).
    let setupNote = '';
    for (const n of NODES) {
      if (qemuPid(n) === null) {
        timings[`${n} booted (for the link drill)`] = await restartNode(n);
      }
      if ((await ssh(n, 'systemctl is-active -q pacemaker.service', { timeoutMs: 60_000 })).code !== 0) {
        await sshOk(n, 'systemctl start corosync.service pacemaker.service', 300_000);
        setupNote += ` (cluster started by hand on ${n})`;
      }
    }
    const { active, passive } = await waitHealthy('a healthy cluster before the link drill');
    await unmountClient(active).catch(() => undefined);
    await mountClient(passive, vip, exportPath);
    const w = await startWorkload(passive, 'link');
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    const cutAt = Date.now();
    try {
      await setLink(active, 'svc', false);
      await waitServing(passive, `${passive} serving after ${active}'s service link was cut`);
      const readAt = await waitFor('a read through the VIP after the cut', SETTLE_MS, 500, async () => firstReadAfter(w, cutAt));
      const seconds = (readAt - cutAt) / 1000;
      timings['failover: service link cut to first read through the VIP'] = seconds;
      await saveTimeline(passive, 'link-cut');
      const monitorOk = await monitorAgrees(await observe(), `${active} service link cut`);
      await captureState('service-link-cut', `${active}'s svc0 cut (QEMU set_link svc off); the service moved to ${passive}`);
      await finishDrill(w, 'service link cut', seconds, `${active} lost ping, moved to ${passive}${setupNote}`, passive);
      monitorOk();
    } finally {
      await setLink(active, 'svc', true);
    }
    const after = await waitHealthy('healthy again after the link came back');
    expect(after.active, 'no failback when the link returns (stickiness)').toBe(passive);
  });

  it('a hand-edited NFS configuration on the running cluster: shown, replaced, the server restarted through Pacemaker; the next apply changes nothing', async () => {
    requireApplied();
    const { active, passive } = await waitHealthy('a healthy cluster before the NFS configuration change');
    await unmountClient(active).catch(() => undefined);
    await mountClient(passive, vip, exportPath);
    const w = await startWorkload(passive, 'nfsconf');
    await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
    const mark = '# added by hand (hanfs e2e)';
    await sshOk(active, `echo '${mark}' >> /etc/nfs.conf.d/hanfs.conf`, 60_000);
    const r = await runApply(['--replace-edited']);
    timings['apply replacing a hand-edited nfs.conf (NFS server restarted)'] = r.seconds;
    const log = readFileSync(r.log, 'utf8');
    expect(log).toMatch(new RegExp(`${active}:/etc/nfs.conf.d/hanfs.conf was edited by hand since the last apply`));
    expect(log, 'the hand edit is shown as a difference').toContain(mark);
    expect(log).toMatch(new RegExp(`will interrupt the service: ${active}: restarts p_nfsserver through Pacemaker`));
    expect(log).toMatch(new RegExp(`^\\[${active}\\] done: restart the NFS server on ${active}`, 'm'));
    expect(log).not.toMatch(new RegExp(`^\\[${passive}\\] done: restart the NFS server`, 'm'));
    const after = await waitHealthy('healthy after the NFS server restart');
    expect(after.active, 'a restart in place, not a move').toBe(active);
    expect((await ssh(active, `grep -c -F -- '${mark}' /etc/nfs.conf.d/hanfs.conf`)).stdout.trim()).toBe('0');
    await finishDrill(w, 'nfs.conf edited, server restarted', null, `apply --replace-edited restarted p_nfsserver on ${active}`, passive);
    // Pacemaker's restart leaves traces in the CIB (an emptied meta_attributes set); they are not a change.
    const again = await runApply();
    const ran = [...readFileSync(again.log, 'utf8').matchAll(/^\[[\w.-]+\] done: (.*) \([\d.]+ s\)$/gm)]
      .map((m) => m[1]!)
      .filter((t) => !/^(wait until|verify) /.test(t));
    expect(ran, `apply of the unchanged cluster right after the restart changed something; log ${again.log}`).toEqual([]);
  }, 2 * APPLY_TIMEOUT_MS + 2 * SETTLE_MS);

  it('drill: apply interrupted (killed) at a destructive step, then run again: it completes', async () => {
    requireApplied();
    // A bare lab again: fresh disks and overlays.
    const down = await labDown();
    expect(down.code, down.stderr).toBe(0);
    allAcked.clear();
    await bringLabUp(true);
    const a = startApply();
    // The first destructive step leaves a signature on a RAID disk (md superblock, or a wipe of it).
    const raidDisk = answers.nodes[0]!.disks[0]!;
    const destructive = waitFor('apply reaching a destructive step', SETTLE_MS, 1_000, async () => {
      for (const n of NODES) {
        const r = await ssh(n, `cat /proc/mdstat; wipefs -n --json ${raidDisk}`, { timeoutMs: 30_000 });
        if (/\bmd\d+ : /.test(r.stdout) || /"type"/.test(r.stdout)) return n;
      }
      return null;
    });
    const winner = await Promise.race([destructive, a.done.then(() => 'apply-ended' as const)]);
    expect(winner, 'apply ended before any destructive step could be interrupted').not.toBe('apply-ended');
    a.child.kill('SIGKILL');
    const first = await a.done;
    expect(first.signal).toBe('SIGKILL');
    // The killed run may have left the array (or the volume) made but not yet written by the next step:
    // apply then asks consent to overwrite it like a disk (issue 25), which a script gives with --wipe.
    const lv = `/dev/${answers.lvm?.vg ?? 'vg_nfs'}/${answers.lvm?.lv ?? 'lv_nfs'}`;
    const made = answers.nodes.flatMap((n) => [answers.raid?.device ?? '/dev/md0', lv].flatMap((d) => ['--wipe', `${n.name}:${d}`]));
    const r = await runApply(made);
    timings['apply re-run after the kill'] = r.seconds;
    const { passive } = await waitHealthy('a healthy cluster after the resumed apply');
    await expectMonitorAgrees(await observe(), 'healthy after resumed apply');
    await mountClient(passive, vip, exportPath);
    const w = await startWorkload(passive, 'resume');
    await finishDrill(w, 'apply killed mid-way, re-run', null, `killed while ${String(winner)} was being changed`, passive);
  }, 2 * APPLY_TIMEOUT_MS + 2 * SETTLE_MS + 1_200_000);

  // ---- the actions after apply (issues 30, 31) ----
  // Their drills (test/lab/drills/) run with LAB_ACTION_DRILLS=1, which CI's e2e sets since they all passed
  // in one run from a clean clone (session 18; docs/lab.md, "Action drills"); about 20-26 min more. A
  // developer's `npm run test:e2e` leaves them out unless asked: `LAB_ACTION_DRILLS=1 npm run test:e2e`.
  describe.runIf(ACTION_DRILLS)('the actions after apply (LAB_ACTION_DRILLS=1)', () => {
    // On the cluster the resumed apply above left healthy, each through the CLI under test as an admin runs it.
    // Grow comes last: it takes VG space the split-brain recovery needs (its snapshot and DRBD's resync one).
    afterEach(stopLeftoverWorkloads);

    const opsCtx = (): OpsDrillContext => ({ cli: CLI, env: wizardEnv(), answers: lab.answers, vip, exportPath, settleMs: SETTLE_MS, monitorIntervalMs: MONITOR_INTERVAL_MS, logDir: E2E_DIR });
    const storageCtx = (active: NodeName, passive: NodeName): StorageDrillContext => ({
      cli: CLI, answers: lab.answers, env: wizardEnv(), active, passive, client: passive, mountPoint, exportPath, vg: answers.lvm?.vg ?? 'vg_nfs', lv: answers.lvm?.lv ?? 'lv_nfs',
    });
    const recoveryCtx = (active: NodeName, passive: NodeName, workload: Workload): RecoveryDrillContext => ({
      active, passive, cli: CLI, answers: lab.answers, env: wizardEnv(), logDir: E2E_DIR, workload, drbdResource: answers.drbd?.resource ?? 'r0',
      vg: answers.lvm?.vg ?? 'vg_nfs', lv: answers.lvm?.lv ?? 'lv_nfs', raidDevice: answers.raid?.device ?? '/dev/md0', mountPoint, exportPath,
    });
    const keep = (drill: string, transcripts: string[]) => writeFileSync(join(E2E_DIR, `${drill}.transcript.txt`), transcripts.join('\n\n'));

    it('after apply at a terminal, the same app becomes the live monitor of both nodes; q quits', async () => {
      requireApplied();
      await waitHealthy('a healthy cluster before apply at a terminal');
      const r = await afterApplyMonitorDrill(opsCtx(), APPLY_TIMEOUT_MS);
      timings['apply at a terminal to the monitor\'s first frame'] = r.secondsToMonitor;
      writeFileSync(join(E2E_DIR, 'after-apply-monitor.screen.txt'), r.screen);
      expect(r.exitCode).toBe(0);
    }, APPLY_TIMEOUT_MS + 300_000);

    it('drill: switchover and back while a client writes and reads through the VIP', async () => {
      requireApplied();
      await waitHealthy('a healthy cluster before the switchover');
      const r = await switchoverDrill(opsCtx());
      // Where a planned move's seconds go (each node's stops and starts): the stall target compares it with kill -9.
      for (const n of ['lab1', 'lab2'] as NodeName[]) await saveTimeline(n, `switchover-${n}`).catch(() => undefined);
      for (const l of r.legs) {
        timings[`switchover ${l.from} -> ${l.to}: the action, plan to read-back`] = l.actionSeconds;
        timings[`switchover ${l.from} -> ${l.to}: the longest pause between two client reads`] = l.maxStallSeconds;
      }
      rows.push({ drill: 'switchover and back', failoverSeconds: Math.max(...r.legs.map((l) => l.maxStallSeconds)), written: r.written, verified: r.verified, lost: r.lost.length, note: r.legs.map((l) => `${l.from}->${l.to} exit ${l.exitCode} in ${l.actionSeconds.toFixed(0)} s, ${l.clientErrors} client errors`).join('; ') });
      expect(r.problems).toEqual([]);
    }, 3 * SETTLE_MS);

    it.runIf(NFS3_DRILL)('drill: NFSv3 locks held through a switchover: the new Primary notifies the client from the VIP, the lock is reclaimed, a second client is refused until it is released', async () => {
      requireApplied();
      await waitHealthy('a healthy cluster before the NFSv3 locks drill');
      const r = await nfs3LocksDrill(opsCtx());
      writeFileSync(join(E2E_DIR, 'nfs3-locks.json'), `${JSON.stringify(r, null, 2)}\n`);
      for (const n of ['lab1', 'lab2'] as NodeName[]) await saveTimeline(n, `nfs3-locks-${n}`).catch(() => undefined);
      timings[`NFSv3 locks: switchover ${r.from} -> ${r.to}, the action`] = r.switchoverSeconds;
      if (r.reclaimedAfterSeconds !== null) timings['NFSv3 locks: after the switchover, the client notified and its lock reclaimed'] = r.reclaimedAfterSeconds;
      rows.push({
        drill: 'NFSv3 lock through a switchover', failoverSeconds: r.reclaimedAfterSeconds, written: 0, verified: 0, lost: r.whileHeld?.code === 0 ? 1 : 0,
        note: `second client while held: exit ${r.whileHeld?.code ?? '-'}, after release: exit ${r.afterRelease?.code ?? '-'}; ${r.problems.length} problems`,
      });
      expect(r.problems).toEqual([]);
    }, 3 * SETTLE_MS + 900_000);

    it('drill: standby, online, maintenance on and off, each seen by monitor --json within its interval', async () => {
      requireApplied();
      await waitHealthy('a healthy cluster before standby');
      const r = await standbyMaintenanceDrill(opsCtx());
      rows.push({ drill: 'standby, online, maintenance', failoverSeconds: null, written: r.written, verified: r.verified, lost: r.lost.length, note: r.steps.map((x) => `${x.words.join(' ')}: exit ${x.exitCode}`).join('; ') });
      expect(r.problems).toEqual([]);
    }, 4 * SETTLE_MS);

    it('drill: a file the client deleted comes back byte for byte from a snapshot (snapshot create, mount, unmount, remove)', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the snapshot drill');
      await unmountClient(active).catch(() => undefined);
      await mountClient(passive, vip, exportPath);
      const r = await snapshotRestoreDrill(storageCtx(active, passive));
      keep('snapshot-restore', r.transcripts);
      rows.push({ drill: 'snapshot restore (issue 30)', failoverSeconds: null, written: 0, verified: 0, lost: 0, note: r.note });
    }, 2 * SETTLE_MS);

    it('drill: restore PATH --from a snapshot taken before the client deleted it', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the restore drill');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'restore');
      const r = await restoreDrill(recoveryCtx(active, passive, w));
      keep('restore', r.transcripts);
      await finishDrill(w, 'restore (issue 31)', null, r.note, passive);
    }, 2 * SETTLE_MS);

    it('drill: a RAID member failed on the active node, a blank disk hot-plugged and chosen: rebuilt, the service never moved', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the disk drill');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'disk');
      const r = await diskReplaceDrill(recoveryCtx(active, passive, w));
      keep('disk-replace', r.transcripts);
      await finishDrill(w, 'disk replaced (issue 31)', null, r.note, passive);
    }, 3 * SETTLE_MS);

    it.runIf(DISKMON_DRILL)('drill: disk replace from the live monitor\'s D key: degraded, the blank disk chosen and typed, rebuilding, clean on the screen; the service never moved', async () => {
      requireApplied();
      // After the drill above (its disk is now the array's second member, failed here), on the same node.
      const { active, passive } = await waitHealthy('a healthy cluster before the disk drill from the monitor');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'diskmon');
      const r = await diskReplaceMonitorDrill(recoveryCtx(active, passive, w));
      keep('disk-replace-monitor', r.transcripts);
      await finishDrill(w, 'disk replaced from the monitor (issues 30, 31)', null, r.note, passive);
    }, 3 * SETTLE_MS);

    it('drill: split brain provoked for real, recovered with the side the clients used kept', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before the split brain');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'split-brain');
      const r = await splitBrainDrill(recoveryCtx(active, passive, w));
      keep('split-brain', r.transcripts);
      await finishDrill(w, 'split brain recovered (issue 31)', null, r.note, passive);
    }, 3 * SETTLE_MS);

    it('drill: grow the volume online while the client writes', async () => {
      requireApplied();
      const { active, passive } = await waitHealthy('a healthy cluster before growing');
      await mountClient(passive, vip, exportPath);
      const w = await startWorkload(passive, 'grow');
      await waitFor('client writes flowing', 60_000, 500, async () => (w.acked.size >= 3 ? true : null));
      const r = await growDrill(storageCtx(active, passive), w);
      keep('grow', r.transcripts);
      await finishDrill(w, 'grow online', null, `${r.note} (client ${r.clientBefore} -> ${r.clientAfter} bytes)`, passive);
    }, 2 * SETTLE_MS);
  });
});
