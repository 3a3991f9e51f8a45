// Probes one node through any Runner: runs the command specs (independent ones in parallel), feeds the
// pure parsers, and returns NodeFacts. A failed command becomes an entry of `failures`; it never throws.
import type { Argv, Runner, RunResult } from '../exec/runner.js';
import { runAll } from '../exec/run-all.js';
import type { MdArray, NicInfo, NodeFacts, ProbeFailure } from './types.js';
import { LSBLK_ARGV, parseLsblk, type BlockDevice } from './lsblk.js';
import { BY_ID_ARGV, parseByIdListing } from './by-id.js';
import { blkidArgv, blkidSignatures, parseWipefsJson, wipefsArgv, type Signature } from './signatures.js';
import { buildDisks, candidateDisks, needsSignatureProbe } from './disks.js';
import { MDSTAT_ARGV, parseMdstat } from './mdstat.js';
import { mdadmDetailArgv, mergeMdadmDetail, parseMdadmDetail } from './mdadm-detail.js';
import { LVS_ARGV, PVS_ARGV, VGS_ARGV, parseLvmReports } from './lvm.js';
import { IP_ADDR_ARGV, IP_LINK_ARGV, IP_ROUTE_ARGV, defaultGateway, nicSpeedArgv, parseIpAddr, parseIpLink, parseIpRoute, parseNicSpeed } from './ip.js';
import { OS_RELEASE_ARGV, UNAME_N_ARGV, UNAME_R_ARGV, parseOsRelease, parseUname } from './os-release.js';
import { dpkgQueryArgv, installCommand, packageFamily, packageNames, parseDpkgQuery, parseRpmQuery, rpmQueryArgv } from './packages.js';
import { MODINFO_DRBD_ARGV, PROC_DRBD_ARGV, parseModinfoVersion, parseProcDrbdVersion } from './drbd-module.js';
import { fail, type Parsed } from './parsed.js';
import { FIND_WATCHDOG_ARGV, parseWatchdogDevices } from './watchdog.js';

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

const describe = (argv: Argv) => argv.join(' ');

/** Why a result is not usable, or null when the command ran (whatever its exit code). */
function notRun(r: RunResult): string | null {
  if (r.error !== undefined) return r.error;
  if (r.timedOut) return 'timed out';
  if (r.aborted) return 'aborted';
  if (r.exitCode === 127) return (r.stderr.trim() || 'command not found').split('\n')[0] as string;
  return null;
}

function failureOf(probe: string, r: RunResult, why?: string): ProbeFailure {
  const first = (r.stderr.trim().split('\n')[0] ?? '').trim();
  const message = why ?? notRun(r) ?? (first !== '' ? `exit ${r.exitCode}: ${first}` : `exit ${r.exitCode}`);
  return { probe, message, argv: [...r.argv], exitCode: r.exitCode };
}

