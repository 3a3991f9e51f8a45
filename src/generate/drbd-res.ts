// /etc/drbd.d/<resource>.res: the synchronous mirror of the LV to the peer, in the syntax of the DRBD
// kernel module the nodes really run (drbd.version; /proc/drbd tells). 8.4 and 9 differ in where fencing
// lives (disk vs net), in the fence/unfence handlers, and in 9's node-id and connection sections.
// The file carries the shared secret: it is written 0600 (export-layout.ts) and never shown unredacted.
import type { Answers } from '../answers/schema.js';
import { drbdMinor, hostAddress, lvPath } from '../answers/derived.js';

/**
 * The size of DRBD's resync snapshot (before-resync-target), in percent of the LV: the VG must keep that
 * much free for it (`grow` refuses to take it).
 */
export const RESYNC_SNAPSHOT_PERCENT = 15;

const HANDLERS = '/usr/lib/drbd';

/**
 * DRBD node-id of nodes[i] (DRBD 9 only): 0 and 1, the numbering LINBIT's examples use. Stable for the
 * life of the metadata (drbdadm create-md records it), so it follows the order of the answers file.
 */
export function drbdNodeId(index: number): number {
  return index;
}

export function renderDrbdRes(a: Answers, secret: string): string {
  const d = a.drbd;
  const L: string[] = [];
  const out = (s = '') => L.push(s);

  out(`# DRBD resource ${d.resource} for hanfs-wizard cluster ${a.cluster.name} (DRBD ${d.version} syntax).`);
  out(`# Install as /etc/drbd.d/${d.resource}.res on both nodes (identical), mode 0600: it holds the shared secret.`);
  out(`# Stack: ${a.raid.device} (RAID1) -> LVM ${lvPath(a)} -> ${d.device} -> ${a.filesystem.type} on ${a.filesystem.mount}.`);
  out(`resource ${d.resource} {`);
  out(`  device    ${d.device} minor ${drbdMinor(a)};`);
  out(`  disk      ${lvPath(a)};`);
  out('  meta-disk internal;');
  out();
  diskSection(a, out);
  out();
  netSection(a, secret, out);
  out();
  handlersSection(a, out);
  out();
  hostSections(a, out);
  out('}');
  return `${L.join('\n')}\n`;
}

/** Resync rate and (8.4) the fencing policy. */
function diskSection(a: Answers, out: (s?: string) => void): void {
  const d = a.drbd;
  const v9 = d.version === '9';
  out('  disk {');
  // With the dynamic resync controller (on by default since 8.4), resync-rate is only where it starts;
  // c-max-rate is the ceiling it never exceeds. Setting both makes drbd.resyncRate mean "resync uses at
  // most this much", so a returning node cannot starve client I/O on the replication link.
  out(`    resync-rate ${d.resyncRate};`);
  out(`    c-max-rate  ${d.resyncRate};`);
  if (!v9 && d.fencing !== 'none') {
    // DRBD 8.4: the fencing policy is a disk option (9 moved it to net; the 9 parser rejects it here).
    out(`    fencing ${d.fencing};`);
  }
  out('  }');
}

/** Protocol, peer authentication, split-brain policies, (9) fencing, keep-alive. */
function netSection(a: Answers, secret: string, out: (s?: string) => void): void {
  const d = a.drbd;
  const v9 = d.version === '9';
  out('  net {');
  out(`    protocol ${d.protocol};`);
  // The replication link carries the whole filesystem: authenticate the peer (HMAC with the secret).
  out('    cram-hmac-alg sha256;');
  out(`    shared-secret "${secret}";`);
  // Split-brain recovery policies, chosen in the answers (drbd.splitBrain).
  out(`    after-sb-0pri ${d.splitBrain.afterSb0pri};`);
  out(`    after-sb-1pri ${d.splitBrain.afterSb1pri};`);
  out(`    after-sb-2pri ${d.splitBrain.afterSb2pri};`);
  if (v9 && d.fencing !== 'none') out(`    fencing ${d.fencing};`);
  // A dead peer is noticed by a keep-alive that gets no answer: every 5 s, 1 s to answer (defaults 10 s
  // and 0.5 s), so within ~6 s, before Corosync's token + consensus (11 s) has declared the node lost:
  // the survivor's promote then never waits for DRBD (it waited 8 s more in the lab's kill drill). The
  // 1 s answer time tolerates a loaded peer's stalls; a missed one costs a reconnect, not a failover.
  out('    ping-int 5;');
  out('    ping-timeout 10;');
  out('  }');
}

/** Fencing through Pacemaker and the resync snapshot. */
function handlersSection(a: Answers, out: (s?: string) => void): void {
  const d = a.drbd;
  const v9 = d.version === '9';
  out('  handlers {');
  if (d.fencing !== 'none') {
    // Resource-level fencing through Pacemaker: on losing the peer, the Primary adds a constraint that
    // forbids promoting the outdated peer; it is removed once the peer has resynced.
    out(`    fence-peer "${HANDLERS}/${v9 ? 'crm-fence-peer.9.sh' : 'crm-fence-peer.sh'}";`);
    if (v9) out(`    unfence-peer "${HANDLERS}/crm-unfence-peer.9.sh";`);
  }
  // Why LVM sits under DRBD: while a returning node is the resync target its data is Inconsistent. If
  // the source died mid-resync, nothing usable would be left; a snapshot of the LV taken just before
  // the resync keeps the last consistent state (15% of the LV for copy-on-write, 16k chunks).
  out(`    before-resync-target "${HANDLERS}/snapshot-resync-target-lvm.sh -p ${RESYNC_SNAPSHOT_PERCENT} -- -c 16k";`);
  // One handler per event: DRBD runs the string with /bin/sh -c, so two commands for one event are chained
  // with ";" (as the User's Guide does for pri-on-incon-degr). DRBD 8.4 has no unfence-peer event, so
  // its unfence runs after the resync as LINBIT's 8.4 guide does; ";" (not "&&") so that a failed unfence
  // never leaves the resync snapshot behind, nor the other way round. DRBD 9 has its own unfence-peer
  // handler (LINBIT: "using the after-resync-target handler is wrong in some corner cases").
  const afterResync = [`${HANDLERS}/unsnapshot-resync-target-lvm.sh`];
  if (!v9 && d.fencing !== 'none') afterResync.unshift(`${HANDLERS}/crm-unfence-peer.sh`);
  out(`    after-resync-target "${afterResync.join('; ')}";`);
  out('  }');
}

/** Each node's address (and 9's node-id and connection mesh). */
function hostSections(a: Answers, out: (s?: string) => void): void {
  const d = a.drbd;
  const v9 = d.version === '9';
  a.nodes.forEach((n, i) => {
    // Node names must equal `uname -n`: drbdadm picks its own section by it.
    out(`  on ${n.name} {`);
    out(`    address ${hostAddress(n.replication.address)}:${d.port};`);
    if (v9) out(`    node-id ${drbdNodeId(i)};`);
    out('  }');
  });
  if (v9) {
    out();
    // DRBD 9 connects only the hosts a connection (or mesh) names.
    out('  connection-mesh {');
    out(`    hosts ${a.nodes.map((n) => n.name).join(' ')};`);
    out('  }');
  }
}
