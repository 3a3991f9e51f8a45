// The apply plan as data: ordered steps per node, each with the argv it runs, a read-only check that says
// "already done" (so every run is idempotent and resumes after any interruption) and a verify that says
// "it took". Pure: answers in, steps out. The engine (src/apply/) runs it, plan/<node>.sh prints it, the
// review and `apply --dry-run` show it: one model, so what is reviewed is what runs.
import type { Answers } from '../answers/schema.js';
import { parseLvSize } from '../answers/schema.js';
import { hostAddress, lvPath, mdArrayName, nfsStateDir } from '../answers/derived.js';
import type { Argv, RunResult } from '../exec/runner.js';
import { connectedToPeers, describeDrbdState, drbdStuck, parseDrbdadmStatus, peerConnected, type DrbdResourceStatus } from '../apply/drbd-status.js';
import { failedActions, failedActionsAdvice, monitoredPrimitives, primitiveIdOfType, settleProblems, unconfirmedMonitors } from '../apply/cluster-settle.js';
import { parseCrmMon, type CrmStatus } from '../probes/crm-mon.js';
import { parseShowmountE } from '../probes/nfs.js';
import { renderCibXml, renderCrmConfigXml, renderEarlyCibXml } from './cib-xml.js';
import { STARTUP_PROPERTIES, buildCibModel, drbdPrimitiveId } from './cib-model.js';
import { NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH } from './nfs-conf.js';

/** A read-only command and a pure judgement of its result. */
export interface ProbeCheck {
  kind: 'probe';
  argv: Argv;
  /** What "true" means, in words: shown by --dry-run and in plan/<node>.sh. */
  describe: string;
  judge: (r: RunResult) => boolean;
}

/** A file check: the engine compares mode and sha256 with the export tree's bytes. */
export interface FileCheck {
  kind: 'file';
  argv: Argv;
  describe: string;
  target: string;
}

export type Check = ProbeCheck | FileCheck;

export interface Verify extends ProbeCheck {
  /** Poll until the judge passes or this many ms passed (waits for the cluster); absent = judge once. */
  waitMs?: number;
  intervalMs?: number;
  /**
   * Which progress the screen shows: 'drbd-sync' (the initial sync) or 'drbd-resync' (a resync after a
   * reconnect) while this verify waits; 'md-resync' after the step, in
   * the background while later steps run (md serves I/O while it resyncs: apply never waits for it).
   */
  progress?: 'drbd-sync' | 'drbd-resync' | 'md-resync';
  /** Problems waiting cannot cure (failed actions): the step fails at once, showing them and what to do. */
  blockers?: (r: RunResult) => { lines: string[]; next: string } | null;
  /** Why the judge does not pass, in words: shown when the wait times out. */
  explain?: (r: RunResult) => string[];
  /** What to do when the wait times out, from the last reading; null (or absent): the generic advice. */
  advice?: (r: RunResult) => string | null;
}

/** Where a command's standard input comes from: a file of the export tree, or fixed text. */
export type Stdin =
  | { kind: 'export'; exportPath: string; secret: boolean }
  | { kind: 'text'; text: string }
  /** The live CIB's configuration with our sections merged in: computed by the engine right before it runs. */
  /**
   * over: a configuration for a fresh cluster, given before the whole one: refused (nothing written)
   * when the live CIB holds a resource not in this list (the whole configuration, or anyone's own).
   */
  | { kind: 'cib-merge'; cib: string; over?: string[] };

export interface PlanStep {
  /** Unique: "<node>/<name>" for per-node steps, "cluster/<name>" for cluster-wide ones. */
  id: string;
  /** The node it runs on (cluster-wide steps run on the first node). */
  node: string;
  cluster: boolean;
  title: string;
  why: string;
  destructive: boolean;
  /** Disks this step wipes: listed on the confirmation screen, re-probed right before it runs. */
  wipes: string[];
  /** Needs the admin's consent even when not destructive (installing packages). */
  consent: boolean;
  commands: Argv[];
  /** stdin per command index. */
  stdin: Record<number, Stdin>;
  /** Null: no state to check (wait-only steps); the step always runs its commands and verify. */
  check: Check | null;
  /** Ids of later steps whose "done" implies this one is done (a running cluster proves the packages). */
  doneIf: string[];
  verify: Verify | null;
  /** Steps of one group run on both nodes at once; groups run in order. */
  parallelGroup: string;
  /** Set when running it on a live cluster interrupts the service: said before it runs. */
  interruptsService: string | null;
  /** A state the commands need, checked right before they run (else the step fails and changes nothing). */
  requires?: ProbeCheck;
  /**
   * Also to do, though its own check says done, when one of these steps is to do and `judge` says so of
   * the check's output: the restart a configuration change will need, announced before the run starts.
   */
  alsoAfter?: { steps: string[]; judge: (r: RunResult) => boolean; describe: string };
  /**
   * Runs while the later groups go on, and must be done before group `before` starts (and before apply
   * ends): work nothing in between depends on and that collides with nothing else (the boot symlinks,
   * once the foreground's last systemctl enable/disable is done; the ping clone on a fresh cluster). A
   * node's background steps run one after another in plan order. Only light work belongs here: on the
   * lab's shared cores, a lane of file writes and a daemon-reload slowed the foreground more than it saved.
   */
  background?: { before: string };
  /**
   * Its commands may run again on a node where they already ran (the same bytes written, a unit enabled,
   * a directory made, a reload): when the assessment found it to do, its check is not read again right
   * before it runs (one SSH round trip less per step; a run does not wait for the checks of ~30 steps
   * per node). Never on destructive or create-once steps: theirs is always read again.
   */
  repeatable?: true;
  /** What plan/<node>.sh runs instead, where the engine computes something at run time (the CIB merge). */
  script?: { commands: Argv[]; stdin: Record<number, Stdin>; note: string };
}

/** The node files apply installs: the same targets and modes as export-layout.ts (a test keeps them equal). */
export function nodeFileSpecs(a: Answers): { target: string; mode: number; secret: boolean }[] {
  return [
    { target: '/etc/mdadm/mdadm.conf', mode: 0o644, secret: false },
    { target: `/etc/drbd.d/${a.drbd.resource}.res`, mode: 0o600, secret: true },
    { target: '/etc/corosync/corosync.conf', mode: 0o644, secret: false },
    { target: '/etc/corosync/authkey', mode: 0o400, secret: true },
    { target: '/etc/nfs.conf.d/hanfs.conf', mode: 0o644, secret: false },
    { target: NFSDCLD_DROPIN_PATH, mode: 0o644, secret: false },
    { target: NFS_SCOPE_DROPIN_PATH, mode: 0o644, secret: false },
    { target: '/etc/systemd/system/hanfs-snapshot.service', mode: 0o644, secret: false },
    { target: '/etc/systemd/system/hanfs-snapshot.timer', mode: 0o644, secret: false },
    { target: '/usr/local/sbin/hanfs-snapshot', mode: 0o755, secret: false },
  ];
}

/** Where apply records the sha256 of every file it wrote: a later mismatch means "edited by hand". */
export const APPLIED_RECORD = '/var/lib/hanfs-wizard/applied.sha256';

/**
 * Prints "<mode> <sha256> <recorded sha256>" for the file $1 ("- -" when absent, "-" when never recorded).
 * Fixed text: the path only ever arrives as a positional argument.
 */
export const FILE_STATE_SCRIPT =
  'if [ -e "$1" ]; then m=$(stat -c %a -- "$1") && h=$(sha256sum -- "$1" | cut -d " " -f 1) || exit 1; else m=-; h=-; fi; ' +
  `r=$(awk -v f="$1" 'substr($0, 67) == f { h = $1 } END { print h }' ${APPLIED_RECORD} 2>/dev/null); ` +
  'printf "%s %s %s\\n" "$m" "$h" "${r:--}"';

/**
 * Writes stdin to $1 with mode $2 atomically (temp file + rename), so a reader never sees half a file; the
 * temp file is private (umask 077) until its final mode is set. Missing directories get the usual 0755.
 */
export const WRITE_FILE_SCRIPT =
  'set -e; mkdir -p -- "$(dirname -- "$1")"; umask 077; t="$1.hanfs-new"; cat > "$t"; chmod "$2" "$t"; mv -f -- "$t" "$1"';

/**
 * Records $1's current sha256 in the applied record (replacing its old line: "<64 hex>  <path>", path from
 * column 67). Under flock: two unlocked rewrites of the record at once (two apply runs, or a background
 * step that writes a file beside the foreground) lose a line or collide on the temp file (seen in the
 * lab: "mv: cannot stat '/var/lib/hanfs-wizard/applied.sha256.new'").
 */
// umask 077 (issue 25): the record holds the sha256 of the DRBD resource file, which carries the secret;
// owner-only like the file itself. The record is rewritten through .new + mv, so an older 0644 record
// becomes 0600 at its next write.
export const RECORD_FILE_SCRIPT =
  `set -e; umask 077; mkdir -p ${APPLIED_RECORD.replace(/\/[^/]+$/, '')}; touch ${APPLIED_RECORD}; exec 9>>${APPLIED_RECORD}.lock; flock 9; ` +
  `h=$(sha256sum -- "$1" | cut -d " " -f 1); ` +
  `{ awk -v f="$1" 'substr($0, 67) != f' ${APPLIED_RECORD}; printf "%s  %s\\n" "$h" "$1"; } > ${APPLIED_RECORD}.new; mv -f ${APPLIED_RECORD}.new ${APPLIED_RECORD}; ` +
  // Then the file's state as FILE_STATE_SCRIPT prints it: apply reads the write back from this line
  // instead of a command of its own (one SSH round trip less per file).
  FILE_STATE_SCRIPT;

