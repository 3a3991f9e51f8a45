// The answers file schema (docs/answers.md, version 1): one valibot schema for the YAML file and for the
// wizard's fields, so a value the wizard accepts is exactly a value `export --answers` accepts.
// Structural checks live here; cross-field checks (subnets, duplicates, paths under the mount) live in
// semantic.ts because they need the whole file.
import * as v from 'valibot';
import { parseCidr } from './net.js';
import { diskIdentitySchema } from './disk-identity.js';
import { hostnameSchema, cidrSchema, ipv4Schema, interfaceSchema, sshSchema, diskSchema, clusterNameSchema, vgNameSchema, lvNameSchema, drbdResourceSchema, lvSizeSchema, snapshotSizeSchema, rateSchema, portSchema } from './field-schemas.js';

// The single values' schemas are part of this module's interface (the wizard's fields import them here).
export * from './field-schemas.js';

const msg = (text: string) => text;

/**
 * A YAML list is a JS array, which valibot's object and record schemas read as a mapping with keys 0, 1...
 * (an empty list even passes). Every mapping of the file is checked to be one first.
 */
const notList = v.custom<Record<string, unknown>>(
  (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
  (issue) => `expected a mapping (key: value), got ${Array.isArray(issue.input) ? 'a list' : issue.input === null ? 'null' : typeof issue.input === 'string' ? JSON.stringify(issue.input) : String(issue.input)}`,
);

function mapping<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(notList, v.strictObject(entries));
}

function recordOf<K extends v.GenericSchema<string, string | number | symbol>, V extends v.GenericSchema>(key: K, value: V) {
  return v.pipe(notList, v.record(key, value));
}

/**
 * Pacemaker's own defaults (pacemaker-controld metadata: load-threshold 80%, node-action-limit 0 = twice
 * the cores, dc-deadtime 20s): what real servers get unless the answers' pacemaker.tuning says otherwise.
 */
export const PACEMAKER_DEFAULTS = { loadThreshold: '80%', nodeActionLimit: 0, dcDeadtime: '20s' } as const;

/**
 * priority-fencing-delay (Pacemaker's default is 0, off): the head start the node running the promoted
 * DRBD instance gets when both nodes of a split fence each other (src/generate/fencing.ts). 10 s on real
 * servers: Pacemaker's metadata asks for "significantly greater than, safely twice" the largest
 * pcmk_delay_base (5 s), and a BMC's power-off lands well inside the 5 s that leaves in the worst case.
 * Bounds: at least that twice (10 s); at most 120 s, more than twice the longest agent reboot (54 s,
 * fencing.ts AGENT_REBOOT_S), because a hung active node's fence waits this long too (its failover with it).
 */
export const PRIORITY_FENCING_DELAY_DEFAULT = '10s';
export const PRIORITY_FENCING_DELAY_BOUNDS_S = { min: 10, max: 120 } as const;

/** A tuning time ("20s", "2min") in seconds; null when it is not one. */
export function tuningSeconds(t: string): number | null {
  const m = /^([1-9]\d{0,3})(s|min)$/.exec(t);
  return m ? Number(m[1]) * (m[2] === 'min' ? 60 : 1) : null;
}

const absPath = (what: string) =>
  v.pipe(
    v.string(msg(`expected ${what}`)),
    // Printable ASCII: the path reaches exports(5), the Filesystem agent's parameters and shell arguments.
    v.regex(/^\/[!-~]*$/, msg(`must be an absolute path of printable ASCII characters without spaces (${what})`)),
    v.check((s) => !s.split('/').includes('..'), msg('must not contain ".."')),
  );

const secretSchema = v.pipe(
  v.string(),
  v.check(
    (s) => s === 'generate' || /^[\x21-\x7e]{8,64}$/.test(s) && !/["\\;{}#]/.test(s),
    'must be "generate" or 8-64 printable characters without spaces, quotes, backslashes, ; { } or #',
  ),
);

const exportSchema = mapping({
  path: absPath('an export path'),
  clients: v.pipe(
    v.string(),
    v.regex(/^[!-'*-~]+$/, 'must be one host, CIDR, wildcard or @netgroup in printable ASCII, without spaces or parentheses (exports(5))'),
  ),
  options: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^[a-z_]+(=[^,\s()]+)?(,[a-z_]+(=[^,\s()]+)?)*$/,
        'must be a comma-separated exports(5) option list without spaces, e.g. rw,sync,no_subtree_check',
      ),
    ),
    'rw,sync,no_subtree_check',
  ),
});

