// The monitor's state in the Prometheus text exposition format (version 0.0.4), for node_exporter's
// textfile collector (`monitor --prometheus`) and for scraping (`monitor --listen`). Conventions: every
// name starts with hanfs_, values in base units (_bytes, _seconds, ratios 0..1), text as labels of _info
// series with the value 1, one series per node and resource, and hanfs_up{component} 0/1 per reading so
// a blind monitor shows as 0, never as a missing series. Every metric is documented in
// docs/monitor-prometheus.md (a test checks both ways). Pure: state in, text out.
import { assessHealth, clusterStatus, EXIT_CODE, type HealthReport } from './health.js';
import { COMPONENTS, readingState, staleBaseMs, type DrbdResource, type MonitorState, type NodeState } from './model.js';
import { RESYNC_STATES } from './progress.js';
import { fencingMetrics, fencingView } from './fencing.js';

interface Family {
  help: string;
  type: 'gauge';
  samples: Map<string, number>;
}

/** Label values escaped as the format requires: backslash, double quote, newline. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

class Out {
  private readonly families = new Map<string, Family>();

  add(name: string, help: string, labels: Record<string, string>, value: number): void {
    let f = this.families.get(name);
    if (f === undefined) {
      f = { help, type: 'gauge', samples: new Map() };
      this.families.set(name, f);
    }
    const ls = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
    // One series per label set: a second sample of the same series would be refused by the parser.
    f.samples.set(ls, value);
  }

  text(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`);
      for (const [ls, v] of f.samples) out.push(`${name}${ls === '' ? '' : `{${ls}}`} ${fmt(v)}`);
    }
    return out.join('\n') + '\n';
  }
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

const b = (x: boolean): number => (x ? 1 : 0);

export function formatPrometheus(state: MonitorState, health: HealthReport = assessHealth(state)): string {
  const o = new Out();
  // The families appear in the order they are first added: these parts run in the order the text has
  // always had (verdict, each node's readings, DRBD, md, LVM, NFS, ping, then Pacemaker's view).
  verdictMetrics(o, state, health);
  for (const name of state.nodeOrder) {
    const n = state.nodes[name];
    if (!n) continue;
    readingMetrics(o, state, name, n);
    for (const r of Object.values(n.drbd.resources)) drbdMetrics(o, name, r);
    storageMetrics(o, name, n);
    serviceMetrics(o, name, n);
  }
  clusterMetrics(o, state);
  return o.text();
}

function verdictMetrics(o: Out, state: MonitorState, health: HealthReport): void {
  o.add('hanfs_health_status', 'Overall verdict as the --check exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.', {}, EXIT_CODE[health.overall]);
  for (const sev of ['WARNING', 'CRITICAL', 'UNKNOWN'] as const) {
    o.add('hanfs_problems', 'Problems found, by severity.', { severity: sev }, health.problems.filter((p) => p.severity === sev).length);
  }
  // A one-shot (the textfile timer) polls nothing: its own budget is what it reports, not an interval.
  if (state.budgetMs === null) o.add('hanfs_monitor_interval_seconds', 'The poll interval of the live collectors; a reading older than three of them is stale.', {}, state.intervalMs / 1000);
  else o.add('hanfs_monitor_timeout_seconds', "The one-shot read's command budget per node; a reading older than three of it is stale.", {}, state.budgetMs / 1000);
}

/** Whether the node and each of its readings is fresh, their ages, and the node's clock. */
function readingMetrics(o: Out, state: MonitorState, name: string, n: NodeState): void {
  const up = n.reach.status === 'up';
  o.add('hanfs_up', 'Whether a reading is fresh (1) or failed, stale or unreachable (0); component "node" is the node itself.', { node: name, component: 'node' }, b(up));
  for (const c of COMPONENTS) {
    const r = n.readings[c];
    const st = readingState(c, r, state.now, staleBaseMs(state));
    o.add('hanfs_up', 'Whether a reading is fresh (1) or failed, stale or unreachable (0); component "node" is the node itself.', { node: name, component: c }, b(up && st === 'fresh'));
    if (r.okAt !== null) o.add('hanfs_reading_age_seconds', 'Age of the last good reading of a component.', { node: name, component: c }, Math.max(0, (state.now - r.okAt) / 1000));
  }
  if (n.clockOffsetMs !== null) o.add('hanfs_clock_offset_seconds', "The node's clock minus the monitor's.", { node: name }, n.clockOffsetMs / 1000);
}