/**
 * WRITE_FILE_SCRIPT then RECORD_FILE_SCRIPT in one command, for a file with nothing to run between them:
 * one SSH round trip less per file (0.5-0.8 s each on the emulated lab). The write runs in a subshell, so
 * its umask stays its own. Same arguments as WRITE_FILE_SCRIPT.
 */
export const WRITE_AND_RECORD_FILE_SCRIPT = `set -e; (${WRITE_FILE_SCRIPT}); ${RECORD_FILE_SCRIPT}`;

/**
 * A file step with one command between the write and the record (corosync.conf's reload, the DRBD
 * resource file's adjust) in one command: WRITE_FILE_SCRIPT for $1 (mode $2, the bytes on stdin), then
 * the command given as the remaining arguments (an argv, run as it is, stdin closed), then
 * RECORD_FILE_SCRIPT for $1, only if that command succeeded. Three SSH commands were 3-4.5 s of each
 * node's path to the cluster start on the lab (journal of 2026-11-27 11:12).
 */
export const WRITE_RUN_AND_RECORD_FILE_SCRIPT = `set -e; (${WRITE_FILE_SCRIPT}); p=$1; shift 2; "$@" </dev/null; set -- "$p"; ${RECORD_FILE_SCRIPT}`;

/**
 * Several files written and recorded in one command, for plain file steps (WRITE_AND_RECORD_FILE_SCRIPT
 * and nothing else) that run one after another on a node: the engine sends them together. Arguments are
 * "<path> <mode>" pairs; standard input holds, per file in that order, a line with its byte count and
 * then exactly that many bytes (`read` takes the line a byte at a time, `head -c` the bytes). Under one
 * flock it writes each file as WRITE_FILE_SCRIPT does, then records them all in one pass and prints one
 * FILE_STATE_SCRIPT line per file (mode, sha256, recorded sha256), in order. The engine reads each back
 * from its line and compares it with the export tree's bytes, as for a single file, so a short input
 * fails the step. About 5 programs per file, not 16: on the lab each program costs an emulated vCPU
 * 50-150 ms, and the six NFS and snapshot files took 17.6 s of each node's path to the CIB one by one
 * (apply journal of 2026-11-27 07:59).
 */
export const WRITE_AND_RECORD_FILES_SCRIPT =
  // The record and its lock owner-only (see RECORD_FILE_SCRIPT); the written files' directories keep 0755.
  `set -e; (umask 077; mkdir -p ${APPLIED_RECORD.replace(/\/[^/]+$/, '')}; touch ${APPLIED_RECORD} ${APPLIED_RECORD}.lock); exec 9>>${APPLIED_RECORD}.lock; flock 9; ` +
  // Each pair is taken from the front and its path put back at the end: afterwards "$@" is the paths.
  'k=$(($# / 2)); while [ "$k" -gt 0 ]; do p=$1; m=$2; shift 2; set -- "$@" "$p"; k=$((k - 1)); ' +
  'IFS= read -r b || b=; case $b in ""|*[!0-9]*) echo "hanfs-wizard: no byte count for $p" >&2; exit 1;; esac; ' +
  'mkdir -p -- "${p%/*}"; t="$p.hanfs-new"; (umask 077; head -c "$b" > "$t"); chmod "$m" "$t"; mv -f -- "$t" "$p"; done; ' +
  `umask 077; sha256sum -- "$@" > ${APPLIED_RECORD}.add; ` +
  `awk 'NR == FNR { add[++n] = $0; new[substr($0, 67)] = 1; next } !(substr($0, 67) in new) { print } END { for (i = 1; i <= n; i++) print add[i] }' ${APPLIED_RECORD}.add ${APPLIED_RECORD} > ${APPLIED_RECORD}.new; ` +
  `mv -f ${APPLIED_RECORD}.new ${APPLIED_RECORD}; ` +
  `stat -c %a -- "$@" | awk -v f=${APPLIED_RECORD}.add '{ getline l < f; h = substr(l, 1, 64); print $1, h, h }'; rm -f ${APPLIED_RECORD}.add`;

/** WRITE_AND_RECORD_FILES_SCRIPT's standard input for these contents, in order. */
export function filesInput(contents: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(contents.flatMap((c) => {
    const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
    return [Buffer.from(`${b.length}\n`), b];
  }));
}

const MDSTAT: Argv = ['cat', '/proc/mdstat'];
const PROC_DRBD: Argv = ['cat', '/proc/drbd'];
const DRBD_STATUS: Argv = ['drbdadm', 'status'];
const CRM_MON: Argv = ['crm_mon', '-1', '--output-as=xml'];
const LVS: Argv = ['lvs', '--reportformat', 'json'];
const CIB_QUERY: Argv = ['cibadmin', '-Q'];

const PACKAGES_DEBIAN = ['drbd-utils', 'pacemaker', 'pacemaker-cli-utils', 'corosync', 'resource-agents', 'nfs-kernel-server', 'mdadm', 'lvm2'];
/** Installs with the node's own package manager; fixed script, no user values. */
const INSTALL_SCRIPT =
  'set -e; if command -v apt-get >/dev/null; then export DEBIAN_FRONTEND=noninteractive; apt-get install -y --no-install-recommends ' +
  PACKAGES_DEBIAN.join(' ') +
  '; elif command -v dnf >/dev/null; then dnf install -y drbd-utils pacemaker corosync resource-agents nfs-utils mdadm lvm2; ' +
  'else echo "no apt-get or dnf: install the packages by hand (docs/apply.md)" >&2; exit 1; fi';
const PROGRAMS = ['mdadm', 'pvcreate', 'drbdadm', 'corosync', 'pacemakerd', 'crm_mon', 'cibadmin', 'crm_attribute', 'exportfs'];
/** Exit 0 when every program is on PATH: the distribution-neutral "packages installed". */
const HAVE_PROGRAMS_SCRIPT = 'for p in "$@"; do command -v "$p" >/dev/null || { echo "missing: $p"; exit 1; }; done';
/** Unit files apply installs or changes (drop-ins included): systemd must have read them all. */
export const OUR_UNITS = ['nfs-server.service', 'nfsdcld.service', 'hanfs-snapshot.service', 'hanfs-snapshot.timer'];
/** The drop-ins apply adds to the distribution's units: systemd must list each among the unit's loaded ones. */
const OUR_DROPINS: Record<string, string> = { 'nfs-server.service': NFS_SCOPE_DROPIN_PATH, 'nfsdcld.service': NFSDCLD_DROPIN_PATH };
export const UNITS_STATE_ARGV: Argv = ['systemctl', 'show', '-p', 'LoadState', '-p', 'NeedDaemonReload', '-p', 'DropInPaths', ...OUR_UNITS];

/**
 * From `systemctl show -p LoadState -p NeedDaemonReload -p DropInPaths` of OUR_UNITS (one block per unit,
 * in that order, blank lines between): every unit loaded, none with files changed since systemd read them,
 * and our drop-ins among the ones it loaded. NeedDaemonReload alone is not enough: a drop-in directory
 * that did not exist when systemd loaded the unit is not watched, so a new drop-in leaves it at "no"
 * (the lab: nfs-server then started without the server-scope drop-in; test/fixtures/apply/unit-reload).
 */
export function unitsLoaded(r: RunResult): boolean {
  if (!ok(r)) return false;
  const blocks = r.stdout.trim().split(/\n\s*\n/);
  if (blocks.length !== OUR_UNITS.length) return false;
  return blocks.every((b, i) => {
    const prop = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(b)?.[1]?.trim();
    const dropin = OUR_DROPINS[OUR_UNITS[i]!];
    return prop('LoadState') === 'loaded' && prop('NeedDaemonReload') === 'no' && (dropin === undefined || (prop('DropInPaths') ?? '').split(/\s+/).includes(dropin));
  });
}

/**
 * After corosync.conf changed: a cluster that runs resources reloads it in place (corosync-cfgtool -R); a
 * Corosync that runs without any resource is the distribution package's default cluster, started at
 * install time with its own configuration: it is stopped, and "start Corosync and Pacemaker" starts ours.
 */
const COROSYNC_RELOAD_SCRIPT =
  'if systemctl is-active -q corosync; then ' +
  'if cibadmin -Q -o resources 2>/dev/null | grep -q "<primitive"; then corosync-cfgtool -R; ' +
  'else systemctl stop pacemaker corosync; fi; fi';

/** Pacemaker's on-disk CIB (pacemaker-based reads it at start; libcib writes it with its digest under CIB_file). */
export const PACEMAKER_CIB_PATH = '/var/lib/pacemaker/cib/cib.xml';

/**
 * Read-only state for "<node>/cib-seed" ($1 the CIB file, then name/value pairs): "pacemaker: active" or
 * "inactive"; with Pacemaker stopped, "cib: absent" when there is no CIB file (the end), else the file is
 * read (CIB_file); "resources: yes" (the end) or "no", then "<name>=<value>" per property (empty when
 * unset). Fixed text: the values arrive as positional arguments.
 */
