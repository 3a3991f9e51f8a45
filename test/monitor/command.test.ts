// `monitor --once/--json/--check` on the replayed demo-lab states, with their exit codes, and bad flags.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/commands/monitor.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('monitor --check (Nagios/Icinga exit codes) on replay states', () => {
  it.each([
    // The lab runs without fencing: that is the one thing wrong with the running cluster.
    ['running', 1, /^HANFS WARNING - 1 problem: cluster fencing: fencing disabled \(stonith-enabled=false\)/],
    ['degraded-raid', 2, /^HANFS CRITICAL - \d+ problems: node\d pacemaker: Pacemaker not answering/],
    ['split-brain', 2, /^HANFS CRITICAL - .*Primary on node1 and node2 at once/],
    ['failed-over', 2, /^HANFS CRITICAL - .*node1 node: unreachable since \d\d:\d\d:\d\d \(replay node1: no capture/],
    ['syncing', 2, /resynchronising SyncSource 19\.0%/],
  ])('%s -> exit %i', async (scenario, code, line) => {
    expect(await run([`--demo=${scenario}`, '--check'])).toBe(code);
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(out).toMatch(line);
    expect(err).toBe('');
  });
});

describe('monitor --once', () => {
  it('prints the plain-text snapshot of the running cluster and exits 0', async () => {
    expect(await run(['--demo=running', '--once', '--accept-no-fencing'])).toBe(0);
    expect(out).toMatch(/health: OK/);
    expect(out).toContain('node1: reachable');
    expect(out).toContain('DRBD r0: Primary UpToDate, peer Secondary UpToDate, Connected/Established');
    expect(out).toContain('virtual IP (p_ip) on node1; NFS server (p_nfsserver) on node1');
    expect(out).toContain('NFS: nfs-server active, exports /srv/nfs -> 192.168.100.0/24');
    expect(out).toContain('snapshot vg0/snap1 of nfs: 37.7% full');
  });

  it('shows the sync bar with percent, rate and ETA while syncing', async () => {
    expect(await run(['--demo=syncing', '--once'])).toBe(0);
    expect(out).toMatch(/SyncSource \[#{4}\.{16}\] 19\.0% 19\.0 MiB\/s ETA 0:00:09, 162\.0 MiB left/);
  });

  it('without a terminal, the live mode falls back to the snapshot', async () => {
    expect(await run(['--demo=running'])).toBe(0);
    expect(out).toMatch(/^hanfs monitor .* health: WARNING\n {2}WARNING  cluster: fencing: fencing disabled/);
  });
});

describe('monitor --once --json (issue 29: --json is a one-shot already)', () => {
  it('is the same JSON snapshot as --json alone', async () => {
    expect(await run(['--demo=running', '--once', '--json'])).toBe(0);
    const a = JSON.parse(out);
    out = '';
    expect(await run(['--demo=running', '--json'])).toBe(0);
    const b = JSON.parse(out);
    expect(a.schemaVersion).toBe(1);
    expect({ ...a, generatedAt: 0, nodes: a.nodes.map((n: { name: string }) => n.name) }).toEqual({ ...b, generatedAt: 0, nodes: b.nodes.map((n: { name: string }) => n.name) });
    expect(err).toBe('');
  });
});

describe('--accept-no-fencing', () => {
  it('silences the fencing WARNING, and the check line says it was accepted', async () => {
    expect(await run(['--demo=running', '--check', '--accept-no-fencing'])).toBe(0);
    expect(out).toBe('HANFS OK - all nodes, DRBD, RAID, Pacemaker and NFS fine (fencing disabled: accepted with --accept-no-fencing)\n');
  });
});

describe('monitor --json', () => {
  it('prints the documented schema with schemaVersion 1', async () => {
    expect(await run(['--demo=failed-over', '--json'])).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.health).toBe('CRITICAL');
    expect(doc.exitCode).toBe(2);
    expect(doc.nodes.map((n: { name: string }) => n.name)).toEqual(['node1', 'node2']);
    expect(doc.nodes[0].reachability.status).toBe('down');
    const r0 = doc.nodes[1].drbd.resources[0];
    expect(r0).toMatchObject({ name: 'r0', role: 'Primary', connections: [{ connection: 'Connecting', peerDevices: [{ replication: 'Off', outOfSyncKiB: 56 }] }] });
    expect(doc.cluster.nodes.find((n: { name: string }) => n.name === 'node1').online).toBe(false);
    expect(doc.problems[0]).toMatchObject({ severity: 'CRITICAL', node: 'node1' });
  });

  it('has exactly the top-level and per-node fields docs/monitor-json.md documents', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../../docs/monitor-json.md', import.meta.url), 'utf8');
    expect(await run(['--demo=running', '--json'])).toBe(0);
    const doc = JSON.parse(out);
    for (const k of Object.keys(doc)) expect(md).toContain(`"${k}"`);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'generatedAt', 'health', 'exitCode', 'problems', 'acceptNoFencing', 'expected', 'unexpected', 'cluster', 'fencing', 'nodes']);
    expect(Object.keys(doc.nodes[0])).toEqual(['name', 'target', 'reachability', 'readings', 'clockOffsetMs', 'drbd', 'raid', 'lvm', 'ping', 'nfs', 'pacemakerError', 'lastErrors']);
    for (const k of Object.keys(doc.nodes[0].readings)) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.nodes[0].readings.drbd)) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.expected)) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.nodes[0])) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.nodes[0].drbd.resources[0])) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.cluster)) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.fencing)) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.nodes[0].raid.arrays[0])) expect(md).toContain(`"${k}"`);
    for (const k of Object.keys(doc.nodes[0].lvm.lvs[0])) expect(md).toContain(`"${k}"`);
  });
});