/**
 * SBD (sbd(8)): fencing through a watchdog and, with `device`, a small shared disk both nodes write
 * their "poison pill" slots on. Without `device`: diskless (watchdog-only) SBD, which needs
 * cluster.quorumDevice (a node that loses quorum must be able to tell, and reset itself).
 */
export const sbdSchema = mapping({
  device: v.optional(diskSchema),
  watchdog: v.optional(v.pipe(v.string(), v.regex(/^\/dev\/watchdog\d{0,3}$/, 'must be a watchdog device such as /dev/watchdog or /dev/watchdog0')), '/dev/watchdog'),
  watchdogTimeout: v.optional(
    v.pipe(v.number('expected seconds'), v.integer('must be a whole number of seconds'), v.minValue(5, 'must be at least 5 seconds (sbd\'s own default)'), v.maxValue(120, 'must be at most 120 seconds')),
    5,
  ),
});

const stonithSchema = v.union(
  [
    v.literal('none'),
    mapping({ sbd: sbdSchema }),
    mapping({
      agent: v.pipe(v.string(), v.regex(/^fence_[a-z0-9_]+$/, 'must be a fence agent name such as fence_ipmilan')),
      nodes: recordOf(
        hostnameSchema,
        recordOf(
          v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]*$/, 'parameter names are lower-case words')),
          v.pipe(
            v.union([v.string(), v.number(), v.boolean()]),
            v.transform((x) => String(x)),
            // A newline would start a new line of setup.crm and the CIB's parameters (issue 25).
            v.check((s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s), 'must be one line without control characters'),
          ),
        ),
      ),
    }),
  ],
  'must be "none", { agent: fence_..., nodes: { <node>: { parameters } } } or { sbd: { device, watchdog, watchdogTimeout } }',
);

/** corosync-qdevice's net model (corosync-qdevice(8)): the qnetd host and how it decides. */
const quorumDeviceSchema = mapping({
  host: v.pipe(
    v.string('expected the qnetd host: an IPv4 address or a host name'),
    v.check((s) => parseCidr(`${s}/32`) !== null || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(s), 'must be the qnetd host: an IPv4 address or a host name'),
  ),
  port: v.optional(portSchema, 5403),
  algorithm: v.optional(v.picklist(['ffsplit', 'lms'], 'must be ffsplit or lms'), 'ffsplit'),
  /** How apply reaches the qnetd host (user@host[:port]) for its package and certificates; export needs none. */
  ssh: v.optional(sshSchema),
});

const nodeSchema = mapping({
  name: hostnameSchema,
  ssh: v.optional(sshSchema, 'local'),
  disks: v.pipe(v.array(diskSchema, 'expected a list of two disks'), v.length(2, 'must list exactly two disks (the RAID1 members)')),
  // Each disk's stable identity, by its name in `disks` (issue 25, src/answers/disk-identity.ts).
  diskIdentity: v.optional(recordOf(diskSchema, diskIdentitySchema)),
  service: mapping({
    interface: v.optional(interfaceSchema, 'eth0'),
    address: cidrSchema,
  }),
  replication: mapping({
    interface: v.optional(interfaceSchema, 'eth1'),
    address: cidrSchema,
  }),
});

const splitBrainSchema = mapping({
  afterSb0pri: v.optional(
    v.picklist(['disconnect', 'discard-younger-primary', 'discard-older-primary', 'discard-zero-changes', 'discard-least-changes'], 'must be one of disconnect, discard-younger-primary, discard-older-primary, discard-zero-changes, discard-least-changes'),
    'discard-zero-changes',
  ),
  afterSb1pri: v.optional(
    v.picklist(['disconnect', 'consensus', 'discard-secondary', 'call-pri-lost-after-sb'], 'must be one of disconnect, consensus, discard-secondary, call-pri-lost-after-sb'),
    'discard-secondary',
  ),
  afterSb2pri: v.optional(
    v.picklist(['disconnect', 'call-pri-lost-after-sb'], 'must be disconnect or call-pri-lost-after-sb'),
    'disconnect',
  ),
});