export const CIB_SEED_STATE_SCRIPT =
  'c=$1; shift; ' +
  'if systemctl is-active -q pacemaker; then echo "pacemaker: active"; ' +
  'else echo "pacemaker: inactive"; [ -e "$c" ] || { echo "cib: absent"; exit 0; }; export CIB_file="$c"; fi; ' +
  'if cibadmin -Q -o resources 2>/dev/null | grep -q "<primitive"; then echo "resources: yes"; exit 0; fi; ' +
  'echo "resources: no"; ' +
  'while [ $# -ge 2 ]; do printf "%s=%s\\n" "$1" "$(crm_attribute --type crm_config --name "$1" --query --quiet 2>/dev/null)"; shift 2; done';

/**
 * Merges the start-up properties (standard input: a crm_config section) into a stopped node's CIB ($1)
 * that holds no resource, through libcib's offline mode (CIB_file: the live file is archived and
 * rewritten with its digest, owned by hacluster); a node with no CIB gets `cibadmin --empty` first. One
 * `cibadmin --modify` for all of them (three crm_attribute writes took 2.6-4 s on the lab, right before
 * the cluster starts). Leaves alone a node where Pacemaker runs (its configuration changes through the
 * cluster) and a CIB with resources (someone's configuration). Fixed text; only the modify reads stdin.
 */
export const CIB_SEED_SCRIPT =
  'set -e; c=$1; ' +
  'if systemctl is-active -q pacemaker </dev/null; then echo "Pacemaker runs here: its options are set with the configuration" >&2; exit 0; fi; ' +
  'if [ -e "$c" ] && CIB_file="$c" cibadmin -Q -o resources </dev/null 2>/dev/null | grep -q "<primitive"; then echo "$c holds resources: left as it is" >&2; exit 0; fi; ' +
  'if [ ! -e "$c" ]; then t="$c.hanfs-new"; cibadmin --empty </dev/null > "$t"; chown hacluster:haclient "$t" 2>/dev/null || true; chmod 600 "$t"; mv -- "$t" "$c"; fi; ' +
  'CIB_file="$c" cibadmin --modify --scope crm_config --xml-pipe';

export interface CibSeedState {
  active: boolean;
  /** No CIB file on a node where Pacemaker is stopped. */
  absent: boolean;
  resources: boolean;
  properties: Record<string, string>;
}

/** CIB_SEED_STATE_SCRIPT's output, or null when it did not run or printed something else. */
export function parseCibSeedState(r: RunResult): CibSeedState | null {
  if (!ok(r)) return null;
  const lines = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const pm = /^pacemaker: (active|inactive)$/.exec(lines[0] ?? '');
  if (!pm) return null;
  const st: CibSeedState = { active: pm[1] === 'active', absent: false, resources: false, properties: {} };
  for (const l of lines.slice(1)) {
    if (l === 'cib: absent') st.absent = true;
    else if (l === 'resources: yes') st.resources = true;
    else if (l === 'resources: no') continue;
    else {
      const m = /^([A-Za-z0-9_-]+)=(.*)$/.exec(l);
      if (!m) return null;
      st.properties[m[1]!] = m[2]!;
    }
  }
  return st;
}

/**
 * Nothing to seed: the CIB holds resources (a configured cluster: the properties come with the
 * configuration, someone's own CIB is not ours to touch) or already has every property at its value.
 */
export function cibSeeded(st: CibSeedState | null, props: readonly (readonly [string, string])[]): boolean {
  if (!st) return false;
  if (st.resources) return true;
  return !st.absent && props.every(([k, v]) => st.properties[k] === v);
}

/**
 * Prints what decides whether the NFS server must restart for its configuration ($1 the Pacemaker
 * resource, $2 this node's name, then the configuration files): where Pacemaker runs the resource
 * (crm_resource --locate; empty without a cluster), whether nfs-server.service is active here, when it
 * became active and the newest configuration file's mtime (seconds since the epoch). Fixed text: the
 * values arrive as positional arguments. Read-only.
 */
export const NFS_SERVER_STATE_SCRIPT =
  'r=$1; n=$2; shift 2; ' +
  'printf "locate: %s\\n" "$(crm_resource --locate --resource "$r" 2>/dev/null | tr "\\n" " ")"; ' +
  'printf "node: %s\\n" "$n"; ' +
  'printf "active: %s\\n" "$(systemctl is-active nfs-server.service 2>/dev/null)"; ' +
  't=$(systemctl show -p ActiveEnterTimestamp --value nfs-server.service 2>/dev/null); ' +
  'printf "started: %s\\n" "$( [ -n "$t" ] && date -d "$t" +%s 2>/dev/null || echo -)"; ' +
  'm=-; for f in "$@"; do [ -e "$f" ] || continue; x=$(stat -c %Y -- "$f"); if [ "$m" = - ] || [ "$x" -gt "$m" ]; then m=$x; fi; done; ' +
  'printf "config: %s\\n" "$m"';

/**
 * Pure judge of NFS_SERVER_STATE_SCRIPT's output: a restart is needed when Pacemaker runs the NFS server
 * on this node, the unit is active and it became active before the configuration was last written. Same
 * second counts as "after" (timestamps are whole seconds): a restart right after the write must not be
 * asked again by the next run.
 */
export function nfsRestartNeeded(r: RunResult): boolean {
  const f = nfsServerState(r);
  if (f === null || !nfsServerRunsHere(r)) return false;
  const started = Number(f.started);
  const config = Number(f.config);
  return Number.isFinite(started) && Number.isFinite(config) && started < config;
}

/** Pacemaker runs the NFS server on this node and its unit is active (NFS_SERVER_STATE_SCRIPT's output). */
export function nfsServerRunsHere(r: RunResult): boolean {
  const f = nfsServerState(r);
  if (f === null) return false;
  const node = f.node ?? '';
  const here = node !== '' && new RegExp(`is running on: ${node.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(f.locate ?? '');
  return here && f.active === 'active';
}

function nfsServerState(r: RunResult): Record<string, string> | null {
  if (!ok(r)) return null;
  const f: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w+): ?(.*)$/.exec(line);
    if (m) f[m[1]!] = m[2]!.trim();
  }
  return f;
}

// ---- judges (pure) -------------------------------------------------------------------------------

const ok = (r: RunResult) => r.exitCode === 0 && r.error === undefined && !r.timedOut && !r.aborted;

function drbdRes(r: RunResult, res: string): DrbdResourceStatus | null {
  if (!ok(r)) return null;
  return parseDrbdadmStatus(r.stdout).find((x) => x.name === res) ?? null;
}

function crm(r: RunResult): CrmStatus | null {
  if (r.error !== undefined) return null;
  const c = parseCrmMon(r.stdout);
  return c.ok ? c : null;
}

function lvExists(r: RunResult, vg: string, lv: string): boolean {
  if (!ok(r)) return false;
  try {
    const doc = JSON.parse(r.stdout) as { report?: { lv?: { lv_name?: string; vg_name?: string }[] }[] };
    return (doc.report ?? []).some((rep) => (rep.lv ?? []).some((l) => l.lv_name === lv && l.vg_name === vg));
  } catch {
    return false;
  }
}

function mdActive(r: RunResult, device: string): boolean {
  if (!ok(r)) return false;
  const name = device.replace(/^\/dev\//, '');
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} : active (\\([^)]*\\) )?raid1 `, 'm').test(r.stdout);
}

/** The CIB sections apply owns, as a set of element signatures: equal sets = nothing to change. */
export function cibSection(xml: string, section: string): string | null {
  const self = new RegExp(`<${section}\\s*/>`).exec(xml);
  const m = new RegExp(`<${section}(\\s[^>]*)?>[\\s\\S]*?</${section}>`).exec(xml);
  if (m) return m[0];
  return self ? self[0] : null;
}

