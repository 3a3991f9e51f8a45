// Bad fencing input (issue 26): each is refused with exactly one error naming the field, so the CLI
// stops before anything runs (load.ts: errors -> exit 2, nothing written). And the parameter lists the
// check uses are the agents' and the fencer's own metadata, byte for byte in name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import { FENCER_PARAMETERS, FENCE_AGENT_PARAMETERS } from '../../src/answers/fence-agent-params.js';
import { runTool } from '../helpers/validators/run.js';

const IPMI = readFileSync('examples/varied/nfs3-stay-fence-ipmilan.yaml', 'utf8');
const EXAMPLE = readFileSync('examples/answers.yaml', 'utf8');
const sbd = (device: string) => EXAMPLE.replace(/^ {2}stonith: none.*$/m, `  stonith: { sbd: { device: "${device}" } }`).replace(/^ {2}fencing: resource-only.*\n/m, '');

function problems(text: string) {
  const r = parseAnswersText(text);
  if (r.ok) throw new Error('expected the answers to be refused');
  return r.problems;
}

describe('a fence parameter the agent does not know', () => {
  it('is one error naming the node and the parameter', () => {
    const p = problems(IPMI.replace('nfs1: { ip: 192.168.20.11,', 'nfs1: { ip: 192.168.20.11, lanpluss: 1,'));
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe('pacemaker.stonith.nodes.nfs1.lanpluss');
    expect(p[0]!.message).toMatch(/fence_ipmilan has no parameter "lanpluss"/);
  });
  it('accepts the fencer\'s own parameters (pcmk_*) on any device', () => {
    expect(parseAnswersText(IPMI.replace('nfs1: { ip: 192.168.20.11,', 'nfs1: { ip: 192.168.20.11, pcmk_reboot_timeout: 120,')).ok).toBe(true);
  });
});