describe('monitor bad input: one line, exit 2 (3 with --check)', () => {
  it.each([
    [['--bogus'], 2, /^error: --bogus: /],
    [['--interval', 'fast', '--demo'], 2, /^error: --interval: "fast" is not a number of seconds/],
    [['--check', '--json', '--demo'], 3, /^error: --json: cannot be combined with --check; choose one/],
    [['--prometheus', '--json', '--demo'], 2, /^error: --prometheus: cannot be combined with --json; choose one/],
    [['--once', '--listen', '127.0.0.1:9', '--demo'], 2, /^error: --listen: cannot be combined with --once/],
    [['--check', '--timeout', 'soon', '--demo'], 3, /^error: --timeout: "soon" is not a number of seconds/],
    [['--demo=nope', '--once'], 2, /^error: --demo: no demo scenario "nope"/],
    [['--demo', '--node', 'root@x'], 2, /^error: --node: cannot be combined with --demo/],
    [['--check', '--interval', '0'], 3, /^error: --interval: /],
    [['--check', '--answers', '/nonexistent/answers.yaml'], 3, /^error: --answers: \/nonexistent\/answers.yaml: no such file/],
  ])('%j -> %i', async (argv, code, msg) => {
    expect(await run(argv)).toBe(code);
    expect(err).toMatch(msg);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(out).toBe('');
  });
});

