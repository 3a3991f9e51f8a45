// Parser for `drbdadm status` as drbd-utils 9 prints it, for DRBD 9 and (through its 8.4 compatibility
// tools) for the 8.4 kernel module: the apply engine's DRBD state checks read it. Pure: takes the text.
//
//   r0 role:Primary                       (8.4 via utils 9: the peer is called "peer";
//     disk:UpToDate                        DRBD 9 names it by host: "nfs2 role:Secondary")
//     peer role:Secondary
//       replication:Established peer-disk:UpToDate

export interface DrbdPeerStatus {
  name: string;
  role: string | null;
  /** connection: when printed (DRBD 9 prints it only when not Connected); null otherwise. */
  connection: string | null;
  /** replication: Established, SyncSource, SyncTarget...; null when not printed. */
  replication: string | null;
  peerDisk: string | null;
  /** done: percent of a running resync. */
  done: number | null;
}

export interface DrbdResourceStatus {
  name: string;
  role: string | null;
  disk: string | null;
  peers: DrbdPeerStatus[];
}

const kv = (line: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/([a-z-]+):(\S+)/g)) out[m[1]!] = m[2]!;
  return out;
};

export function parseDrbdadmStatus(text: string): DrbdResourceStatus[] {
  const out: DrbdResourceStatus[] = [];
  let res: DrbdResourceStatus | null = null;
  let peer: DrbdPeerStatus | null = null;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const indent = /^ */.exec(raw)![0].length;
    const line = raw.trim();
    if (indent === 0) {
      const m = /^(\S+)\s+role:(\S+)/.exec(line);
      if (!m) {
        res = null;
        continue;
      }
      res = { name: m[1]!, role: m[2]!, disk: null, peers: [] };
      peer = null;
      out.push(res);
    } else if (res && indent === 2) {
      const f = kv(line);
      if (f.disk !== undefined && !/^\S+\s+role:/.test(line)) {
        res.disk = f.disk;
        peer = null;
      } else {
        const name = /^(\S+)/.exec(line)![1]!;
        peer = { name, role: f.role ?? null, connection: f.connection ?? null, replication: null, peerDisk: null, done: null };
        res.peers.push(peer);
      }
    } else if (res && peer && indent >= 4) {
      const f = kv(line);
      if (f.replication !== undefined) peer.replication = f.replication;
      if (f['peer-disk'] !== undefined) peer.peerDisk = f['peer-disk'];
      if (f.done !== undefined) peer.done = Number(f.done);
      // DRBD 9 with several volumes prints "volume:0 peer-disk:..."; the first volume is ours.
    }
  }
  return out;
}

/** Connected to the peer: replication established or a resync running (8.4 and 9 spellings). */
export function peerConnected(p: DrbdPeerStatus): boolean {
  if (p.connection !== null && p.connection !== 'Connected') return false;
  return p.replication === null ? p.role !== null && p.role !== 'Unknown' : /^(Established|Sync|PausedSync|WFBitMap|Verify)/.test(p.replication);
}

/** The resource has a peer and is connected to every one (StandAlone prints no peer at all). */
export function connectedToPeers(r: DrbdResourceStatus): boolean {
  return r.peers.length > 0 && r.peers.every(peerConnected);
}

/**
 * Why a resource is not "Connected and UpToDate on both nodes", in words, one line per fact: what the final
 * verify shows when its wait ends. A resync after a short disconnect is the usual case (a loaded node missed
 * DRBD's ping: the peer was outdated by the fence-peer handler, then resynced), so the percentage is shown.
 */
export function describeDrbdState(s: DrbdResourceStatus | null, res: string): string[] {
  if (s === null) return [`${res} is not up on this node (drbdadm status does not list it)`];
  const out: string[] = [];
  if (s.disk !== 'UpToDate') out.push(`local disk: ${s.disk ?? 'not shown'}`);
  if (s.peers.length === 0) out.push(`${res} is StandAlone: not connected to its peer and not trying to connect`);
  for (const p of s.peers) {
    if (!peerConnected(p)) {
      out.push(`peer ${p.name}: not connected (${p.connection ?? p.replication ?? 'no connection state'})`);
      continue;
    }
    const sync = p.replication !== null && p.replication !== 'Established' ? `${p.replication}${p.done !== null ? `, ${p.done.toFixed(2)}% done` : ''}` : null;
    if (sync !== null) out.push(`peer ${p.name}: ${sync}, its disk ${p.peerDisk ?? 'not shown'}`);
    else if (p.peerDisk !== 'UpToDate') out.push(`peer ${p.name}: its disk ${p.peerDisk ?? 'not shown'}`);
  }
  return out;
}

/**
 * States that waiting does not cure: DRBD neither reconnects a StandAlone resource (split brain, or
 * disconnected by hand) nor re-attaches a disk it detached after an I/O error. Null when waiting may help
 * (connecting, a resync running, a peer disk outdated until that resync).
 */
export function drbdStuck(s: DrbdResourceStatus | null, res: string): { lines: string[]; next: string } | null {
  if (s === null) return null;
  if (s.peers.length === 0) {
    return {
      lines: describeDrbdState(s, res),
      next: `DRBD does not reconnect a StandAlone resource by itself. After a split brain (the kernel log says "Split-Brain detected"), choose the node whose changes are to be discarded and follow docs/apply.md "DRBD not in sync at the end"; if it was disconnected by hand, run drbdadm connect ${res} on both nodes. Then run apply again.`,
    };
  }
  const detached = s.disk === 'Diskless' || s.disk === 'Failed' || s.peers.some((p) => p.peerDisk === 'Diskless' || p.peerDisk === 'Failed');
  if (detached) {
    return {
      lines: describeDrbdState(s, res),
      next: `a disk under ${res} was detached (Diskless): DRBD does so after an I/O error on its backing device. Check the LV and the RAID under it on that node (dmesg, cat /proc/mdstat), then drbdadm attach ${res} there and run apply again.`,
    };
  }
  return null;
}