export async function probeNode(runner: Runner, options: ProbeOptions = {}): Promise<NodeFacts> {
  const failures: ProbeFailure[] = [];
  const runOpts = { timeoutMs: options.timeoutMs ?? 20_000, signal: options.signal };
  /** A result that must be exit 0; records a failure otherwise. */
  const must = (r: RunResult, probe = describe(r.argv)): RunResult | null => {
    if (notRun(r) !== null || r.exitCode !== 0) {
      failures.push(failureOf(probe, r));
      return null;
    }
    return r;
  };
  const parsedOr = <T>(probe: string, argv: Argv, p: Parsed<T>): T | null => {
    if (p.ok) return p.value;
    failures.push({ probe, message: p.error, argv: [...argv] });
    return null;
  };

  // First round: everything independent, together (one SSH session when the runner batches).
  const first = await runAll(runner, PROBE_COMMANDS, runOpts);
  const [hostR, kernelR, osR, procDrbdR, modinfoR, lsblkR, byIdR, mdstatR, pvsR, vgsR, lvsR, addrR, routeR, linkR] = [
    must(first[0] as RunResult),
    must(first[1] as RunResult),
    must(first[2] as RunResult),
    first[3] as RunResult,
    first[4] as RunResult,
    must(first[5] as RunResult),
    must(first[6] as RunResult),
    must(first[7] as RunResult),
    must(first[8] as RunResult),
    must(first[9] as RunResult),
    must(first[10] as RunResult),
    must(first[11] as RunResult),
    must(first[12] as RunResult),
    must(first[13] as RunResult),
  ];
  // The watchdog matters only to SBD, which apply's preflight checks again: an unanswered listing (a
  // capture without it, a node without find) is "not known", never a failure of the probe.
  const watchdogR = first[14] as RunResult;
  const watchdog = notRun(watchdogR) === null && watchdogR.exitCode === 0 ? parseWatchdogDevices(watchdogR.stdout) : null;

  const hostname = hostR ? parseUname(hostR.stdout) : null;
  const kernel = kernelR ? parseUname(kernelR.stdout) : null;
  const os = osR ? parseOsRelease(osR.stdout) : null;
  if (osR && os === null) failures.push({ probe: describe(OS_RELEASE_ARGV), message: 'no ID= line', argv: [...OS_RELEASE_ARGV] });

  // DRBD module: /proc/drbd missing (exit 1) just means not loaded; modinfo exit 1 means no module.
  const procDrbdMissing = notRun(procDrbdR);
  if (procDrbdMissing !== null) failures.push(failureOf(describe(PROC_DRBD_ARGV), procDrbdR));
  const modinfoMissing = notRun(modinfoR);
  if (modinfoMissing !== null) failures.push(failureOf(describe(MODINFO_DRBD_ARGV), modinfoR));
  const loadedVersion = procDrbdR.exitCode === 0 ? parseProcDrbdVersion(procDrbdR.stdout) : null;
  const drbdModuleLoaded = loadedVersion !== null;
  const drbdModuleVersion = loadedVersion ?? (modinfoR.exitCode === 0 ? parseModinfoVersion(modinfoR.stdout) : null);

  const devices: BlockDevice[] = lsblkR ? (parsedOr(describe(LSBLK_ARGV), LSBLK_ARGV, parseLsblk(lsblkR.stdout)) ?? []) : [];
  const byId = byIdR ? parseByIdListing(byIdR.stdout) : new Map<string, string[]>();
  let md: MdArray[] = mdstatR ? parseMdstat(mdstatR.stdout) : [];

  const family = packageFamily(os);
  const names = family ? packageNames(family) : [];

  // Second round: what depends on the first answers, together again.
  const sigDisks = candidateDisks(devices).filter(needsSignatureProbe);
  const pkgArgv = family === null ? null : family === 'debian' ? dpkgQueryArgv(names) : rpmQueryArgv(names);
  const nics = addrR ? (parsedOr(describe(IP_ADDR_ARGV), IP_ADDR_ARGV, parseIpAddr(addrR.stdout)) ?? []) : [];
  const speedProbes = nics.filter((n) => !n.loopback).flatMap((n) => {
    const argv = nicSpeedArgv(n.name);
    return argv ? [{ nic: n, argv }] : [];
  });
  const second = await runAll(
    runner,
    [...(pkgArgv ? [pkgArgv] : []), ...sigDisks.map((d) => wipefsArgv(d.path)), ...speedProbes.map((p) => p.argv), ...md.map((a) => mdadmDetailArgv(a.path))],
    runOpts,
  );
  const pkgR = pkgArgv ? (second.shift() as RunResult) : null;
  const wipefsR = second.splice(0, sigDisks.length);
  // Link speed is a nice-to-have (virtual NICs have none): an unanswered probe is not a failure.
  second.splice(0, speedProbes.length).forEach((r, i) => {
    (speedProbes[i] as { nic: NicInfo }).nic.speedMbps = parseNicSpeed(r.stdout, r.exitCode);
  });
  md = md.map((a, i) => {
    const r = must(second[i] as RunResult);
    return r ? mergeMdadmDetail(a, parseMdadmDetail(r.stdout)) : a;
  });

  // Signatures: wipefs, else blkid (a third round, only for the disks where wipefs did not answer).
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
    failures.push({ probe: `signatures of ${d.path}`, message: why, argv: wipefsArgv(d.path), exitCode: w.exitCode });
    signatures.set(d.name, fail(why));
  });

  let packages: NodeFacts['packages'] = [];
  if (family === null) {
    if (os !== null) failures.push({ probe: 'packages', message: `unknown distribution "${os.id}": cannot check packages` });
  } else if (pkgR !== null) {
    // dpkg-query exits 1 when a name is unknown to dpkg, rpm -q exits N for N missing: both still answer.
    if (notRun(pkgR) !== null) failures.push(failureOf('packages', pkgR));
    else packages = family === 'debian' ? parseDpkgQuery(pkgR.stdout, names) : parseRpmQuery(pkgR.stdout, names);
  }

  const links = linkR ? parsedOr(describe(IP_LINK_ARGV), IP_LINK_ARGV, parseIpLink(linkR.stdout)) : null;
  if (links) {
    for (const n of nics) {
      const l = links.find((x) => x.name === n.name);
      if (l) n.state = l.state;
    }
  }
  const routes = routeR ? parsedOr(describe(IP_ROUTE_ARGV), IP_ROUTE_ARGV, parseIpRoute(routeR.stdout)) : null;

  let lvm: NodeFacts['lvm'] = null;
  if (pvsR && vgsR && lvsR) {
    const rep = parsedOr('LVM reports', PVS_ARGV, parseLvmReports([pvsR.stdout, vgsR.stdout, lvsR.stdout].join('\n')));
    lvm = rep;
  }

  return {
    target: runner.label,
    hostname: hostname ?? '',
    os,
    kernel,
    packages,
    installCommand: installCommand(family, packages),
    drbdModuleVersion,
    drbdModuleLoaded,
    disks: buildDisks({ devices, byId, signatures, minDiskBytes: options.minDiskBytes }),
    nics,
    defaultGateway: routes ? defaultGateway(routes) : null,
    md,
    lvm,
    packageFamily: family,
    watchdog,
    failures,
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