describe('monitor --demo=trixie-* (the Debian 13 lab, Pacemaker 3.0, test/fixtures/lab-trixie)', () => {
  it('--once: the running cluster as the lab recorded it, lab2 active; the uncaptured CIB is UNKNOWN', async () => {
    expect(await run(['--demo=trixie-running', '--once', '--accept-no-fencing'])).toBe(0);
    expect(out).toMatch(/^hanfs monitor .* health: UNKNOWN\n/);
    expect(out).toContain('Pacemaker: DC lab1, quorum yes; lab1 online, lab2 online');
    expect(out).toContain('virtual IP (p_vip) on lab2; NFS server (p_nfsserver) on lab2');
    expect(out).toContain('p_drbd_nfsdata Promoted lab2 / Unpromoted lab1');
    expect(out).toContain('DRBD nfsdata: Primary UpToDate, peer Secondary UpToDate, Connected/Established');
    expect(out).toContain('DRBD nfsdata: Secondary UpToDate, peer Primary UpToDate, Connected/Established');
    expect(out).toContain('NFS: nfs-server active, exports /srv/nfs/export -> 192.168.101.0/24');
    expect(out).toContain('RAID md0: active raid1 [UU]');
    // The only problems: the lab never captured `cibadmin -Q` (demo-lab/README.md), said as such.
    const problems = out.split('\n\n')[0]!.split('\n').slice(1);
    expect(problems).toEqual([
      expect.stringMatching(/^ {2}UNKNOWN {2}lab1: cib reading: cannot read cluster configuration \(cibadmin -Q\): .*no capture for: cibadmin -Q/),
      expect.stringMatching(/^ {2}UNKNOWN {2}lab2: cib reading: /),
    ]);
    expect(err).toBe('');
  });

  it('--json after the failover: CRITICAL, lab2 down and OFFLINE, lab1 Primary serving NFS', async () => {
    expect(await run(['--demo=trixie-failed-over', '--json'])).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ schemaVersion: 1, health: 'CRITICAL', exitCode: 2 });
    expect(doc.nodes.map((n: { name: string; reachability: { status: string } }) => [n.name, n.reachability.status])).toEqual([['lab1', 'up'], ['lab2', 'down']]);
    expect(doc.nodes[0].drbd.resources[0]).toMatchObject({ name: 'nfsdata', role: 'Primary', connections: [{ connection: 'Connecting', peerDevices: [{ replication: 'Off', peerDisk: 'Outdated' }] }] });
    expect(doc.cluster.nodes.map((n: { name: string; online: boolean }) => [n.name, n.online])).toEqual([['lab1', true], ['lab2', false]]);
    expect(doc.problems[0]).toMatchObject({ severity: 'CRITICAL', node: 'lab2' });
  });

  it('--check: UNKNOWN (exit 3) while the CIB was not captured, never OK', async () => {
    expect(await run(['--demo=trixie-running', '--check', '--accept-no-fencing'])).toBe(3);
    expect(out).toMatch(/^HANFS UNKNOWN - 2 problems: lab1 cib reading: .*lab2 cib reading: /);
  });

  // trixie-after-drills is the first Debian 13 state with the CIB captured (and the monitor's own lvm
  // fullreport): every component is read, and the verdict is the cluster's alone.
  it('--check after every drill: OK (exit 0) with the lab\'s accepted lack of fencing, WARNING (exit 1) without', async () => {
    expect(await run(['--demo=trixie-after-drills', '--check', '--accept-no-fencing'])).toBe(0);
    expect(out).toBe('HANFS OK - all nodes, DRBD, RAID, Pacemaker and NFS fine (fencing disabled: accepted with --accept-no-fencing)\n');
    out = '';
    expect(await run(['--demo=trixie-after-drills', '--check'])).toBe(1);
    expect(out).toMatch(/^HANFS WARNING - 1 problem: cluster fencing: fencing disabled \(stonith-enabled=false\)/);
    expect(err).toBe('');
  });

  it('--once after every drill: lab2 serving, the grown volume group, nothing UNKNOWN', async () => {
    expect(await run(['--demo=trixie-after-drills', '--once', '--accept-no-fencing'])).toBe(0);
    expect(out).toMatch(/^hanfs monitor .* health: OK\n/);
    expect(out).toContain('p_drbd_nfsdata Unpromoted lab1 / Promoted lab2');
    expect(out).toContain('NFS: nfs-server active, exports /srv/nfs/export -> 192.168.101.0/24');
    expect(out).not.toMatch(/UNKNOWN|cannot read|no capture/);
  });

  it('--check with lab1\'s service link cut: CRITICAL (exit 2), lab1 lost its gateway, the service on lab2', async () => {
    expect(await run(['--demo=trixie-service-link-cut', '--check', '--accept-no-fencing'])).toBe(2);
    expect(out).toMatch(/^HANFS CRITICAL - 4 problems: lab1 ping attribute pingd: connectivity lost \(pingd 0\): the service cannot fail over to this node; /);
  });

  it('--check after lab2 rejoined: nothing wrong but the uncaptured CIB (UNKNOWN, exit 3)', async () => {
    expect(await run(['--demo=trixie-rejoined', '--check', '--accept-no-fencing'])).toBe(3);
    expect(out).toMatch(/^HANFS UNKNOWN - 2 problems: lab1 cib reading: .*lab2 cib reading: /);
  });
});
