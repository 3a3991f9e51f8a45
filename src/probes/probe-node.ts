// Probes one node through any Runner: runs the command specs (independent ones in parallel), feeds the
// pure parsers, and returns NodeFacts. A failed command becomes an entry of `failures`; it never throws.
import type { Argv, Runner, RunOptions, RunResult } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import type { MdArray, NicInfo, NodeFacts, OsInfo } from './types.js';
import { LSBLK_ARGV, parseLsblk, type BlockDevice } from './lsblk.js';
import { BY_ID_ARGV, parseByIdListing } from './by-id.js';
import { blkidArgv, blkidSignatures, parseWipefsJson, wipefsArgv, type Signature } from './signatures.js';
import { buildDisks, candidateDisks, needsSignatureProbe } from './disks.js';
import { MDSTAT_ARGV, parseMdstat } from './mdstat.js';
import { mdadmDetailArgv, mergeMdadmDetail, parseMdadmDetail } from './mdadm-detail.js';
import { LVS_ARGV, PVS_ARGV, VGS_ARGV, parseLvmReports } from './lvm.js';
import { IP_ADDR_ARGV, IP_LINK_ARGV, IP_ROUTE_ARGV, defaultGateway, nicSpeedArgv, parseIpAddr, parseIpLink, parseIpRoute, parseNicSpeed, type Route } from './ip.js';
import { OS_RELEASE_ARGV, UNAME_N_ARGV, UNAME_R_ARGV, parseOsRelease, parseUname } from './os-release.js';
import { dpkgQueryArgv, installCommand, packageFamily, packageNames, parseDpkgQuery, parseRpmQuery, rpmQueryArgv } from './packages.js';
import { MODINFO_DRBD_ARGV, PROC_DRBD_ARGV, parseModinfoVersion, parseProcDrbdVersion } from './drbd-module.js';
import { fail, type Parsed } from './parsed.js';
import { FIND_WATCHDOG_ARGV, parseWatchdogDevices, type WatchdogFacts } from './watchdog.js';
import { ProbeLog, describeArgv as describe, failureOf, notRun } from './probe-log.js';