describe('an SBD device that is not a separate shared disk', () => {
  it.each([
    ['/dev/md0', /md RAID/],
    ['/dev/md/nfs', /md RAID/],
    ['/dev/drbd0', /DRBD/],
    ['/dev/vg_nfs/lv_nfs', /device-mapper\/LVM/],
    ['/dev/mapper/vg_nfs-lv_nfs', /device-mapper\/LVM/],
    ['/dev/disk/by-id/dm-name-vg_nfs-lv_nfs', /device-mapper\/LVM/],
    ['/dev/othervg/sbd', /logical volume/],
    ['/dev/sdd', /kernel name/],
  ])('%s: one error naming pacemaker.stonith.sbd.device', (device, why) => {
    const p = problems(sbd(device));
    expect(p.map((x) => x.path)).toEqual(['pacemaker.stonith.sbd.device']);
    expect(p[0]!.message).toMatch(why);
  });
  it('a RAID member of a node: part of the storage stack', () => {
    // The example lists its disks as a block list of by-id names (issue 25).
    const first = /disks:[^\n]*\n\s*- (\S+)/.exec(EXAMPLE)![1]!;
    expect(first).toMatch(/^\/dev\/disk\/by-id\//);
    const p = problems(sbd(first));
    expect(p.map((x) => x.path)).toEqual(['pacemaker.stonith.sbd.device']);
    expect(p[0]!.message).toMatch(/storage stack|kernel name/);
  });
  it('a by-id name of another disk is accepted', () => {
    expect(parseAnswersText(sbd('/dev/disk/by-id/scsi-36001405sbd0001')).ok).toBe(true);
  });
});

describe('a watchdog that is not a watchdog device, a bad timeout', () => {
  it('is one schema error naming the field', () => {
    const text = EXAMPLE.replace(/^ {2}stonith: none.*$/m, '  stonith: { sbd: { device: /dev/disk/by-id/scsi-1, watchdog: /dev/sda } }');
    expect(problems(text).map((p) => p.path)).toEqual(['pacemaker.stonith.sbd.watchdog']);
    const t2 = EXAMPLE.replace(/^ {2}stonith: none.*$/m, '  stonith: { sbd: { device: /dev/disk/by-id/scsi-1, watchdogTimeout: 2 } }');
    expect(problems(t2).map((p) => p.path)).toEqual(['pacemaker.stonith.sbd.watchdogTimeout']);
  });
});

describe('the quorum device on a node', () => {
  it('is one error naming cluster.quorumDevice.host', () => {
    const node = /service: \{[^}]*address: ([0-9.]+)\//.exec(EXAMPLE)![1]!;
    const p = problems(EXAMPLE.replace(/^cluster:\n/m, `cluster:\n  quorumDevice: { host: ${node} }\n`));
    expect(p.map((x) => x.path)).toEqual(['cluster.quorumDevice.host']);
  });
});

describe('parameter lists', () => {
  it.each(Object.keys(FENCE_AGENT_PARAMETERS))('%s: the names in its metadata fixture', (agent) => {
    const meta = readFileSync(`test/fixtures/fence-agents/${agent}.xml`, 'utf8');
    expect([...FENCE_AGENT_PARAMETERS[agent]!]).toEqual([...meta.matchAll(/<parameter name="([^"]+)"/g)].map((m) => m[1]));
  });
  it('the fencer\'s: pacemaker-fenced metadata here', () => {
    const r = runTool(['/usr/lib/pacemaker/pacemaker-fenced', 'metadata']);
    expect(r.missing, r.missing).toBeUndefined();
    expect([...FENCER_PARAMETERS]).toEqual([...r.stdout.matchAll(/<parameter name="([^"]+)"/g)].map((m) => m[1]));
  });
});

describe('the lab answers with fencing (test/lab/lab-answers-ipmi.yaml)', () => {
  it('load, fence through fence_ipmilan, and name the BMC addresses and credential of lab.conf', () => {
    const r = parseAnswersText(readFileSync('test/lab/lab-answers-ipmi.yaml', 'utf8'));
    if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    const conf = readFileSync('test/lab/lab.conf', 'utf8');
    const addrs = /^LAB_BMC_ADDRS=\(([^)]*)\)/m.exec(conf)![1]!.split(/\s+/);
    const password = /^LAB_BMC_PASSWORD=(\S+)/m.exec(conf)![1];
    const st = r.answers.pacemaker.stonith;
    if (st === 'none' || !('nodes' in st)) throw new Error('expected fence_ipmilan');
    expect(st.agent).toBe('fence_ipmilan');
    expect(r.answers.drbd.fencing).toBe('resource-and-stonith');
    expect(r.answers.nodes.map((n) => st.nodes[n.name]!['ip'])).toEqual(addrs);
    for (const n of r.answers.nodes) expect(st.nodes[n.name]!['password']).toBe(password);
    // ipmi_sim lists no cipher suites: without one ipmitool waits ~10 s per call (test/lab/bmc-power.test.ts)
    for (const n of r.answers.nodes) expect(String(st.nodes[n.name]!['cipher'])).toBe('3');
  });
});

describe('apply and the export-only choices', () => {
  it('names the quorum device\'s missing SSH target as what apply cannot do; nothing else (SBD is applied)', async () => {
    const { applyNotYet } = await import('../../src/answers/fencing-checks.js');
    const a = parseAnswersText(sbd('/dev/disk/by-id/scsi-36001405sbd0001').replace(/^cluster:\n/m, 'cluster:\n  quorumDevice: { host: 192.168.1.5 }\n'));
    if (!a.ok) throw new Error('expected to load');
    expect(applyNotYet(a.answers).map((p) => p.path)).toEqual(['cluster.quorumDevice.ssh']);
    const plain = parseAnswersText(IPMI);
    if (!plain.ok) throw new Error('expected to load');
    expect(applyNotYet(plain.answers)).toEqual([]);
  });
});
