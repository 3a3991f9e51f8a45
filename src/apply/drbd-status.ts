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