export interface ProbeOptions {
  /** Per command; a hung command must not hang the wizard. Default 20 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
  minDiskBytes?: number;
}

/** Every argv probeNode may run, for documentation and for building replay folders. */
export const PROBE_COMMANDS: readonly Argv[] = [
  UNAME_N_ARGV, UNAME_R_ARGV, OS_RELEASE_ARGV, PROC_DRBD_ARGV, MODINFO_DRBD_ARGV, LSBLK_ARGV, BY_ID_ARGV,
  MDSTAT_ARGV, PVS_ARGV, VGS_ARGV, LVS_ARGV, IP_ADDR_ARGV, IP_ROUTE_ARGV, IP_LINK_ARGV, FIND_WATCHDOG_ARGV,
];

/** What the first round's answers say; the results later steps still need kept as they came. */
interface FirstRound {
  hostname: string | null;
  kernel: string | null;
  os: OsInfo | null;
  drbdModuleLoaded: boolean;
  drbdModuleVersion: string | null;
  devices: BlockDevice[];
  byId: Map<string, string[]>;
  md: MdArray[];
  nics: NicInfo[];
  routeR: RunResult | null;
  linkR: RunResult | null;
  lvmR: [RunResult | null, RunResult | null, RunResult | null];
  watchdog: WatchdogFacts | null;
}

/** The first round's results (PROBE_COMMANDS' order) parsed; what did not answer or parse is logged. */
function readFirstRound(first: RunResult[], log: ProbeLog): FirstRound {
  const [hostR, kernelR, osR, procDrbdR, modinfoR, lsblkR, byIdR, mdstatR, pvsR, vgsR, lvsR, addrR, routeR, linkR] = [
    log.must(first[0] as RunResult),
    log.must(first[1] as RunResult),
    log.must(first[2] as RunResult),
    first[3] as RunResult,
    first[4] as RunResult,
    log.must(first[5] as RunResult),
    log.must(first[6] as RunResult),
    log.must(first[7] as RunResult),
    log.must(first[8] as RunResult),
    log.must(first[9] as RunResult),
    log.must(first[10] as RunResult),
    log.must(first[11] as RunResult),
    log.must(first[12] as RunResult),
    log.must(first[13] as RunResult),
  ];
  const os = osR ? parseOsRelease(osR.stdout) : null;
  if (osR && os === null) log.add({ probe: describe(OS_RELEASE_ARGV), message: 'no ID= line', argv: [...OS_RELEASE_ARGV] });

  // DRBD module: /proc/drbd missing (exit 1) just means not loaded; modinfo exit 1 means no module.
  if (notRun(procDrbdR) !== null) log.add(failureOf(describe(PROC_DRBD_ARGV), procDrbdR));
  if (notRun(modinfoR) !== null) log.add(failureOf(describe(MODINFO_DRBD_ARGV), modinfoR));
  const loadedVersion = procDrbdR.exitCode === 0 ? parseProcDrbdVersion(procDrbdR.stdout) : null;
  // The watchdog matters only to SBD, which apply's preflight checks again: an unanswered listing (a
  // capture without it, a node without find) is "not known", never a failure of the probe.
  const watchdogR = first[14] as RunResult;

  return {
    hostname: hostR ? parseUname(hostR.stdout) : null,
    kernel: kernelR ? parseUname(kernelR.stdout) : null,
    os,
    drbdModuleLoaded: loadedVersion !== null,
    drbdModuleVersion: loadedVersion ?? (modinfoR.exitCode === 0 ? parseModinfoVersion(modinfoR.stdout) : null),
    devices: lsblkR ? (log.parsedOr(describe(LSBLK_ARGV), LSBLK_ARGV, parseLsblk(lsblkR.stdout)) ?? []) : [],
    byId: byIdR ? parseByIdListing(byIdR.stdout) : new Map<string, string[]>(),
    md: mdstatR ? parseMdstat(mdstatR.stdout) : [],
    nics: addrR ? (log.parsedOr(describe(IP_ADDR_ARGV), IP_ADDR_ARGV, parseIpAddr(addrR.stdout)) ?? []) : [],
    routeR,
    linkR,
    lvmR: [pvsR, vgsR, lvsR],
    watchdog: notRun(watchdogR) === null && watchdogR.exitCode === 0 ? parseWatchdogDevices(watchdogR.stdout) : null,
  };
}

/** Signatures: wipefs, else blkid (a third round, only for the disks where wipefs did not answer). */
async function readSignatures(runner: Runner, sigDisks: BlockDevice[], wipefsR: RunResult[], log: ProbeLog, runOpts: RunOptions): Promise<Map<string, Parsed<Signature[]>>> {
  const signatures = new Map<string, Parsed<Signature[]>>();
  const retry: { disk: BlockDevice; wipefs: RunResult }[] = [];
  sigDisks.forEach((d, i) => {
    const w = wipefsR[i] as RunResult;
    const p = notRun(w) === null && w.exitCode === 0 ? parseWipefsJson(w.stdout) : null;
    if (p?.ok) signatures.set(d.name, p);
    else retry.push({ disk: d, wipefs: w });
  });
  const blkids = await runAll(runner, retry.map((x) => blkidArgv(x.disk.path)), runOpts);
  retry.forEach(({ disk: d, wipefs: w }, i) => {
    const b = blkids[i] as RunResult;
    if (notRun(b) === null && (b.exitCode === 0 || b.exitCode === 2)) {
      signatures.set(d.name, blkidSignatures(b.stdout, b.exitCode));
      return;
    }
    const why = `wipefs: ${failureOf('', w).message}; blkid: ${failureOf('', b).message}`;
    log.add({ probe: `signatures of ${d.path}`, message: why, argv: wipefsArgv(d.path), exitCode: w.exitCode });
    signatures.set(d.name, fail(why));
  });
  return signatures;
}

function readPackages(family: NodeFacts['packageFamily'], os: OsInfo | null, names: string[], pkgR: RunResult | null, log: ProbeLog): NodeFacts['packages'] {
  if (family === null) {
    if (os !== null) log.add({ probe: 'packages', message: `unknown distribution "${os.id}": cannot check packages` });
    return [];
  }
  if (pkgR === null) return [];
  // dpkg-query exits 1 when a name is unknown to dpkg, rpm -q exits N for N missing: both still answer.
  if (notRun(pkgR) !== null) {
    log.add(failureOf('packages', pkgR));
    return [];
  }
  return family === 'debian' ? parseDpkgQuery(pkgR.stdout, names) : parseRpmQuery(pkgR.stdout, names);
}

/** The links' states onto the NICs, the routes, and the LVM reports: the first round's last answers. */
function readNetworkAndLvm(f: FirstRound, log: ProbeLog): { routes: Route[] | null; lvm: NodeFacts['lvm'] } {
  const links = f.linkR ? log.parsedOr(describe(IP_LINK_ARGV), IP_LINK_ARGV, parseIpLink(f.linkR.stdout)) : null;
  if (links) {
    for (const n of f.nics) {
      const l = links.find((x) => x.name === n.name);
      if (l) n.state = l.state;
    }
  }
  const routes = f.routeR ? log.parsedOr(describe(IP_ROUTE_ARGV), IP_ROUTE_ARGV, parseIpRoute(f.routeR.stdout)) : null;
  const [pvsR, vgsR, lvsR] = f.lvmR;
  const lvm = pvsR && vgsR && lvsR ? log.parsedOr('LVM reports', PVS_ARGV, parseLvmReports([pvsR.stdout, vgsR.stdout, lvsR.stdout].join('\n'))) : null;
  return { routes, lvm };
}

export async function probeNode(runner: Runner, options: ProbeOptions = {}): Promise<NodeFacts> {
  const log = new ProbeLog();
  const runOpts = { timeoutMs: options.timeoutMs ?? 20_000, signal: options.signal };

  // First round: everything independent, together (one SSH session when the runner batches).
  const f = readFirstRound(await runAll(runner, PROBE_COMMANDS, runOpts), log);
  const family = packageFamily(f.os);
  const names = family ? packageNames(family) : [];

  // Second round: what depends on the first answers, together again.
  const sigDisks = candidateDisks(f.devices).filter(needsSignatureProbe);
  const pkgArgv = family === null ? null : family === 'debian' ? dpkgQueryArgv(names) : rpmQueryArgv(names);
  const speedProbes = f.nics.filter((n) => !n.loopback).flatMap((n) => {
    const argv = nicSpeedArgv(n.name);
    return argv ? [{ nic: n, argv }] : [];
  });
  const second = await runAll(
    runner,
    [...(pkgArgv ? [pkgArgv] : []), ...sigDisks.map((d) => wipefsArgv(d.path)), ...speedProbes.map((p) => p.argv), ...f.md.map((a) => mdadmDetailArgv(a.path))],
    runOpts,
  );
  const pkgR = pkgArgv ? (second.shift() as RunResult) : null;
  const wipefsR = second.splice(0, sigDisks.length);
  // Link speed is a nice-to-have (virtual NICs have none): an unanswered probe is not a failure.
  second.splice(0, speedProbes.length).forEach((r, i) => {
    (speedProbes[i] as { nic: NicInfo }).nic.speedMbps = parseNicSpeed(r.stdout, r.exitCode);
  });
  const md = f.md.map((a, i) => {
    const r = log.must(second[i] as RunResult);
    return r ? mergeMdadmDetail(a, parseMdadmDetail(r.stdout)) : a;
  });

  const signatures = await readSignatures(runner, sigDisks, wipefsR, log, runOpts);
  const packages = readPackages(family, f.os, names, pkgR, log);
  const { routes, lvm } = readNetworkAndLvm(f, log);

  return {
    target: runner.label,
    hostname: f.hostname ?? '',
    os: f.os,
    kernel: f.kernel,
    packages,
    installCommand: installCommand(family, packages),
    drbdModuleVersion: f.drbdModuleVersion,
    drbdModuleLoaded: f.drbdModuleLoaded,
    disks: buildDisks({ devices: f.devices, byId: f.byId, signatures, minDiskBytes: options.minDiskBytes }),
    nics: f.nics,
    defaultGateway: routes ? defaultGateway(routes) : null,
    md,
    lvm,
    packageFamily: family,
    watchdog: f.watchdog,
    failures: log.failures,
  };
}

/** Probes every node at once: the slowest node sets the time, not the sum. */
export function probeNodes(runners: readonly Runner[], options: ProbeOptions = {}): Promise<NodeFacts[]> {
  return Promise.all(runners.map((r) => probeNode(r, options)));
}

/** True when the node answered at all (its name is known). */
export function reached(f: NodeFacts): boolean {
  return f.hostname !== '';
}
