// hanfs-monitor-textfile.service and .timer (part of the export): every minute, `hanfs-wizard monitor
// --prometheus` writes the cluster's state for node_exporter's textfile collector. Written to a temporary
// file and renamed into place, as the collector's documentation asks: a scrape must never read half a
// file. The directory is Debian's prometheus-node-exporter default (its --collector.textfile.directory).
export const TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
export const TEXTFILE_NAME = 'hanfs.prom';
/** Where `npm install -g hanfs-wizard` puts the command on Debian (the export's units). */
export const HANFS_BIN = '/usr/local/bin/hanfs-wizard';
/** Where the Debian package puts it (the units the .deb ships: scripts/package-deb.mjs). */
export const DEB_BIN = '/usr/bin/hanfs-wizard';

export function renderTextfileService(bin = HANFS_BIN): string {
  const out = `${TEXTFILE_DIR}/${TEXTFILE_NAME}`;
  return `# Written by hanfs-wizard: the cluster's state for node_exporter's textfile collector
# (docs/monitor-prometheus.md). Needs hanfs-wizard at ${bin} and prometheus-node-exporter.
[Unit]
Description=hanfs cluster state as Prometheus metrics (${out})
Documentation=https://github.com/prometheus/node_exporter#textfile-collector
ConditionPathIsDirectory=${TEXTFILE_DIR}

[Service]
Type=oneshot
# The nodes come from /etc/corosync/corosync.conf (this node locally, the peer over SSH as root).
# Renamed into place only when the monitor ran: a scrape never reads a half-written file.
ExecStart=/bin/sh -c '${bin} monitor --prometheus > ${out}.tmp && mv -f ${out}.tmp ${out}'
# A node that hangs must not pile up runs: well inside the timer's minute.
TimeoutStartSec=50s
Nice=10
`;
}

export function renderTextfileTimer(): string {
  return `# Written by hanfs-wizard: runs hanfs-monitor-textfile.service every minute.
[Unit]
Description=hanfs cluster state for node_exporter, every minute

[Timer]
OnBootSec=1min
OnUnitActiveSec=1min
AccuracySec=5s

[Install]
WantedBy=timers.target
`;
}