export const answersSchema = mapping({
  version: v.literal(1, 'must be 1 (the only answers file version this hanfs-wizard reads)'),
  cluster: v.optional(
    mapping({
      name: v.optional(clusterNameSchema, 'hanfs'),
      // A third vote from corosync-qnetd on another host (issue 26): absent = two_node mode.
      quorumDevice: v.optional(quorumDeviceSchema),
    }),
    {},
  ),
  nodes: v.pipe(
    v.array(nodeSchema, 'expected a list of two nodes'),
    v.length(2, 'must list exactly two nodes'),
  ),
  raid: v.optional(
    mapping({
      device: v.optional(
        v.pipe(v.string(), v.regex(/^\/dev\/md(\d{1,3}|\/[A-Za-z0-9_-]{1,32})$/, 'must be an md device such as /dev/md0 or /dev/md/nfs')),
        '/dev/md0',
      ),
    }),
    {},
  ),
  lvm: v.optional(
    mapping({
      vg: v.optional(vgNameSchema, 'vg_nfs'),
      lv: v.optional(lvNameSchema, 'lv_nfs'),
      size: v.optional(lvSizeSchema, '80%VG'),
    }),
    {},
  ),
  drbd: v.optional(
    mapping({
      version: v.optional(v.picklist(['8.4', '9'], 'must be "8.4" or "9" (the DRBD kernel module on the nodes: see /proc/drbd)'), '8.4'),
      resource: v.optional(drbdResourceSchema, 'nfsdata'),
      device: v.optional(v.pipe(v.string(), v.regex(/^\/dev\/drbd\d{1,5}$/, 'must be /dev/drbdN')), '/dev/drbd0'),
      port: v.optional(portSchema, 7789),
      protocol: v.optional(v.picklist(['A', 'B', 'C'], 'must be A, B or C (C: synchronous, the only one that loses nothing on failover)'), 'C'),
      secret: v.optional(secretSchema, 'generate'),
      splitBrain: v.optional(splitBrainSchema, {}),
      // No fixed default: resource-and-stonith where a fence device is configured, else resource-only
      // (derived in load.ts, completeAnswers), so fencing is on by default wherever it can work.
      fencing: v.optional(v.picklist(['none', 'resource-only', 'resource-and-stonith'], 'must be none, resource-only or resource-and-stonith')),
      initialSync: v.optional(v.picklist(['skip', 'full'], 'must be skip (fresh disks) or full'), 'skip'),
      resyncRate: v.optional(rateSchema, '100M'),
    }),
    {},
  ),
  filesystem: v.optional(
    mapping({
      type: v.optional(v.picklist(['ext4', 'xfs'], 'must be ext4 or xfs'), 'ext4'),
      mount: v.optional(absPath('a mount point'), '/srv/nfs'),
    }),
    {},
  ),
  nfs: v.optional(
    mapping({
      versions: v.optional(
        v.pipe(
          v.array(v.picklist([3, 4], 'NFS versions are 3 and/or 4')),
          v.minLength(1, 'must list at least one NFS version (3, 4)'),
        ),
        [3, 4],
      ),
      exports: v.optional(v.pipe(v.array(exportSchema), v.minLength(1, 'must list at least one export'))),
    }),
    {},
  ),
  virtualIp: mapping({
    address: cidrSchema,
    interface: v.optional(interfaceSchema),
  }),
  ping: v.optional(
    mapping({
      targets: v.optional(v.pipe(v.array(ipv4Schema), v.minLength(1, 'must list at least one ping target'))),
      whenAllLost: v.optional(v.picklist(['stop', 'stay'], 'must be stop or stay'), 'stop'),
    }),
    {},
  ),
  pacemaker: v.optional(
    mapping({
      stickiness: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0, 'must be 0 or more'), v.maxValue(1000000, 'must be at most 1000000')), 100),
      stonith: v.optional(stonithSchema, 'none'),
      // Controller options for hardware that needs other values than Pacemaker's own (the emulated lab):
      // absent, each is Pacemaker's default. docs/ha-tuning.md says when to change them.
      tuning: v.optional(
        mapping({
          loadThreshold: v.optional(v.pipe(v.string('expected a percentage such as 80%'), v.regex(/^([1-9]\d{0,3})%$/, 'must be a percentage such as 80% (1-9999%)')), PACEMAKER_DEFAULTS.loadThreshold),
          nodeActionLimit: v.optional(v.pipe(v.number('expected a whole number'), v.integer('must be a whole number'), v.minValue(0, 'must be 0 (twice the cores) or more'), v.maxValue(64, 'must be at most 64')), PACEMAKER_DEFAULTS.nodeActionLimit),
          dcDeadtime: v.optional(v.pipe(v.string('expected a time such as 20s'), v.regex(/^([1-9]\d{0,3})(s|min)$/, 'must be a time in s or min such as 20s')), PACEMAKER_DEFAULTS.dcDeadtime),
          priorityFencingDelay: v.optional(
            v.pipe(
              v.string('expected a time such as 10s'),
              v.regex(/^([1-9]\d{0,3})(s|min)$/, 'must be a time in s or min such as 10s'),
              v.check((t) => {
                const s = tuningSeconds(t) ?? 0;
                return s >= PRIORITY_FENCING_DELAY_BOUNDS_S.min && s <= PRIORITY_FENCING_DELAY_BOUNDS_S.max;
              }, `must be between ${PRIORITY_FENCING_DELAY_BOUNDS_S.min}s (twice the 5 s pcmk_delay_base, Pacemaker's rule) and ${PRIORITY_FENCING_DELAY_BOUNDS_S.max}s (a hung active node's fence waits this long)`),
            ),
            PRIORITY_FENCING_DELAY_DEFAULT,
          ),
        }),
        {},
      ),
    }),
    {},
  ),
  backups: v.optional(
    mapping({
      snapshots: v.optional(
        mapping({
          schedule: v.optional(
            // The ASCII check before the trim: trim() also strips Unicode spaces (a BOM, U+00A0), which would
            // otherwise pass unseen (found by test/commands/answers-fuzz.test.ts, seed 858948224).
            v.pipe(v.string(), v.regex(/^[ -:<-~]*$/, 'must be one systemd OnCalendar expression on one line (printable ASCII, no ;)'), v.trim(), v.minLength(1, 'must not be empty (a systemd OnCalendar expression such as daily)')),
            'daily',
          ),
          keep: v.optional(v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(1000, 'must be at most 1000')), 7),
          size: v.optional(snapshotSizeSchema, '10%ORIGIN'),
        }),
        {},
      ),
    }),
    {},
  ),
});

