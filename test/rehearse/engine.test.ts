// The rehearsal with Pacemaker's real scheduler (crm_simulate, crm_attribute, crm_mon): it passes for
// the example and every varied answers file, and it catches configurations that break an invariant.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { forgetNodeStatus, parseSimulation, rehearse, rehearseCib, type RehearsalResult } from '../../src/rehearse/engine.js';
import { execa } from 'execa';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const EXAMPLE_FILES = ['examples/answers.yaml', ...readdirSync('examples/varied').filter((f) => f.endsWith('.yaml')).sort().map((f) => join('examples/varied', f))];

async function load(file: string): Promise<Answers> {
  const r = await loadAnswersFile(file);
  if (!r.ok) throw new Error(`${file}: invalid`);
  return r.answers;
}

function ok(r: RehearsalResult) {
  if (!r.ok) throw new Error(`rehearsal failed: ${r.message}`);
  return r;
}

const REQUIRED = [
  'cold-start',
  'both-up',
  'both-restart',
  'active-fails',
  'passive-fails',
  'active-returns',
  'active-loses-ping',
  'passive-loses-ping',
  'both-lose-ping',
  'p_fs-fails-once',
  'p_fs-fails-repeatedly',
  'p_nfsserver-fails-once',
  'p_nfsserver-fails-repeatedly',
  'p_exportfs_1-fails-once',
  'p_exportfs_1-fails-repeatedly',
  'p_vip-fails-once',
  'p_vip-fails-repeatedly',
  'stale-passive-active-fails',
  'standby',
  'standby-and-back',
  'switchover',
  'switchover-cleared',
];

describe.each(EXAMPLE_FILES)('rehearsal of %s', (file) => {
  let a: Answers;
  let r: Extract<RehearsalResult, { ok: true }>;
  beforeAll(async () => {
    a = await load(file);
    r = ok(await rehearse(a));
  }, 60_000);

  it('plays every scenario and every invariant holds', () => {
    expect(r.scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(REQUIRED));
    const broken = r.scenarios.flatMap((s) => [...s.violations.map((v) => `${s.id}: ${v.invariant}: ${v.message}`), ...(s.error ? [`${s.id}: ${s.error}`] : [])]);
    expect(broken).toEqual([]);
    expect(r.holds).toBe(true);
  });

  it('ends each scenario where Pacemaker should put the service', () => {
    const end = (id: string) => r.scenarios.find((s) => s.id === id)!.end;
    expect([a.nodes[0].name, a.nodes[1].name]).toContain(r.active);
    expect(end('both-up')).toBe(r.active);
    expect(end('active-fails')).toBe(r.passive);
    expect(end('passive-fails')).toBe(r.active);
    expect(end('active-loses-ping')).toBe(r.passive);
    expect(end('both-lose-ping')).toBe(a.ping.whenAllLost === 'stop' ? null : r.active);
    expect(end('p_vip-fails-once')).toBe(r.active);
    expect(end('p_vip-fails-repeatedly')).toBe(r.passive);
    expect(end('stale-passive-active-fails')).toBeNull();
    if (a.pacemaker.stickiness > 0) expect(end('active-returns')).toBe(r.passive);
    // hanfs-wizard switchover moves the group, and DRBD's promotion follows it (the real scheduler says so).
    expect(end('switchover')).toBe(r.passive);
    expect(r.scenarios.find((s) => s.id === 'switchover')!.promoted).toContain(r.passive);
    if (a.pacemaker.stickiness > 0) expect(end('switchover-cleared')).toBe(r.passive);
    // A single monitor failure is recovered in place: Pacemaker restarted the resource.
    expect(r.scenarios.find((s) => s.id === 'p_fs-fails-once')!.actions.some((x) => /^Recover p_fs\b/.test(x))).toBe(true);
  });
});

