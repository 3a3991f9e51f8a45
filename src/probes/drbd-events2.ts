// Parser for one line of `drbdsetup events2 [--timestamps] [--statistics] [--now] all`, DRBD 9 and the
// DRBD 8.4 variant that drbd-utils 9 prints for an 8.4 kernel. Pure: the monitor's collector feeds it the
// lines of the stream; it never runs anything.
//
// Format (both versions): `[TIMESTAMP ]ACTION OBJECT key:value...`, e.g.
//   2026-11-25T19:32:14.288334+00:00 change peer-device name:r0 peer-node-id:0 conn-name:peer volume:0
//     replication:SyncSource received:0 sent:0 out-of-sync:204756 pending:0 unacked:0
// `exists -` ends the initial dump. `change` lines carry only the keys that changed (sometimes none).
// 8.4 always says peer-node-id:0, and lists a StandAlone connection without conn-name. DRBD 9 adds
// `done:` (percent) and `eta:` (seconds) to peer-device lines while a resync runs.

export type Events2Action = 'exists' | 'create' | 'change' | 'destroy' | 'call' | 'response' | 'rename';
export type Events2Object = 'resource' | 'device' | 'connection' | 'peer-device' | 'path' | 'helper' | '-';

interface Base {
  action: Events2Action;
  /** ISO timestamp as printed (with --timestamps), else null. */
  timestamp: string | null;
  /** The timestamp in ms since the epoch, or null. */
  timeMs: number | null;
  /** Every key:value pair, unparsed, for details views and keys this parser does not model. */
  props: Record<string, string>;
}

export interface ResourceEvent extends Base {
  object: 'resource';
  name: string;
  role?: string;
  suspended?: string;
  quorum?: string;
}

export interface DeviceEvent extends Base {
  object: 'device';
  name: string;
  volume: number;
  minor?: number;
  disk?: string;
  client?: string;
  quorum?: string;
  /** KiB (with --statistics). */
  sizeKiB?: number;
  readKiB?: number;
  writtenKiB?: number;
}

export interface ConnectionEvent extends Base {
  object: 'connection';
  name: string;
  peerNodeId: number;
  /** Null when the line has no conn-name (8.4 lists a StandAlone connection without it). */
  connName: string | null;
  connection?: string;
  role?: string;
  congested?: string;
}

export interface PeerDeviceEvent extends Base {
  object: 'peer-device';
  name: string;
  peerNodeId: number;
  connName: string | null;
  volume: number;
  replication?: string;
  peerDisk?: string;
  resyncSuspended?: string;
  /** KiB (with --statistics). */
  outOfSyncKiB?: number;
  receivedKiB?: number;
  sentKiB?: number;
  /** DRBD 9 only: resync progress in percent, as drbdsetup computed it. */
  done?: number;
  /** DRBD 9 only: seconds to the end of the resync. */
  etaSec?: number;
}

export interface PathEvent extends Base {
  object: 'path';
  name: string;
  peerNodeId: number;
  connName: string | null;
  local?: string;
  peer?: string;
  established?: string;
}

export interface HelperEvent extends Base {
  object: 'helper';
  action: 'call' | 'response';
  name: string;
  helper: string;
  volume: number | null;
  minor: number | null;
  /** Exit status, on `response` lines. */
  status: number | null;
}

/** `exists -`: the end of the initial state dump. */
export interface EndOfDumpEvent extends Base {
  object: '-';
}

export type Events2Event =
  | ResourceEvent
  | DeviceEvent
  | ConnectionEvent
  | PeerDeviceEvent
  | PathEvent
  | HelperEvent
  | EndOfDumpEvent;

export type Events2Result = { ok: true; event: Events2Event } | { ok: false; error: string; line: string };

const ACTIONS = new Set(['exists', 'create', 'change', 'destroy', 'call', 'response', 'rename']);
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/;