/** One DRBD resource as the node sees it: role, local disks, and each connection with its peer devices. */
function drbdMetrics(o: Out, name: string, r: DrbdResource): void {
  const rl = { node: name, resource: r.name };
  o.add('hanfs_drbd_role_info', 'DRBD role of a resource on a node (value 1).', { ...rl, role: r.role ?? 'Unknown' }, 1);
  o.add('hanfs_drbd_primary', 'Whether the resource is Primary on the node.', rl, b(r.role === 'Primary'));
  o.add('hanfs_drbd_split_brain', 'Whether DRBD reported an unresolved split brain.', rl, b(r.splitBrainAt !== null));
  for (const d of Object.values(r.devices)) {
    const dl = { ...rl, volume: String(d.volume) };
    o.add('hanfs_drbd_disk_state_info', 'Local disk state of a DRBD volume (value 1).', { ...dl, disk: d.disk ?? 'Unknown' }, 1);
    o.add('hanfs_drbd_disk_uptodate', 'Whether the local disk of a DRBD volume is UpToDate.', dl, b(d.disk === 'UpToDate'));
    if (d.sizeKiB !== null) o.add('hanfs_drbd_device_size_bytes', 'Size of a DRBD volume.', dl, d.sizeKiB * 1024);
  }
  for (const c of Object.values(r.connections)) {
    const cl = { ...rl, peer: c.connName ?? String(c.peerNodeId) };
    o.add('hanfs_drbd_connection_info', 'Connection state towards a peer (value 1).', { ...cl, connection: c.connection ?? 'Unknown', peer_role: c.peerRole ?? 'Unknown' }, 1);
    o.add('hanfs_drbd_connected', 'Whether the resource is connected to the peer.', cl, b(c.connection === 'Connected'));
    for (const pd of Object.values(c.peerDevices)) {
      const pl = { ...cl, volume: String(pd.volume) };
      o.add('hanfs_drbd_replication_info', 'Replication state and peer disk state of a volume (value 1).', { ...pl, replication: pd.replication ?? 'Unknown', peer_disk: pd.peerDisk ?? 'Unknown' }, 1);
      if (pd.oosKiB !== null) o.add('hanfs_drbd_out_of_sync_bytes', 'Data not yet replicated to the peer.', pl, pd.oosKiB * 1024);
      const syncing = pd.replication !== null && RESYNC_STATES.has(pd.replication);
      o.add('hanfs_drbd_resyncing', 'Whether a resync runs.', pl, b(syncing));
      if (pd.sync !== null) o.add('hanfs_drbd_resync_done_ratio', 'Resync progress, 0 to 1.', pl, pd.sync.percent / 100);
    }
  }
}

/** The layers under DRBD on a node: its md arrays, volume groups and snapshots. */
function storageMetrics(o: Out, name: string, n: NodeState): void {
  for (const a of n.raid.arrays) {
    const al = { node: name, array: a.name };
    o.add('hanfs_md_info', 'An md array (value 1).', { ...al, level: a.level ?? 'unknown', state: a.state }, 1);
    o.add('hanfs_md_degraded', 'Whether the md array runs with members missing.', al, b(a.degraded));
    if (a.raidDevices !== null) o.add('hanfs_md_devices', 'Members the md array should have.', al, a.raidDevices);
    if (a.workingDevices !== null) o.add('hanfs_md_working_devices', 'Members of the md array working.', al, a.workingDevices);
    o.add('hanfs_md_faulty_devices', 'Members of the md array marked faulty.', al, a.members.filter((m) => m.faulty).length);
    if (a.sync !== null) o.add('hanfs_md_sync_done_ratio', 'Progress of a resync, recovery or check, 0 to 1.', { ...al, action: a.sync.action }, a.sync.percent / 100);
  }
  for (const vg of n.lvm.vgs) {
    o.add('hanfs_lvm_vg_size_bytes', 'Size of a volume group.', { node: name, vg: vg.name }, vg.sizeBytes);
    o.add('hanfs_lvm_vg_free_bytes', 'Free space in a volume group (room for snapshots).', { node: name, vg: vg.name }, vg.freeBytes);
  }
  for (const lv of n.lvm.lvs.filter((l) => l.isSnapshot)) {
    const ll = { node: name, vg: lv.vg, lv: lv.name };
    if (lv.snapPercent !== null) o.add('hanfs_lvm_snapshot_used_ratio', 'How full a snapshot is, 0 to 1 (invalid at 1).', ll, lv.snapPercent / 100);
    o.add('hanfs_lvm_snapshot_invalid', 'Whether a snapshot overflowed and is invalid.', ll, b(lv.invalid));
  }
}

