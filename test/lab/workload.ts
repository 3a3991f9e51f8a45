// The NFS client of the drills: on one lab node, through the virtual IP, one loop writes files of random
// data with fsync and reports each acknowledged write with its SHA-256, another reads a probe file with
// O_DIRECT (so every read reaches the server, never the page cache) and reports each success. The host
// stamps every line as it arrives: failover time = kill/cut -> first successful read, on the host clock.
import { sshOk, sshStream, type NodeName, type Stream } from './lab.js';

export const CLIENT_MOUNT = '/mnt/hanfs-e2e';
// Per drill: a workload a failed drill left running must neither be stopped by the next drill's stop
// nor share its scratch file (the first action-drill run lost 13 "acknowledged" writes of the grow drill
// that way: the restore drill's leftover loop rewrote /run/hanfs-e2e-w between sha256sum and dd).
const stopFile = (drill: string) => `/run/hanfs-e2e-stop-${drill}`;
const scratchFile = (drill: string) => `/run/hanfs-e2e-w-${drill}`;
const running = new Set<Workload>();

/** Stops every workload still running (a drill that threw before finishing its own): for afterEach. */
export async function stopLeftoverWorkloads(): Promise<void> {
  await Promise.all([...running].map((w) => w.stop()));
}

/** Mounts the export through the virtual IP on the node (hard mount: I/O waits for the service, as a real client's does). */
export async function mountClient(node: NodeName, vip: string, exportPath: string): Promise<void> {
  await sshOk(
    node,
    `mkdir -p ${CLIENT_MOUNT} && { mountpoint -q ${CLIENT_MOUNT} || ` +
      `mount -t nfs -o vers=4.2,hard,timeo=20,retrans=3 ${vip}:${exportPath} ${CLIENT_MOUNT}; } && mkdir -p ${CLIENT_MOUNT}/e2e`,
    180_000,
  );
}

export async function unmountClient(node: NodeName): Promise<void> {
  await sshOk(node, `if mountpoint -q ${CLIENT_MOUNT}; then umount -f -l ${CLIENT_MOUNT}; fi; true`, 60_000);
}

export interface Workload {
  node: NodeName;
  drill: string;
  /** file name (under e2e/) -> sha256 of what was written, for writes whose fsync succeeded. */
  acked: Map<string, string>;
  /** Host times (ms) of successful probe reads. */
  reads: number[];
  errors: number;
  stop(): Promise<void>;
}

/** Starts the writer and reader loops on `node` (which must have the client mount). */
export async function startWorkload(node: NodeName, drill: string): Promise<Workload> {
  await sshOk(
    node,
    `rm -f ${stopFile(drill)}; test -f ${CLIENT_MOUNT}/e2e/probe || ` +
      `dd if=/dev/urandom of=${CLIENT_MOUNT}/e2e/probe bs=4096 count=1 conv=fsync status=none`,
    180_000,
  );
  const STOP_FILE = stopFile(drill);
  const W = scratchFile(drill);
  const script = [
    `D=${CLIENT_MOUNT}/e2e`,
    `( i=0; while [ ! -e ${STOP_FILE} ]; do i=$((i+1)); f=${drill}-$(printf %05d $i);`,
    `  head -c 65536 /dev/urandom > ${W}; s=$(sha256sum < ${W} | cut -c1-64);`,
    `  if dd if=${W} of=$D/$f bs=65536 conv=fsync status=none 2>/dev/null; then echo "ACK $f $s"; else echo "ERR $f"; sleep 0.5; fi;`,
    `  sleep 0.3; done ) &`,
    `( while [ ! -e ${STOP_FILE} ]; do`,
    `  if dd if=$D/probe of=/dev/null bs=4096 count=1 iflag=direct status=none 2>/dev/null; then echo ROK; else echo RERR; sleep 0.5; fi;`,
    `  sleep 0.2; done ) &`,
    `wait; echo END`,
  ].join('\n');
  const w: Workload = {
    node,
    drill,
    acked: new Map(),
    reads: [],
    errors: 0,
    stop: async () => {},
  };
  const stream: Stream = sshStream(node, `bash -c '${script.replace(/'/g, `'\\''`)}'`, (line, at) => {
    const parts = line.trim().split(' ');
    if (parts[0] === 'ACK' && parts[1] && parts[2]) w.acked.set(parts[1], parts[2]);
    else if (parts[0] === 'ROK') w.reads.push(at);
    else if (parts[0] === 'ERR' || parts[0] === 'RERR') w.errors++;
  });
  running.add(w);
  w.stop = async () => {
    running.delete(w);
    await sshOk(node, `touch ${STOP_FILE}`, 60_000).catch(() => undefined);
    const ended = await Promise.race([stream.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 120_000))]);
    if (!ended) stream.kill();
  };
  return w;
}

/** First successful read that began after `sinceMs` (+1 s: a read in flight at the kill cannot count). */
export function firstReadAfter(w: Workload, sinceMs: number): number | null {
  return w.reads.find((t) => t > sinceMs + 1000) ?? null;
}

/**
 * Checks every acknowledged write so far through the client mount on `node`: present with the same
 * SHA-256. Returns how many matched and which were missing or different.
 */
export async function verifyWrites(node: NodeName, acked: Map<string, string>): Promise<{ verified: number; bad: string[] }> {
  // The writes acknowledged until now: a workload still running keeps adding to its map while the
  // listing below runs, and those later files are not in the listing (the disk-replace drill's first
  // full run reported 10 such as "missing").
  acked = new Map(acked);
  if (acked.size === 0) return { verified: 0, bad: [] };
  // Drop the client's cached pages first: the check must read what the server holds.
  const out = await sshOk(node, `echo 3 > /proc/sys/vm/drop_caches; cd ${CLIENT_MOUNT}/e2e && sha256sum -- * 2>/dev/null; true`, 600_000);
  const onDisk = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) onDisk.set(m[2]!, m[1]!);
  }
  const bad: string[] = [];
  let verified = 0;
  for (const [f, sum] of acked) {
    if (onDisk.get(f) === sum) verified++;
    else bad.push(`${f}: ${onDisk.has(f) ? 'checksum differs' : 'missing'}`);
  }
  return { verified, bad };
}