function int(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/** Copies the defined entries only, so `change` events never carry keys the line did not have. */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

type Head = { action: Events2Action; timestamp: string | null; timeMs: number | null; props: Record<string, string> };

/** The words of a line: an optional timestamp, the action, the object, then key:value pairs (or an error). */
function readHead(line: string): { base: Head; object: string } | string {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return 'empty line';
  let timestamp: string | null = null;
  let timeMs: number | null = null;
  if (TIMESTAMP.test(words[0]!)) {
    timestamp = words.shift()!;
    const t = Date.parse(timestamp);
    timeMs = Number.isNaN(t) ? null : t;
  }
  const action = words.shift();
  const object = words.shift();
  if (action === undefined || !ACTIONS.has(action)) return `unknown action ${action ?? '(none)'}`;
  if (object === undefined) return 'missing object';
  const props: Record<string, string> = {};
  for (const w of words) {
    const i = w.indexOf(':');
    if (i <= 0) return `not a key:value pair: ${w}`;
    props[w.slice(0, i)] = w.slice(i + 1);
  }
  return { base: { action: action as Events2Action, timestamp, timeMs, props }, object };
}

/** Parses one events2 line. Unknown objects and malformed lines are errors (data), never exceptions. */
export function parseEvents2Line(line: string): Events2Result {
  const fail = (error: string): Events2Result => ({ ok: false, error, line });
  const head = readHead(line);
  if (typeof head === 'string') return fail(head);
  const { base, object } = head;
  if (object === '-') return { ok: true, event: { ...base, object: '-' } };
  const name = base.props['name'];
  if (name === undefined) return fail(`${object} line without name`);
  const event = objectEvent(base, object, name);
  return typeof event === 'string' ? fail(event) : { ok: true, event };
}

/** The typed event of one named object (resource, device, connection, peer-device, path, helper), or an error. */
function objectEvent(base: Head, object: string, name: string): Events2Event | string {
  const { action, props } = base;
  const peerNodeId = int(props['peer-node-id']);
  const connName = props['conn-name'] ?? null;
  const volume = int(props['volume']);
  switch (object) {
    case 'resource':
      return defined({ ...base, object, name, role: props['role'], suspended: props['suspended'], quorum: props['quorum'] });
    case 'device':
      if (volume === undefined) return 'device line without volume';
      return defined({
        ...base, object, name, volume,
        minor: int(props['minor']), disk: props['disk'], client: props['client'], quorum: props['quorum'],
        sizeKiB: int(props['size']), readKiB: int(props['read']), writtenKiB: int(props['written']),
      });
    case 'connection':
      if (peerNodeId === undefined) return 'connection line without peer-node-id';
      return defined({
        ...base, object, name, peerNodeId, connName,
        connection: props['connection'], role: props['role'], congested: props['congested'],
      });
    case 'peer-device':
      if (peerNodeId === undefined || volume === undefined) return 'peer-device line without peer-node-id/volume';
      return defined({
        ...base, object, name, peerNodeId, connName, volume,
        replication: props['replication'], peerDisk: props['peer-disk'], resyncSuspended: props['resync-suspended'],
        outOfSyncKiB: int(props['out-of-sync']), receivedKiB: int(props['received']), sentKiB: int(props['sent']),
        done: num(props['done']), etaSec: num(props['eta']),
      });
    case 'path':
      if (peerNodeId === undefined) return 'path line without peer-node-id';
      return defined({
        ...base, object, name, peerNodeId, connName,
        local: props['local'], peer: props['peer'], established: props['established'],
      });
    case 'helper': {
      if (action !== 'call' && action !== 'response') return `helper with action ${action}`;
      const helper = props['helper'];
      if (helper === undefined) return 'helper line without helper';
      return {
        ...base, action, object, name, helper,
        volume: volume ?? null, minor: int(props['minor']) ?? null, status: int(props['status']) ?? null,
      };
    }
    default:
      return `unknown object ${object}`;
  }
}

/** Parses a whole captured stream (or `--now` dump); returns the events and the lines that failed. */
export function parseEvents2(stdout: string): { events: Events2Event[]; errors: { line: string; error: string }[] } {
  const events: Events2Event[] = [];
  const errors: { line: string; error: string }[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const r = parseEvents2Line(line);
    if (r.ok) events.push(r.event);
    else errors.push({ line: r.line, error: r.error });
  }
  return { events, errors };
}