describe('the invariants bite (mutated CIBs of examples/answers.yaml)', () => {
  let a: Answers;
  let cib: string;
  beforeAll(async () => {
    a = await load('examples/answers.yaml');
    cib = renderCibXml(a);
  });

  async function broken(mutated: string): Promise<string[]> {
    expect(mutated).not.toBe(cib);
    const r = ok(await rehearseCib(mutated, a));
    expect(r.holds).toBe(false);
    return r.scenarios.flatMap((s) => s.violations.map((v) => `${s.id} ${v.invariant}`));
  }

  it('colocation removed: the service runs away from the Promoted node', async () => {
    const v = await broken(cib.replace(/\s*<rsc_colocation [^>]*\/>/, ''));
    expect(v).toContain('active-loses-ping service-together-on-promoted');
  }, 60_000);

  it('order removed: the filesystem may mount before DRBD is promoted', async () => {
    const v = await broken(cib.replace(/\s*<rsc_order [^>]*\/>/, ''));
    expect(v).toContain('active-fails stack-order');
  }, 60_000);

  it('ping rule removed: the service stays on a node that lost ping', async () => {
    const v = await broken(cib.replace(/\s*<rsc_location id="loc_nfs_needs_ping"[\s\S]*?<\/rsc_location>/, ''));
    expect(v).toEqual(expect.arrayContaining(['active-loses-ping service-where-allowed', 'active-loses-ping expected-outcome', 'both-lose-ping service-where-allowed']));
  }, 60_000);

  it('promoted-max 2: DRBD is Promoted on both nodes', async () => {
    const v = await broken(cib.replace('name="promoted-max" value="1"', 'name="promoted-max" value="2"'));
    expect(v).toContain('both-up one-promoted');
  }, 60_000);

  it('promotion guard removed: a stale node is promoted when the active one fails', async () => {
    const v = await broken(cib.replace(/\s*<rsc_location id="loc_drbd_promote_only_uptodate"[\s\S]*?<\/rsc_location>/, ''));
    expect(v).toEqual(expect.arrayContaining(['stale-passive-active-fails no-stale-data', 'stale-passive-active-fails expected-outcome']));
  }, 60_000);

  it('promotion guard\'s role on the constraint instead of its rule: DRBD cannot even start', async () => {
    const moved = cib
      .replace('<rule id="loc_drbd_promote_only_uptodate-rule" role="Promoted"', '<rule id="loc_drbd_promote_only_uptodate-rule"')
      .replace('<rsc_location id="loc_drbd_promote_only_uptodate" rsc="cl_drbd_nfsdata"', '<rsc_location id="loc_drbd_promote_only_uptodate" rsc="cl_drbd_nfsdata" role="Promoted"');
    const v = await broken(moved);
    expect(v).toContain('cold-start drbd-runs-everywhere');
  }, 60_000);

  it('ping rule removed with the stay policy too', async () => {
    const b = await load('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    const x = renderCibXml(b);
    const mutated = x.replace(/\s*<rsc_location id="loc_nfs_prefers_ping"[\s\S]*?<\/rsc_location>/, '');
    expect(mutated).not.toBe(x);
    const r = ok(await rehearseCib(mutated, b));
    expect(r.scenarios.flatMap((s) => s.violations.map((v) => `${s.id} ${v.invariant}`))).toContain('active-loses-ping service-where-allowed');
  }, 60_000);
});

describe('answers beyond the examples', () => {
  it('stay policy with a high stickiness still moves the service off a node that lost ping', async () => {
    const a = await load('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    const r = ok(await rehearse({ ...a, pacemaker: { ...a.pacemaker, stickiness: 1000 } }));
    const broken = r.scenarios.flatMap((s) => s.violations.map((v) => `${s.id}: ${v.invariant}: ${v.message}`));
    expect(broken).toEqual([]);
    expect(r.scenarios.find((s) => s.id === 'active-loses-ping')!.end).toBe(r.passive);
    expect(r.scenarios.find((s) => s.id === 'active-returns')!.end).toBe(r.passive);
  }, 60_000);
});

describe('aborting', () => {
  it('stops the tools, removes every temporary file and says so', async () => {
    const a = await load('examples/answers.yaml');
    const dir = await mkdtemp(join(tmpdir(), 'hanfs-abort-'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 400);
    const r = await rehearse(a, { signal: ac.signal, tmpDir: dir });
    expect(r).toMatchObject({ ok: false, reason: 'aborted' });
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});

describe('pure helpers of the engine', () => {
  it('reads crm_simulate\'s XML: the actions decided and the status it started from', async () => {
    const a = await load('examples/answers.yaml');
    const dir = await mkdtemp(join(tmpdir(), 'hanfs-sim-'));
    await writeFile(join(dir, 'cib.xml'), renderCibXml(a));
    const r = await execa('crm_simulate', ['-x', join(dir, 'cib.xml'), '-S', '-A', '-u', 'nfs1', '-u', 'nfs2', '-q', '1', '-O', join(dir, 'out.xml'), '--output-as=xml'], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const sim = parseSimulation(r.stdout);
    expect(sim).not.toBeNull();
    // Nodes just came up: the clones start everywhere, nothing is promoted before DRBD reports a score.
    expect(sim!.actions).toEqual(expect.arrayContaining(['Start p_drbd_nfsdata:0 (nfs1)', 'Start p_ping:1 (nfs2)']));
    expect(sim!.actions.some((x) => /^Promote/.test(x))).toBe(false);
    // The status is the one before this transition: the CIB names no node yet, nothing runs.
    expect(sim!.status.nodes).toEqual([]);
    expect(sim!.status.resources.filter((r) => r.id === 'p_drbd_nfsdata').every((r) => r.role === 'Stopped')).toBe(true);
    expect(parseSimulation('<cib/>')).toBeNull();
  }, 30_000);

  it('forgets only the rejoining node\'s history and transient attributes', () => {
    const xml = '<status><node_state id="1" uname="n.1" in_ccm="false"><lrm id="1"><x/></lrm><transient_attributes id="1"><y/></transient_attributes></node_state><node_state id="2" uname="n21"><lrm id="2"><x/></lrm></node_state></status>';
    // A fenced node's node_state is self-closing: nothing to forget, and above all not its neighbour's.
    const fenced = '<status><node_state id="1" uname="n1" in_ccm="false"/><node_state id="2" uname="n2"><lrm id="2"><x/></lrm></node_state></status>';
    expect(forgetNodeStatus(fenced, 'n1')).toBe(fenced);
    expect(forgetNodeStatus(xml, 'n.1')).toBe('<status><node_state id="1" uname="n.1" in_ccm="false"></node_state><node_state id="2" uname="n21"><lrm id="2"><x/></lrm></node_state></status>');
  });
});