/** What the schema yields: defaults applied, derived defaults (exports, ping targets, VIP NIC) still open. */
export type ParsedAnswers = v.InferOutput<typeof answersSchema>;
export type NodeAnswers = ParsedAnswers['nodes'][number];
export type ExportAnswers = v.InferOutput<typeof exportSchema>;
export type Stonith = ParsedAnswers['pacemaker']['stonith'];
export type SbdAnswers = v.InferOutput<typeof sbdSchema>;
/** The fence-agent form of pacemaker.stonith (one device per node). */
export type AgentStonith = Extract<Stonith, { agent: string }>;
export const isAgentStonith = (s: Stonith): s is AgentStonith => typeof s === 'object' && 'agent' in s;
export const sbdOf = (s: Stonith): SbdAnswers | null => (typeof s === 'object' && 'sbd' in s ? s.sbd : null);
export type QuorumDevice = v.InferOutput<typeof quorumDeviceSchema>;
export type DrbdFencing = 'none' | 'resource-only' | 'resource-and-stonith';

/** The complete answers every generator reads: every field present. */
export type Answers = Omit<ParsedAnswers, 'nfs' | 'virtualIp' | 'ping' | 'nodes' | 'drbd'> & {
  nodes: [NodeAnswers, NodeAnswers];
  drbd: ParsedAnswers['drbd'] & { fencing: DrbdFencing };
  nfs: { versions: (3 | 4)[]; exports: Required<ExportAnswers>[] };
  virtualIp: { address: string; interface: string };
  ping: { targets: string[]; whenAllLost: 'stop' | 'stay' };
};

/**
 * Checks one value with one field's schema, for the wizard's inline validation: null when valid, else
 * the same message the answers file would get.
 */
export function fieldError(schema: v.GenericSchema, value: unknown): string | null {
  const r = v.safeParse(schema, value);
  return r.success ? null : (r.issues[0]?.message ?? 'invalid value');
}