/** What the node serves and sees: nfs-server, its exports, its ping targets. */
function serviceMetrics(o: Out, name: string, n: NodeState): void {
  if (n.nfs.server !== null) o.add('hanfs_nfs_server_active', 'Whether nfs-server is active on the node.', { node: name }, b(n.nfs.server === 'active'));
  for (const e of n.nfs.exports) o.add('hanfs_nfs_export_info', 'A path exported by the node (value 1).', { node: name, path: e.path }, 1);
  for (const t of Object.values(n.ping)) {
    if (t.reachable !== null) o.add('hanfs_ping_up', 'Whether a ping target answered.', { node: name, target: t.target }, b(t.reachable));
    if (t.rttMs !== null) o.add('hanfs_ping_rtt_seconds', 'Round-trip time to a ping target.', { node: name, target: t.target }, t.rttMs / 1000);
  }
}

/** Pacemaker's view of the cluster (the freshest status any node gave), once, not per node. */
function clusterMetrics(o: Out, state: MonitorState): void {
  const cluster = clusterStatus(state.nodes);
  if (cluster === null) return;
  if (cluster.quorum !== null) o.add('hanfs_pacemaker_quorum', 'Whether the cluster partition has quorum.', {}, b(cluster.quorum));
  for (const cn of cluster.nodes) {
    o.add('hanfs_pacemaker_node_online', 'Whether Pacemaker sees the node online.', { node: cn.name }, b(cn.online));
    o.add('hanfs_pacemaker_node_standby', 'Whether the node is in standby.', { node: cn.name }, b(cn.standby));
    o.add('hanfs_pacemaker_node_maintenance', 'Whether the node is in maintenance.', { node: cn.name }, b(cn.maintenance));
  }
  for (const r of cluster.resources) {
    for (const node of r.nodes.length > 0 ? r.nodes : ['']) {
      o.add('hanfs_pacemaker_resource_info', 'A resource instance with its agent and role (value 1); node "" when stopped.', { resource: r.id, agent: r.agent, role: r.role, node }, 1);
      o.add('hanfs_pacemaker_resource_failed', 'Whether a resource instance is failed.', { resource: r.id, node }, b(r.failed));
      o.add('hanfs_pacemaker_resource_managed', 'Whether Pacemaker manages the resource.', { resource: r.id, node }, b(r.managed));
    }
  }
  for (const f of cluster.failCounts) o.add('hanfs_pacemaker_failures', 'Fail count of a resource on a node (+Inf when banned by failures).', { resource: f.resource, node: f.node }, f.failCount);
  for (const [node, attrs] of Object.entries(cluster.attributes)) {
    const a = attrs['pingd'];
    if (a !== undefined && Number.isFinite(Number(a.value))) o.add('hanfs_pacemaker_pingd', "The ping resource's attribute on a node (targets answering x multiplier).", { node }, Number(a.value));
  }
  const extras = Object.values(state.nodes).find((n) => n.pacemaker.extras !== null)?.pacemaker.extras ?? null;
  if (extras?.stonithEnabled != null) o.add('hanfs_pacemaker_stonith_enabled', 'The stonith-enabled cluster option.', {}, b(extras.stonithEnabled));
  if (extras?.maintenanceMode != null) o.add('hanfs_pacemaker_maintenance_mode', 'The maintenance-mode cluster option.', {}, b(extras.maintenanceMode));
  fencingMetrics(fencingView(state), (name, help, labels, value) => o.add(name, help, labels, value));
}