export function elementSignatures(section: string): string[] {
  const out: string[] = [];
  for (const m of section.matchAll(/<([A-Za-z_][\w-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*\/?>/g)) {
    const attrs = [...m[2]!.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)].map((x) => `${x[1]}=${x[2]}`).sort();
    out.push(`${m[1]} ${attrs.join(' ')}`);
  }
  return out.sort();
}

/**
 * The constraints DRBD's fence-peer handler placed (crm-fence-peer.sh / crm-fence-peer.9.sh of drbd-utils,
 * default id prefix "drbd-fence-by-handler", ids "drbd-fence-by-handler-<resource>-<promotable clone>"):
 * while the peer is outdated they forbid promoting it, and the handler removes them after its resync. Not
 * ours to compare or replace: an apply that dropped one during a replication outage would let Pacemaker
 * promote the outdated node if the Primary then failed.
 */
export function fenceHandlerConstraints(constraints: string): string[] {
  return [...constraints.matchAll(/<rsc_location\b[^>]*\bid="drbd-fence-by-handler-[^"]*"[^>]*(?<!\/)>[\s\S]*?<\/rsc_location>/g)].map((m) => m[0]);
}

function withoutFenceHandlerConstraints(constraints: string): string {
  let out = constraints;
  for (const c of fenceHandlerConstraints(constraints)) out = out.replace(c, '');
  return out;
}

/** Sections whose elements differ between the live CIB and ours (crm_config/rsc_defaults: ours must be contained). */
export function cibDifferences(live: string, ours: string): string[] {
  const diffs: string[] = [];
  for (const s of CIB_SECTIONS) {
    const liveSection = cibSection(live, s.name) ?? '';
    const l = elementSignatures(withoutEmptySets(s.name === 'constraints' ? withoutFenceHandlerConstraints(liveSection) : liveSection));
    const o = elementSignatures(withoutEmptySets(cibSection(ours, s.name) ?? ''));
    const same = s.merge ? o.every((x) => x.startsWith(`${s.name} `) || l.includes(x)) : l.join('\n') === o.join('\n');
    if (!same) diffs.push(s.name);
  }
  return diffs;
}

/**
 * An attribute set with no nvpair in it means nothing to Pacemaker, and Pacemaker's own tools leave them
 * behind: `crm_resource --restart` (which apply runs after an NFS configuration change) sets target-role in
 * a new `<meta_attributes id="<rsc>-meta_attributes">`, then deletes the nvpair and keeps the empty set.
 * Counted, it made the next apply of an unchanged cluster rewrite the CIB (seen on the lab).
 */
export function withoutEmptySets(section: string): string {
  return section.replace(/<(meta_attributes|instance_attributes|utilization)\b[^>]*?(?:\/>|>\s*<\/\1>)/g, '');
}

/** crm_config and rsc_defaults are merged (Pacemaker keeps its own properties there); the rest replaced. */
export const CIB_SECTIONS = [
  { name: 'crm_config', merge: true },
  { name: 'rsc_defaults', merge: true },
  { name: 'resources', merge: false },
  { name: 'constraints', merge: false },
] as const;

/** Does this CIB (a whole one, or its resources section) hold any resource? */
export function cibHasResources(cib: string): boolean {
  return /<primitive\b/.test(cibSection(cib, 'resources') ?? '');
}

/** The ids of every resource in this CIB's resources section: primitives, clones, groups, bundles. */
export function cibResourceIds(cib: string): string[] {
  const res = cibSection(cib, 'resources') ?? '';
  return [...res.matchAll(/<(?:primitive|clone|master|group|bundle)\b[^>]*?\bid="([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * The live CIB's <configuration> with ours merged in: resources, constraints and rsc_defaults replaced by
 * ours (constraints keep the DRBD fence-peer handler's, if any); crm_config keeps Pacemaker's own
 * properties (dc-version, cluster-infrastructure...) and gets ours (same name: ours wins); nodes and every
 * other section stay as they are.
 */
export function mergeCibConfiguration(live: string, ours: string): string | null {
  const cfg = cibSection(live, 'configuration');
  if (cfg === null) return null;
  let out = cfg.endsWith('/>') ? '<configuration>\n</configuration>' : cfg;
  const put = (name: string, xml: string) => {
    const cur = cibSection(out, name);
    // Replacer functions: the XML (fence agents' passwords included) may hold "$&" and the like.
    out = cur !== null ? out.replace(cur, () => xml) : out.replace('</configuration>', () => `${xml}\n</configuration>`);
  };
  // The fence-peer handler's constraints stay (fenceHandlerConstraints): its own unfence removes them.
  const fences = fenceHandlerConstraints(cibSection(out, 'constraints') ?? '');
  const oursCons = cibSection(ours, 'constraints') ?? '<constraints/>';
  const constraints = fences.length === 0 ? oursCons
    : oursCons.endsWith('/>') ? `<constraints>\n${fences.join('\n')}\n</constraints>`
    : oursCons.replace(/<\/constraints>$/, () => `${fences.join('\n')}\n</constraints>`);
  put('resources', cibSection(ours, 'resources') ?? '<resources/>');
  put('constraints', constraints);
  put('rsc_defaults', cibSection(ours, 'rsc_defaults') ?? '<rsc_defaults/>');
  const ourSet = /<cluster_property_set id="cib-bootstrap-options">([\s\S]*?)<\/cluster_property_set>/.exec(cibSection(ours, 'crm_config') ?? '');
  if (ourSet) {
    const ourPairs = [...ourSet[1]!.matchAll(/<nvpair\b[^>]*\/>/g)].map((m) => m[0]);
    const names = new Set(ourPairs.map((p) => /\bname="([^"]*)"/.exec(p)?.[1]));
    const crm = cibSection(out, 'crm_config');
    const liveSet = crm ? /<cluster_property_set\b[^>]*\bid="cib-bootstrap-options"[^>]*>([\s\S]*?)<\/cluster_property_set>/.exec(crm) : null;
    let nextCrm: string;
    if (crm && liveSet) {
      const kept = [...liveSet[1]!.matchAll(/<nvpair\b[^>]*\/>/g)].map((m) => m[0]).filter((p) => !names.has(/\bname="([^"]*)"/.exec(p)?.[1]));
      const open = /^<cluster_property_set\b[^>]*>/.exec(liveSet[0])![0];
      nextCrm = crm.replace(liveSet[0], () => `${open}\n${[...kept, ...ourPairs].join('\n')}\n</cluster_property_set>`);
    } else {
      const inner = ourSet[0];
      nextCrm = crm && !crm.endsWith('/>') ? crm.replace('</crm_config>', () => `${inner}\n</crm_config>`) : `<crm_config>\n${inner}\n</crm_config>`;
    }
    put('crm_config', nextCrm);
  }
  return `${out}\n`;
}

// ---- the plan ------------------------------------------------------------------------------------

function step(s: Partial<PlanStep> & Pick<PlanStep, 'id' | 'node' | 'title' | 'why' | 'parallelGroup'>): PlanStep {
  return {
    cluster: false, destructive: false, wipes: [], consent: false, commands: [], stdin: {}, check: null, doneIf: [], verify: null,
    interruptsService: null, ...s,
  };
}

export function planSteps(a: Answers): PlanStep[] {
  const [n1, n2] = a.nodes;
  const names = [n1.name, n2.name];
  const res = a.drbd.resource;
  const lv = lvPath(a);
  const files = nodeFileSpecs(a);
  // The properties that act before any configuration is loaded, as the configuration sets them.
  const seedPairs = buildCibModel(a).properties.filter(([k]) => (STARTUP_PROPERTIES as readonly string[]).includes(k));
  const seedState: Argv = ['sh', '-c', CIB_SEED_STATE_SCRIPT, '--', PACEMAKER_CIB_PATH, ...seedPairs.flat()];
  // A node's background steps (PlanStep.background) are all done before the configuration loads.
  const BESIDE = { before: '17-cib' };
  const fileStep = (node: string, target: string, group: string, extra: Argv[] = [], why = 'generated from the answers; the same bytes as the export tree'): PlanStep => {
    const spec = files.find((f) => f.target === target)!;
    return step({
      repeatable: true,
      id: `${node}/file:${target}`,
      node,
      title: `install ${target}`,
      why,
      parallelGroup: group,
      // Recorded only once the commands after the write succeeded (a reload that fails leaves it to do).
      commands: extra.length === 0
        ? [['sh', '-c', WRITE_AND_RECORD_FILE_SCRIPT, '--', target, spec.mode.toString(8)]]
        : extra.length === 1
          ? [['sh', '-c', WRITE_RUN_AND_RECORD_FILE_SCRIPT, '--', target, spec.mode.toString(8), ...extra[0]!]]
          : [['sh', '-c', WRITE_FILE_SCRIPT, '--', target, spec.mode.toString(8)], ...extra, ['sh', '-c', RECORD_FILE_SCRIPT, '--', target]],
      stdin: { 0: { kind: 'export', exportPath: `${node}${target}`, secret: spec.secret } },
      check: { kind: 'file', argv: ['sh', '-c', FILE_STATE_SCRIPT, '--', target], describe: `${target} has the generated bytes and mode ${spec.mode.toString(8)}`, target },
    });
  };
  const clusterRunning: ProbeCheck = {
    kind: 'probe',
    argv: CRM_MON,
    describe: `Pacemaker runs with ${names.join(' and ')} online`,
    judge: (r) => {
      const c = crm(r);
      return c !== null && names.every((n) => c.nodes.some((x) => x.name === n && x.online));
    },
  };
  // "The cluster took over": both online and our DRBD resource in its configuration. This, not "the
  // cluster runs", is what implies the disk and DRBD steps are done: Pacemaker is started early, before
  // they run, and its configuration is loaded only after DRBD is handed over (the lab caught a plan
  // that skipped create-md because an early-started cluster "proved" it).
  const drbdRsc = drbdPrimitiveId(a);
  const clusterOwnsDrbd: ProbeCheck = {
    kind: 'probe',
    argv: CRM_MON,
    describe: `Pacemaker runs with ${names.join(' and ')} online and manages ${drbdRsc}`,
    judge: (r) => clusterRunning.judge(r) && crm(r)!.resources.some((x) => x.id === drbdRsc || x.id.startsWith(`${drbdRsc}:`)),
  };
  const cib = renderCibXml(a);
  const steps: PlanStep[] = [];
  // The ping clone first, on a fresh cluster, among the first node's background steps once both nodes are
  // online: its probes, its start and its first attribute (dampened) are done while the disks are
  // prepared. The NFS group may run only where the ping attribute is set (loc_nfs_needs_ping), so loaded
  // with everything else it held the filesystem's start back until the ping clone had started and its
  // attribute was written: 13 s of the lab's settle (controller log, 2026-11-27 04:39), besides its four
  // probes in the same throttled transitions. Never on a cluster that has resources (the check, and the
  // engine refuses the merge then): cluster/cib loads and replaces the whole configuration.
  const hasResources = (r: RunResult) => ok(r) && cibHasResources(r.stdout);
  // What an early configuration may be loaded over: nothing, or the ping clone and the fence devices.
  const earlyIds = cibResourceIds(renderEarlyCibXml(a, 'ping'));
  // Nothing early left to load: the CIB has more than that (ours, held or whole; or anyone's resource,
  // which an early load would refuse every time: cluster/cib alone then decides, as it always did).
  const pastEarly = (r: RunResult) => ok(r) && cibResourceIds(r.stdout).some((id) => !earlyIds.includes(id));
  const pastEarlyText = 'the cluster\'s configuration holds more than the ping clone and the fence devices';
  // Both nodes online and a DC elected: when a configuration may be loaded.
  const onlineWithDc: Verify = { ...clusterRunning, judge: (r) => clusterRunning.judge(r) && crm(r)?.dc !== null, waitMs: 300_000 };
  const pingFirst: PlanStep[] = [
    step({
      id: 'cluster/early-online', node: n1.name, cluster: true, title: 'wait until both nodes are online (for the early configuration)', parallelGroup: '02-cluster-enable', background: BESIDE,
      why: 'the ping clone, then the configuration with the NFS group held stopped, are loaded once both nodes are members and a DC is elected',
      script: { commands: [], stdin: {}, note: 'apply waits here only to load parts of the configuration early; this script waits for both nodes further down, before it loads the whole configuration' },
      // Done once nothing early is left to load: the wait also serves cluster/cib-held, which comes after
      // cluster/cib-ping in this lane (a run resumed after the ping clone was loaded still waits).
      check: { kind: 'probe', argv: CIB_QUERY, describe: pastEarlyText, judge: pastEarly },
      // Every 5 s, not 3: nothing but the ping clone waits for it, and each read takes CPU the disk steps
      // beside it need (on the lab the nodes took 36 s to come online after the cluster started).
      verify: { ...onlineWithDc, intervalMs: 5000 },
    }),
    step({
      id: 'cluster/cib-ping', node: n1.name, cluster: true, title: 'load the ping clone first', parallelGroup: '02-cluster-enable', background: BESIDE,
      why: 'the service-network check runs and publishes its attribute while the disks are prepared, so the service starts as soon as DRBD is promoted',
      commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
      stdin: { 0: { kind: 'cib-merge', cib: renderEarlyCibXml(a, 'ping'), over: earlyIds } },
      script: { commands: [], stdin: {}, note: 'apply loads the ping clone first on a fresh cluster, to save time; this script loads the whole configuration at once further down' },
      check: { kind: 'probe', argv: CIB_QUERY, describe: 'the cluster has resources (the ping clone, or the whole configuration)', judge: hasResources },
      doneIf: ['cluster/cib'],
    }),
  ];

  for (const n of a.nodes) {
    const named: ProbeCheck = { kind: 'probe', argv: ['uname', '-n'], describe: `uname -n is ${n.name}`, judge: (r) => ok(r) && r.stdout.trim() === n.name };
    steps.push(
      step({
        id: `${n.name}/node-name`, node: n.name, title: `check that this node is ${n.name}`, parallelGroup: '00-preflight',
        why: 'DRBD and Corosync find their own section by the host name: a mismatch fails later and obscurely',
        check: named,
        verify: { ...named, describe: `uname -n is ${n.name} (else: fix nodes[].name or the host name, nothing was changed)` },
      }),
      step({
        id: `${n.name}/packages`, node: n.name, title: 'install the cluster packages', consent: true, parallelGroup: '01-packages',
        why: 'mdadm, LVM, DRBD, Corosync, Pacemaker and the NFS server come from the distribution',
        commands: [['sh', '-c', INSTALL_SCRIPT]],
        check: { kind: 'probe', argv: ['sh', '-c', HAVE_PROGRAMS_SCRIPT, '--', ...PROGRAMS], describe: `${PROGRAMS.join(', ')} are installed`, judge: ok },
        doneIf: ['cluster/cluster-online'],
      }),
      step({
        repeatable: true, id: `${n.name}/modprobe`, node: n.name, title: 'load the DRBD kernel module', parallelGroup: '02-modules',
        why: 'drbdadm needs the module; Pacemaker loads it itself after a reboot',
        commands: [['modprobe', 'drbd']],
        check: { kind: 'probe', argv: PROC_DRBD, describe: '/proc/drbd exists', judge: (r) => ok(r) && /^version:/m.test(r.stdout) },
      }),
      fileStep(n.name, '/etc/corosync/authkey', '02-corosync', [], 'generated once from the CSPRNG, the same on both nodes, 0400'),
      // The configuration files the disks need are written with Corosync's, before the cluster starts:
      // the daemons' start-up takes the nodes' CPUs for about 15 s, and the lab's mdadm.conf and DRBD
      // resource file writes took 6.5 and 4.5 s beside it, 1-2 s before it (journals of 2026-11-27 10:50
      // and 11:02). mdadm.conf names the array (any:name), not its UUID, so it is complete before the array
      // exists; the DRBD resource file needs nothing of the disks (`drbdadm adjust` only where it is up).
      fileStep(n.name, '/etc/mdadm/mdadm.conf', '02-corosync', [], 'names the array so it assembles as itself at boot'),
      fileStep(n.name, '/etc/corosync/corosync.conf', '02-corosync', [['sh', '-c', COROSYNC_RELOAD_SCRIPT]],
        'both nodes, the replication link as ring 0; a running cluster reloads it, a package\'s default one is stopped'),
      fileStep(n.name, `/etc/drbd.d/${res}.res`, '02-corosync',
        [['sh', '-c', 'if drbdadm status "$1" >/dev/null 2>&1; then drbdadm adjust "$1"; fi', '--', res]],
        'the DRBD resource, identical on both nodes, with the shared secret; a running resource is adjusted in place'),
      step({
        repeatable: true, id: `${n.name}/cib-seed`, node: n.name, title: 'set the cluster\'s start-up options before its first start', parallelGroup: '02-corosync',
        why: 'a first start elects its DC after 5 s instead of 20 s, and the first transitions are not throttled by the load average',
        // Before the first start the CIB is empty, so Pacemaker's defaults rule until the first
        // configuration load: both controllers sat 21.6 s in S_PENDING (dc-deadtime, 20 s) and the
        // first transitions ran one action at a time (load-threshold 80%: "High CPU load detected").
        // Seeded (the lab, 2026-11-27): S_PENDING to the DC's integration in 4.8 s, systemctl start to
        // both nodes online in 17 s instead of 35-45 s. Same values as the configuration's properties.
        commands: [['sh', '-c', CIB_SEED_SCRIPT, '--', PACEMAKER_CIB_PATH]],
        stdin: { 0: { kind: 'text', text: renderCrmConfigXml(seedPairs) } },
        check: { kind: 'probe', argv: seedState, describe: `the CIB sets ${seedPairs.map(([k, v]) => `${k}=${v}`).join(', ')} (or holds resources)`, judge: (r) => cibSeeded(parseCibSeedState(r), seedPairs) },
        // No verify read: cibadmin exits non-zero when libcib did not write the file (set -e), and the
        // read would cost a round trip right before the start. The configuration's first load sets the
        // same properties through the cluster in any case.
      }),
      step({
        // Repeatable: starting running units changes nothing, and the crm_mon read it saves took 0.4-3.6 s
        // right before the start on the lab.
        repeatable: true, id: `${n.name}/cluster-start`, node: n.name, title: 'start Corosync and Pacemaker', parallelGroup: '02-cluster-start',
        why: 'the cluster stack decides from now on where DRBD is Primary and NFS runs',
        // Started early, with no resources yet (the configuration is loaded once DRBD is handed over):
        // the nodes find each other and elect a DC while the disks are prepared, instead of after.
        commands: [['systemctl', 'start', 'corosync', 'pacemaker']],
        check: { kind: 'probe', argv: CRM_MON, describe: `Pacemaker runs with ${n.name} online`, judge: (r) => crm(r)?.nodes.some((x) => x.name === n.name && x.online) === true },
      }),
      step({
        repeatable: true, id: `${n.name}/cluster-enable`, node: n.name, title: 'enable Corosync and Pacemaker at boot', parallelGroup: '02-cluster-enable', background: BESIDE,
        // A node that was down (a crash, a reboot) must rejoin and resync by itself. Safe for two nodes:
        // corosync's two_node implies wait_for_all, so a node booting alone gets no quorum and starts
        // nothing until it has seen its peer once.
        why: 'a node that returns rejoins the cluster and resyncs DRBD by itself',
        // Only the boot symlinks of the two native units. SYSTEMCTL_SKIP_SYSV=1 (systemd's documented switch,
        // docs/ENVIRONMENT.md) skips syncing the packages' /etc/init.d scripts with update-rc.d: on systemd
        // the rc links decide nothing for a service that has its own unit, and that sync took 27-60 s per
        // node in the emulated lab (27 s alone, 50-60 s beside the first resource starts). `systemctl
        // is-enabled` (the check) reads the native unit.
        // In the background, done before the configuration is loaded (nothing CPU-heavy runs beside the
        // cluster's first resource starts). --no-reload: the unit files did not change.
        commands: [['env', 'SYSTEMCTL_SKIP_SYSV=1', 'systemctl', 'enable', '--no-reload', 'corosync.service', 'pacemaker.service']],
        check: {
          kind: 'probe', argv: ['systemctl', 'is-enabled', 'corosync.service', 'pacemaker.service'], describe: 'corosync and pacemaker are enabled',
          judge: (r) => r.stdout.trim() !== '' && r.stdout.trim().split('\n').every((l) => l.trim() === 'enabled'),
        },
      }),
      ...(n.name === n1.name ? pingFirst : []),
      step({
        id: `${n.name}/raid`, node: n.name, title: `create RAID1 ${a.raid.device} from ${n.disks.join(' and ')}`, parallelGroup: '03-raid',
        why: 'two local disks mirrored, so one failing disk does not cost this node its copy', destructive: true, wipes: [...n.disks],
        // any:name as mdadm.conf's ARRAY line names it: the wildcard homehost keeps the device name at boot
        // without an initramfs rebuild (mdArrayName).
        commands: [['mdadm', '--create', a.raid.device, '--run', '--metadata=1.2', '--level=1', '--raid-devices=2',
          `--homehost=${mdArrayName(a).split(':')[0]}`, `--name=${mdArrayName(a).split(':')[1]}`, ...n.disks]],
        check: { kind: 'probe', argv: MDSTAT, describe: `${a.raid.device} is an active raid1`, judge: (r) => mdActive(r, a.raid.device) },
        // Not a wait for the resync: md serves reads and writes while it resyncs, so later steps go on and
        // the engine shows the resync's progress in the background (a 4 TB pair must not delay the cluster).
        verify: { kind: 'probe', argv: MDSTAT, describe: `${a.raid.device} is an active raid1`, judge: (r) => mdActive(r, a.raid.device), progress: 'md-resync', intervalMs: 5000 },
        doneIf: [`${n.name}/lvcreate`],
      }),
      step({
        id: `${n.name}/pvcreate`, node: n.name, title: `make ${a.raid.device} an LVM physical volume`, parallelGroup: '05-lvm', destructive: true,
        why: 'LVM on the mirror leaves free space for snapshots',
        commands: [['pvcreate', '-y', a.raid.device]],
        check: { kind: 'probe', argv: ['pvs', '--reportformat', 'json', '--units', 'b'], describe: `${a.raid.device} is a PV`, judge: (r) => ok(r) && r.stdout.includes(`"pv_name":"${a.raid.device}"`) },
        doneIf: [`${n.name}/vgcreate`],
      }),
      step({
        id: `${n.name}/vgcreate`, node: n.name, title: `create volume group ${a.lvm.vg}`, parallelGroup: '05-lvm',
        why: 'the group the data volume and its snapshots share',
        commands: [['vgcreate', a.lvm.vg, a.raid.device]],
        check: { kind: 'probe', argv: ['vgs', '--reportformat', 'json', '--units', 'b'], describe: `VG ${a.lvm.vg} exists`, judge: (r) => ok(r) && r.stdout.includes(`"vg_name":"${a.lvm.vg}"`) },
        doneIf: [`${n.name}/lvcreate`],
      }),
      step({
        id: `${n.name}/lvcreate`, node: n.name, title: `create logical volume ${lv} (${a.lvm.size})`, parallelGroup: '05-lvm',
        why: 'the backing disk of DRBD; what is left of the VG holds snapshots',
        commands: [['lvcreate', '--yes', '--wipesignatures', 'y', '-n', a.lvm.lv, ...lvSizeArgs(a.lvm.size), a.lvm.vg]],
        check: { kind: 'probe', argv: LVS, describe: `LV ${a.lvm.vg}/${a.lvm.lv} exists`, judge: (r) => lvExists(r, a.lvm.vg, a.lvm.lv) },
      }),
      step({
        id: `${n.name}/create-md`, node: n.name, title: `write DRBD metadata on ${lv}`, parallelGroup: '07-drbd-md', destructive: true,
        why: 'DRBD keeps its metadata (generation ids, bitmap) at the end of the backing device',
        commands: [['drbdadm', 'create-md', '--force', res]],
        check: { kind: 'probe', argv: ['drbdadm', 'get-gi', res], describe: `${res} has DRBD metadata`, judge: ok },
        doneIf: [`${n.name}/drbd-up`],
      }),
      step({
        id: `${n.name}/drbd-up`, node: n.name, title: `bring DRBD resource ${res} up`, parallelGroup: '08-drbd-up',
        why: 'attaches the backing disk and starts connecting to the peer',
        commands: [['drbdadm', 'up', res]],
        check: { kind: 'probe', argv: DRBD_STATUS, describe: `${res} is up with its disk attached`, judge: (r) => { const s = drbdRes(r, res); return s !== null && s.disk !== null && s.disk !== 'Diskless'; } },
        doneIf: ['cluster/mkfs', 'cluster/cluster-online'],
      }),
    );
  }

  const primary = n1.name;
  const connectedBoth: ProbeCheck = {
    kind: 'probe', argv: DRBD_STATUS, describe: `${res} is connected to the peer`,
    judge: (r) => { const s = drbdRes(r, res); return s !== null && connectedToPeers(s); },
  };
  const upToDateBoth: ProbeCheck = {
    kind: 'probe', argv: DRBD_STATUS, describe: `${res} is UpToDate on both nodes`,
    judge: (r) => { const s = drbdRes(r, res); return s !== null && s.disk === 'UpToDate' && s.peers.length > 0 && s.peers.every((p) => p.peerDisk === 'UpToDate'); },
  };
  // The skip of the initial sync works only on just-created metadata, both nodes connected, Secondary and
  // Inconsistent (drbdsetup(8) for 8.4, "new-current-uuid": "They are now Connected Secondary/Secondary
  // Inconsistent/Inconsistent"; DRBD 9 user's guide, "Skipping initial resynchronization": after create-md
  // and up on all nodes "drbdadm status should now show all disks as Inconsistent"); checked right before.
  const freshPair: ProbeCheck = {
    kind: 'probe', argv: DRBD_STATUS,
    describe: `${res} is connected, Secondary and Inconsistent on both nodes (just-created metadata)`,
    judge: (r) => {
      const s = drbdRes(r, res);
      return s !== null && s.role === 'Secondary' && s.disk === 'Inconsistent' && s.peers.length > 0 &&
        s.peers.every((p) => peerConnected(p) && p.role === 'Secondary' && p.peerDisk === 'Inconsistent');
    },
  };
  steps.push(
    step({
      id: 'cluster/drbd-connect', node: primary, cluster: true, title: `wait until ${res} is connected`, parallelGroup: '09-drbd-connect',
      why: 'the initial sync and the clear-bitmap need both nodes connected',
      check: connectedBoth, doneIf: ['cluster/initial-sync'],
      verify: { ...connectedBoth, waitMs: 120_000, intervalMs: 2000 },
    }),
    a.drbd.initialSync === 'skip'
      ? step({
          id: 'cluster/initial-sync', node: primary, cluster: true, title: 'skip the initial sync (fresh disks)', parallelGroup: '10-initial-sync', destructive: true,
          why: 'both disks are new: marking them identical makes them UpToDate in seconds whatever their size',
          // On ONE node only, in the documented form: DRBD 9 user's guide (LINBIT/linbit-documentation
          // UG9/en/drbd-configure.adoc, "Skipping initial resynchronization"): `drbdadm new-current-uuid
          // --clear-bitmap <resource>/<volume>`; 8.4: drbdsetup(8) of drbd-utils (documentation/v84/
          // drbdsetup.xml, "new-current-uuid"): `drbdadm new-current-uuid --clear-bitmap <res>`. The
          // older `drbdadm -- --clear-bitmap new-current-uuid` spelling maps to the same drbdsetup call
          // (test/generate/plan-drbd-skip.test.ts runs the real drbdadm to prove the mapping).
          commands: [['drbdadm', 'new-current-uuid', '--clear-bitmap', a.drbd.version === '9' ? `${res}/0` : res]],
          requires: freshPair,
          check: upToDateBoth,
          doneIf: ['cluster/mkfs'],
          verify: { ...upToDateBoth, waitMs: 60_000, intervalMs: 1000 },
        })
      : step({
          id: 'cluster/initial-sync', node: primary, cluster: true, title: `full initial sync from ${primary}`, parallelGroup: '10-initial-sync', destructive: true,
          why: `copies every block of ${primary}'s volume to the peer; the peer's content is overwritten`,
          commands: [['drbdadm', 'primary', '--force', res]],
          check: upToDateBoth,
          doneIf: ['cluster/mkfs'],
          verify: { ...upToDateBoth, waitMs: 7 * 24 * 3600_000, intervalMs: 2000, progress: 'drbd-sync' },
        }),
    step({
      id: 'cluster/mkfs', node: primary, cluster: true, title: `make a ${a.filesystem.type} filesystem on ${a.drbd.device}`, parallelGroup: '11-mkfs', destructive: true,
      why: `only the Primary can write; the export directories and the NFS state directory (${nfsStateDir(a)}) are created in it`,
      commands: [
        ['drbdadm', 'primary', res],
        // Refuses when a filesystem is already there: a resumed run never formats twice. No discard at mkfs
        // (ext4 -E nodiscard, xfs -K): the volume is new, and DRBD 8.4 replicates each discard to the
        // peer, whose LV (on md, no write-zeroes) turns it into zero-page writes of the whole device.
        // ext4 with 4 KiB blocks (-b 4096) whatever the size: mke2fs picks 1 KiB blocks below 512 MiB, and
        // then its zeroing writes start 1 KiB into a 4 KiB block, which DRBD (4 KiB bitmap) and LVM
        // snapshots (4 KiB chunks) only handle as partial blocks. The lab's small volumes hit worse: the
        // peer's virtual disks failed such writes (I/O errors at the same sector in two CI runs, DRBD
        // detached the peer's disk), reproduced by hand in 1 of ~10 mkfs runs with 1 KiB blocks and in
        // none of 40 with 4 KiB (docs/apply.md). Real volumes get 4 KiB blocks from mke2fs anyway.
        ['sh', '-c', 'if blkid -p -u filesystem -- "$1" >/dev/null 2>&1; then echo "refusing: $1 already holds a filesystem" >&2; exit 3; fi; shift; exec "$@"', '--',
          a.drbd.device, ...(a.filesystem.type === 'xfs' ? ['mkfs.xfs', '-q', '-K', '-L', res, a.drbd.device] : ['mkfs.ext4', '-q', '-b', '4096', '-E', 'nodiscard', '-L', res, a.drbd.device])],
        ['sh', '-c', 'set -e; d=$1; m=$2; shift 2; mkdir -p -- "$m"; mount -- "$d" "$m"; mkdir -p -- "$@"; umount -- "$m"', '--',
          a.drbd.device, a.filesystem.mount, ...a.nfs.exports.map((e) => e.path), nfsStateDir(a)],
      ],
      check: {
        kind: 'probe', argv: ['blkid', '-p', '-u', 'filesystem', '-o', 'export', lv], describe: `${lv} carries a ${a.filesystem.type} filesystem`,
        judge: (r) => ok(r) && new RegExp(`^TYPE=${a.filesystem.type}$`, 'm').test(r.stdout),
      },
      doneIf: ['cluster/cluster-online'],
    }),
  );
  // The whole configuration next, with the NFS group held stopped (target-role=Stopped), once both nodes
  // handed DRBD over (its own group, after theirs), among the first node's background steps while the NFS
  // files are written: Pacemaker probes every resource on both nodes and promotes DRBD meanwhile, so
  // cluster/cib only lets the group start. Loaded in one go, the lab's settle spent 12-25 s from the load
  // to the promote (the DRBD probe alone 8-16 s), and with DRBD's clone alone early still 24 s of probes
  // of the group's resources before the filesystem started (apply journals of 2026-11-27 06:47, 07:45 and
  // 08:27). Nothing mounts or serves before cluster/cib: the group is stopped, and its order after the
  // promote and its colocation are the same as in the whole configuration. The NFS server is stopped
  // before it (nfs-unit, in the hand-over group): a probe that found the package's NFS server running
  // would make Pacemaker stop it with the agent. Only over the ping clone and the fence devices (the
  // merge is refused otherwise: never over a configuration that lets the service run).
  const heldEarly = step({
    id: 'cluster/cib-held', node: n1.name, cluster: true, title: 'load the configuration with the NFS group held stopped', parallelGroup: '12-cib-held', background: BESIDE,
    why: 'Pacemaker probes every resource and promotes DRBD while the NFS files are written, so the service starts as soon as the group is let go',
    commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
    stdin: { 0: { kind: 'cib-merge', cib: renderEarlyCibXml(a, 'held'), over: earlyIds } },
    script: { commands: [], stdin: {}, note: 'apply loads the configuration early with the NFS group stopped on a fresh cluster, to save time; this script loads the whole configuration at once further down' },
    check: { kind: 'probe', argv: CIB_QUERY, describe: pastEarlyText, judge: pastEarly },
    doneIf: ['cluster/cib'],
  });
  for (const n of a.nodes) {
    steps.push(
      step({
        repeatable: true, id: `${n.name}/nfs-unit`, node: n.name, title: 'keep the NFS server off at boot', parallelGroup: '12-handover',
        why: 'Pacemaker starts it where DRBD is Primary; not masked, because ocf:heartbeat:nfsserver starts it through systemctl',
        // Stopped too (the package started it), unless Pacemaker already runs it: Pacemaker starts before
        // its configuration is loaded, so "Pacemaker runs" does not mean it owns the NFS server yet.
        // Before the hand-over, so before cluster/cib-held: its probes then find no NFS server running.
        commands: [['systemctl', 'disable', 'nfs-server.service'], ['sh', '-c', 'cibadmin -Q -o resources 2>/dev/null | grep -q \'type="nfsserver"\' || systemctl stop nfs-server.service']],
        check: { kind: 'probe', argv: ['systemctl', 'is-enabled', 'nfs-server.service'], describe: 'nfs-server.service is disabled', judge: (r) => /^(disabled|masked)\s*$/.test(r.stdout) },
      }),
      step({
        id: `${n.name}/drbd-handover`, node: n.name, title: `hand ${res} over to Pacemaker`, parallelGroup: '12-handover',
        why: 'Pacemaker promotes and demotes DRBD itself; it must find the resource Secondary (up, or down)',
        // Demoted, not taken down: ocf:linbit:drbd's probe reports an up Secondary as running (its
        // drbd_status: OCF_SUCCESS, "running/slave") and sets its promotion score, so Pacemaker adopts it
        // and promotes at once, where a resource taken down needs a start with its notifications on both
        // nodes first (about 28 s of the lab's settle, bench of 2026-11-26 13:42). Down is as good for
        // Pacemaker (a node that rebooted since): then it starts it.
        commands: [['sh', '-c', 'if drbdadm status "$1" >/dev/null 2>&1; then drbdadm secondary "$1"; fi', '--', res]],
        check: {
          kind: 'probe', argv: DRBD_STATUS, describe: `${res} is Secondary or down (Pacemaker promotes it)`,
          judge: (r) => { const s = drbdRes(r, res); return s === null || s.role === 'Secondary'; },
        },
        doneIf: ['cluster/cluster-online'],
      }),
      ...(n.name === n1.name ? [heldEarly] : []),
      step({
        repeatable: true, id: `${n.name}/mountpoint`, node: n.name, title: `create the mount point ${a.filesystem.mount}`, parallelGroup: '13-nfs',
        why: 'the Filesystem resource mounts the replicated filesystem there on whichever node is Primary',
        commands: [['mkdir', '-p', a.filesystem.mount]],
        check: { kind: 'probe', argv: ['test', '-d', a.filesystem.mount], describe: `${a.filesystem.mount} is a directory`, judge: ok },
      }),
      fileStep(n.name, '/etc/nfs.conf.d/hanfs.conf', '13-nfs'),
      fileStep(n.name, NFSDCLD_DROPIN_PATH, '13-nfs', [],
        'nfsdcld stops with the NFS server, so the cluster can unmount the NFS state directory when the service moves'),
      fileStep(n.name, NFS_SCOPE_DROPIN_PATH, '13-nfs', [],
        'the NFS server has the virtual IP as its server scope on both nodes, so clients reclaim their state after a failover'),
      fileStep(n.name, '/usr/local/sbin/hanfs-snapshot', '13-nfs'),
      fileStep(n.name, '/etc/systemd/system/hanfs-snapshot.service', '13-nfs'),
      fileStep(n.name, '/etc/systemd/system/hanfs-snapshot.timer', '13-nfs'),
      step({
        repeatable: true, id: `${n.name}/systemd-reload`, node: n.name, title: 'make systemd read the new unit files', parallelGroup: '13-nfs',
        why: 'the snapshot units and the NFS drop-ins take effect once systemd has read them',
        // One reload for all of them (each costs 5-10 s under emulation), and only when systemd's own
        // state says it has not read them all (unitsLoaded: loaded, not changed since, our drop-ins in).
        commands: [['systemctl', 'daemon-reload']],
        check: {
          kind: 'probe', argv: UNITS_STATE_ARGV,
          describe: `systemd has read the current ${OUR_UNITS.join(', ')}`, judge: unitsLoaded,
        },
      }),
      step({
        repeatable: true, id: `${n.name}/snapshot-timer`, node: n.name, title: 'enable the snapshot timer', parallelGroup: '13-nfs',
        why: `LVM snapshots (${a.backups.snapshots.schedule}, keep ${a.backups.snapshots.keep}); the script acts only where DRBD is Primary`,
        commands: [['systemctl', 'enable', '--no-reload', '--now', 'hanfs-snapshot.timer']],
        check: { kind: 'probe', argv: ['systemctl', 'is-enabled', 'hanfs-snapshot.timer'], describe: 'hanfs-snapshot.timer is enabled', judge: (r) => /^enabled\s*$/.test(r.stdout) },
      }),
    );
  }
  steps.push(
    step({
      id: 'cluster/cluster-online', node: primary, cluster: true, title: 'wait until both nodes are online', parallelGroup: '16-cluster-online',
      why: 'the configuration is loaded once both nodes are members and a DC is elected',
      check: clusterOwnsDrbd,
      verify: { ...onlineWithDc, intervalMs: 3000 },
    }),
    step({
      id: 'cluster/cib', node: primary, cluster: true, title: 'load the Pacemaker configuration', parallelGroup: '17-cib',
      why: 'resources (DRBD, filesystem, NFS server, exports, virtual IP, ping) and their constraints; only sections that differ from the live CIB are written',
      // One replace of the whole configuration, computed from the live CIB right before it runs: resources
      // and constraints change together (a constraint naming a removed resource is invalid on its own), and
      // everything Pacemaker keeps there (nodes, its own properties) stays.
      commands: [['cibadmin', '--replace', '--scope', 'configuration', '--xml-pipe']],
      stdin: { 0: { kind: 'cib-merge', cib } },
      script: {
        note: 'a fresh cluster has no resources yet: load the sections of cluster/cib.xml one by one (apply computes one replace from the live CIB instead)',
        // Read from the export tree, not inlined: with STONITH the CIB carries fence credentials, which
        // must stay in the owner-only cluster/cib.xml. The sed script and its arguments are constants.
        // Replacing the constraints of a running cluster would drop the DRBD fence-peer handler's constraint
        // (fenceHandlerConstraints); the script cannot merge as apply does, so it refuses while one is there.
        commands: CIB_SECTIONS.map((x) => [
          'sh', '-c',
          'if [ "$1" = constraints ] && cibadmin -Q --scope constraints 2>/dev/null | grep -q "id=\\"drbd-fence-by-handler-"; then ' +
            'echo "refusing to replace the constraints: the DRBD fence-peer handler placed one (its peer stays outdated until it resyncs); run this line again after the resync, or use hanfs-wizard apply, which keeps it" >&2; exit 3; fi; ' +
            'sed -n "/^ *<$1>/,/^ *<\\/$1>/p" "$2" | cibadmin "$3" --scope "$1" --xml-pipe',
          'sh', x.name, 'cluster/cib.xml', x.merge ? '--modify' : '--replace',
        ]),
        stdin: {},
      },
      check: { kind: 'probe', argv: CIB_QUERY, describe: 'the live CIB holds exactly these resources and constraints', judge: (r) => ok(r) && cibDifferences(r.stdout, cib).length === 0 },
      interruptsService: 'Pacemaker restarts the resources whose parameters change (a moved virtual IP, a changed export)',
    }),
  );
  // A changed NFS server configuration takes effect only when the server starts again: restarted through
  // Pacemaker where it runs (never systemctl behind its back), only when the running server is older
  // than the configuration (state, not memory: a run interrupted between writing and restarting still
  // restarts it the next time).
  const nfsRsc = primitiveIdOfType(cib, 'nfsserver');
  // The scope drop-in too: a changed virtual IP changes the server's scope, which rpc.nfsd takes only at its
  // start (the CIB change moves the IP and the exports, not the server that starts before them).
  const nfsConfigs = ['/etc/nfs.conf.d/hanfs.conf', NFS_SCOPE_DROPIN_PATH];
  if (nfsRsc !== null) {
    for (const n of a.nodes) {
      const fresh: ProbeCheck = {
        kind: 'probe', argv: ['sh', '-c', NFS_SERVER_STATE_SCRIPT, '--', nfsRsc, n.name, ...nfsConfigs],
        describe: `no NFS server running on ${n.name} predates ${nfsConfigs.join(', ')}`,
        judge: (r) => !nfsRestartNeeded(r),
      };
      steps.push(
        step({
          id: `${n.name}/nfs-restart`, node: n.name, title: `restart the NFS server on ${n.name} if its configuration changed`, parallelGroup: '17-nfs-restart',
          why: `${nfsConfigs.join(', ')} changed after the running NFS server started: it reads it only when it starts`,
          // crm_resource(8), Pacemaker 2.1: "--restart: Tell the cluster to restart this resource and
          // anything that depends on it" (it stops and starts it where it runs and waits for both, with the
          // resource's own operation timeouts); `pcs resource restart` is the same call. Pacemaker does the
          // restart, so its view of the resource stays true (never systemctl behind its back).
          commands: [['crm_resource', '--restart', '--resource', nfsRsc]],
          script: {
            commands: [], stdin: {},
            note: `on a running cluster whose ${nfsConfigs.join(', ')} changed, and only on the node where ${nfsRsc} runs: crm_resource --restart --resource ${nfsRsc} (apply decides from the node's state)`,
          },
          check: fresh,
          alsoAfter: { steps: nfsConfigs.map((t) => `${n.name}/file:${t}`), judge: nfsServerRunsHere, describe: `the NFS server runs on ${n.name}` },
          verify: { ...fresh, waitMs: 300_000, intervalMs: 3000 },
          interruptsService: `restarts ${nfsRsc} through Pacemaker on ${n.name}, where it runs (with the exports and the virtual IP after it): NFS clients stall briefly and then carry on (up to the NFSv4 grace period)`,
        }),
      );
    }
  }
  const monitored = monitoredPrimitives(cib);
  const unsettled = (c: CrmStatus) => [...settleProblems(c, names), ...unconfirmedMonitors(c, monitored)];
  steps.push(
    step({
      id: 'cluster/settle', node: primary, cluster: true, title: 'wait until the service runs, confirmed by its monitors', parallelGroup: '18-settle',
      why: 'DRBD promoted, filesystem, NFS server, exports and the virtual IP started where the constraints put them, none pending, none failed, and each one\'s first monitor after its start reported it running',
      // No fixed time window: a start in flight shows as pending, and a resource that starts and then
      // fails is caught by its first recurring monitor, which Pacemaker runs right after the start
      // (cluster-settle.ts). A settled cluster is confirmed at the first poll.
      verify: {
        kind: 'probe', argv: CRM_MON, waitMs: 600_000, intervalMs: 3000,
        describe: 'every resource started where expected, none pending, none failed, DRBD promoted on one node, every first monitor reported',
        judge: (r) => {
          const c = crm(r);
          return c !== null && failedActions(c) === null && unsettled(c).length === 0;
        },
        blockers: (r) => {
          const c = crm(r);
          const f = c ? failedActions(c) : null;
          return f ? { lines: [`failed actions:`, ...f.lines.map((l) => `  ${l}`)], next: failedActionsAdvice(f) } : null;
        },
        explain: (r) => {
          const c = parseCrmMon(r.stdout);
          if (!c.ok) return [`crm_mon: ${c.message}${c.errors.length ? `: ${c.errors.join('; ')}` : ''}`];
          return unsettled(c);
        },
      },
    }),
  );
  for (const n of a.nodes) {
    // Two readings in a row: `drbdadm up` (Pacemaker starting DRBD on a returning node) passes through
    // StandAlone for a moment; a resource still StandAlone 2 s later is not connecting.
    let stuckBefore = false;
    steps.push(
      step({
        id: `${n.name}/verify-drbd`, node: n.name, title: `verify ${res} on ${n.name}`, parallelGroup: '19-verify',
        why: 'Connected and UpToDate on both nodes',
        verify: {
          ...upToDateBoth,
          judge: (r) => upToDateBoth.judge(r) && connectedBoth.judge(r),
          // Waits out a reconnect and its resync. Both happen on a healthy cluster: a node that missed DRBD's
          // ping answer (1 s) under load is disconnected, outdated by the fence-peer handler and resynced
          // seconds later (a CI run's apply found it SyncSource at 100.00%, 2026-11-27; the one-shot check
          // failed the apply). The resync's size is what changed while disconnected, so minutes at most.
          waitMs: 300_000, intervalMs: 2000, progress: 'drbd-resync',
          blockers: (r) => {
            const stuck = drbdStuck(drbdRes(r, res), res);
            const out = stuck !== null && stuckBefore ? stuck : null;
            stuckBefore = stuck !== null;
            return out;
          },
          explain: (r) => (ok(r) ? describeDrbdState(drbdRes(r, res), res) : [`drbdadm status exited ${r.exitCode ?? r.error ?? '?'}`]),
          advice: (r) => {
            const st = drbdRes(r, res);
            if (st === null) return null;
            const peer = a.nodes.find((x) => x.name !== n.name)!;
            if (!connectedToPeers(st)) {
              return `DRBD on ${n.name} cannot reach its peer over the replication link: check it (ping ${hostAddress(peer.replication.address)} from ${n.name}, TCP port ${a.drbd.port} open both ways, DRBD up on ${peer.name}), then run apply again.`;
            }
            if (st.peers.some((x) => /^(Sync|PausedSync|WFBitMap|WFSync)/.test(x.replication ?? ''))) {
              return 'a resync is still running: follow it with hanfs-wizard monitor, and run apply again once both nodes are UpToDate.';
            }
            return null;
          },
        },
      }),
    );
  }
  const vip = hostAddress(a.virtualIp.address);
  steps.push(
    step({
      id: 'cluster/verify-mount', node: primary, cluster: true, title: `verify ${a.filesystem.mount} is mounted on exactly one node`, parallelGroup: '19-verify',
      why: 'only the DRBD Primary may mount the filesystem',
      verify: {
        kind: 'probe', argv: CRM_MON, describe: 'the Filesystem resource runs on exactly one node, where DRBD is Promoted',
        judge: (r) => {
          const c = crm(r);
          if (c === null) return false;
          const fs = c.resources.filter((x) => x.agent.endsWith(':Filesystem') && x.active);
          const prom = c.resources.filter((x) => x.role === 'Promoted');
          return fs.length === 1 && fs[0]!.nodes.length === 1 && prom.length === 1 && prom[0]!.nodes[0] === fs[0]!.nodes[0];
        },
      },
    }),
    step({
      id: 'cluster/verify-export', node: n2.name, cluster: true, title: `verify the exports are visible through ${vip}`, parallelGroup: '20-verify-export',
      why: 'what NFS clients will see: showmount through the virtual IP',
      verify: {
        kind: 'probe', argv: ['showmount', '-e', vip], describe: `showmount -e ${vip} lists ${a.nfs.exports.map((e) => e.path).join(', ')}`, waitMs: 60_000, intervalMs: 3000,
        judge: (r) => {
          const s = parseShowmountE(r.stdout);
          return ok(r) && s.ok && a.nfs.exports.every((e) => s.exports.some((x) => x.path === e.path));
        },
      },
    }),
  );
  return steps;
}

/** lvcreate's size arguments: -l for percentages (of the VG), -L for absolute sizes. */
export function lvSizeArgs(size: string): string[] {
  const p = parseLvSize(size);
  if (p === null) return ['-l', size];
  return 'percent' in p ? ['-l', `${p.percent}%${p.of}`] : ['-L', `${p.bytes}b`];
}

/** The steps of one node (its own plus the cluster-wide ones it runs), in order. */
export function stepsForNode(steps: PlanStep[], node: string): PlanStep[] {
  return steps.filter((s) => s.node === node);
}
