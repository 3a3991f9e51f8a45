// What the probes learn about a node. The wizard's defaults, the disk verdicts shown on screen and the
// apply engine's state checks all read these shapes; parsers fill them from real command output.

/** Why a disk may not be used; `reasons` says the same for people. */
export type DiskRefusalCode =
  | 'mounted'
  | 'holds-root'
  | 'has-partitions'
  | 'held'
  | 'signature'
  | 'signatures-unknown'
  | 'too-small'
  | 'read-only';

export type DiskVerdict =
  | { eligible: true }
  | { eligible: false; reasons: string[]; codes?: DiskRefusalCode[] };

export interface DiskInfo {
  /** Kernel path, e.g. /dev/vdb. */
  path: string;
  name: string;
  sizeBytes: number;
  model: string | null;
  serial: string | null;
  wwn: string | null;
  rotational: boolean | null;
  /** /dev/disk/by-id/... links pointing at this disk, the stable names answers should use. */
  byId: string[];
  /** Signatures found by wipefs/blkid (e.g. "ext4", "linux_raid_member"). */
  signatures: string[];
  mountpoints: string[];
  /** Devices holding this disk (md127, dm-0...). */
  holders: string[];
  hasPartitions: boolean;
  verdict: DiskVerdict;
}

export interface NicInfo {
  name: string;
  /** operstate from `ip -j link`: UP, DOWN, UNKNOWN... */
  state: string;
  mac: string | null;
  /** IPv4/IPv6 addresses with prefix, e.g. 192.168.1.11/24. */
  addresses: string[];
  speedMbps: number | null;
  loopback: boolean;
}

export interface PackageState {
  name: string;
  installed: boolean;
  version: string | null;
}

export interface OsInfo {
  id: string;
  versionId: string | null;
  prettyName: string;
  /** ID_LIKE words, for choosing the package manager. */
  like: string[];
}

export interface ProbeFailure {
  probe: string;
  message: string;
  /** The command that failed, when one ran. */
  argv?: string[];
  exitCode?: number | null;
}

/** One md array, from /proc/mdstat and `mdadm --detail`. */
export interface MdArray {
  name: string;
  path: string;
  /** active, inactive. */
  state: 'active' | 'inactive';
  /** "auto-read-only" / "read-only" when md says so. */
  readOnly: string | null;
  level: string | null;
  members: MdMember[];
  /** [n/m]: devices the array should have / has working. */
  raidDevices: number | null;
  workingDevices: number | null;
  /** md's [UU] / [U_] map. */
  map: string | null;
  degraded: boolean;
  /** Running resync/recovery/check/reshape, with progress. */
  sync: MdSync | null;
  /** mdadm --detail's "State :" words (clean, degraded, resyncing, recovering, inactive...), when probed. */
  detailState: string[] | null;
  uuid: string | null;
  /** mdadm --detail's "Name :" (host:N). */
  mdName: string | null;
}

export interface MdMember {
  device: string;
  /** Role number from /proc/mdstat (vdb[0]). */
  slot: number | null;
  faulty: boolean;
  spare: boolean;
  /** mdadm --detail's state words for this device (active sync, spare rebuilding, faulty, removed). */
  state: string | null;
}

export interface MdSync {
  action: 'resync' | 'recovery' | 'check' | 'reshape' | 'repair' | string;
  percent: number;
  doneBlocks: number | null;
  totalBlocks: number | null;
  finishMinutes: number | null;
  speedKBps: number | null;
}

export interface LvmPv {
  name: string;
  vg: string | null;
  sizeBytes: number | null;
  freeBytes: number | null;
  attr: string;
}
export interface LvmVg {
  name: string;
  sizeBytes: number | null;
  freeBytes: number | null;
  pvCount: number | null;
  lvCount: number | null;
  snapCount: number | null;
  attr: string;
}
export interface LvmLv {
  name: string;
  vg: string;
  sizeBytes: number | null;
  attr: string;
  /** The origin LV of a snapshot; null for ordinary LVs. */
  origin: string | null;
  /** For a snapshot: how full it is (data_percent / snap_percent), 0-100. */
  dataPercent: number | null;
  isSnapshot: boolean;
  /** lv_attr's 6th character: the LV is open (mounted, used by DRBD...). */
  open: boolean;
  /** An invalid snapshot (lv_attr's 5th character I or S): it overflowed, unusable, as good as lost. */
  invalid: boolean;
  /** lv_time (when the LV was created) in ms since the epoch, when the report has that column. */
  createdAt: number | null;
}
export interface LvmReport {
  pvs: LvmPv[];
  vgs: LvmVg[];
  lvs: LvmLv[];
}

export interface NodeFacts {
  /** How the node was reached: "local" or user@host[:port]. */
  target: string;
  hostname: string;
  os: OsInfo | null;
  kernel: string | null;
  packages: PackageState[];
  /** argv that installs the missing packages on this distribution, or null when nothing is missing. */
  installCommand: string[] | null;
  /** DRBD kernel module version ("8.4.11", "9.2.12"), null when no module is available. */
  drbdModuleVersion: string | null;
  drbdModuleLoaded: boolean;
  disks: DiskInfo[];
  nics: NicInfo[];
  defaultGateway: string | null;
  /** md arrays present (an inactive stale md127 from an old disk shows up here too). Added by probeNode. */
  md?: MdArray[];
  /** LVM state; null when the LVM tools did not answer. */
  lvm?: LvmReport | null;
  /** Distribution family for installs: debian (apt), rhel (dnf), suse (zypper), or null when unknown. */
  packageFamily?: 'debian' | 'rhel' | 'suse' | null;
  /** The /dev/watchdog* nodes (SBD's watchdog); null when not known (the listing did not answer). */
  watchdog?: import('./watchdog.js').WatchdogFacts | null;
  /** Probes that failed; the rest of the facts are still valid. */
  failures: ProbeFailure[];
}
