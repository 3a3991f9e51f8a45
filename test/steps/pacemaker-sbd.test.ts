// The Pacemaker step's SBD and quorum device choices as data (issue 26, points 5 and 6), on the demo
// lab's real facts: the SBD disk chosen among the probed devices, diskless SBD only with a quorum device,
// the watchdog and the derived timeouts, the qnetd fields; and the round trip: answers the step writes
// pass the answers validator and plan into apply's SBD and quorum device phases.
import { beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { NodeFacts } from '../../src/probes/types.js';
import { pacemakerStep } from '../../src/steps/pacemaker.js';
import { DISKLESS } from '../../src/steps/sbd-fields.js';
import { draftToYaml, getPath, setPath } from '../../src/steps/draft.js';
import { parseAnswersText } from '../../src/answers/load.js';
import { applyNotYet } from '../../src/answers/fencing-checks.js';
import { planSteps } from '../../src/plan/plan.js';
import { buildCibModel } from '../../src/generate/cib-model.js';
import type { Draft, FieldDef, StepContext } from '../../src/steps/types.js';
import { ctxOf, demoFacts } from './demo-facts.js';
import { SHARED_BY_ID, withSharedDisk } from './shared-disk-facts.js';
import { parseWatchdogDevices } from '../../src/probes/watchdog.js';

let bare: StepContext;
let shared: StepContext;
beforeAll(async () => {
  const facts: NodeFacts[] = await demoFacts();
  bare = ctxOf(facts);
  shared = ctxOf(withSharedDisk(facts));
});
const demo = (): Draft => parse(readFileSync(new URL('../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8'));
const fieldsOf = (d: Draft, ctx: StepContext) => pacemakerStep.fields!(d, ctx);
const field = (d: Draft, ctx: StepContext, path: string): FieldDef => {
  const f = fieldsOf(d, ctx).find((x) => x.path === path);
  if (!f) throw new Error(`no field ${path} in ${fieldsOf(d, ctx).map((x) => x.path).join(', ')}`);
  return f;
};
/** What the form screen does with a field: its own write, else the value at its path. */
const write = (d: Draft, ctx: StepContext, path: string, v: unknown): Draft => {
  const f = field(d, ctx, path);
  return f.write ? f.write(d, v) : setPath(d, path, v);
};
const DEVICE = 'pacemaker.stonith.sbd.device';
const read = (d: Draft, ctx: StepContext, path: string) => {
  const f = field(d, ctx, path);
  return f.read ? f.read(d) : getPath(d, path);
};

/** The saved answers file of a draft, loaded as apply loads it. */
function load(d: Draft) {
  const r = parseAnswersText(draftToYaml(d));
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}

describe('SBD with a shared disk', () => {
  test('choosing SBD proposes the disk both nodes see, the default watchdog and timeout, and DRBD fences with STONITH', () => {
    const d = write(demo(), shared, 'pacemaker.stonith', 'sbd');
    expect(getPath(d, 'pacemaker.stonith')).toEqual({ sbd: { device: SHARED_BY_ID, watchdog: '/dev/watchdog', watchdogTimeout: 5 } });
    expect(getPath(d, 'drbd.fencing')).toBe('resource-and-stonith');
    expect(fieldsOf(d, shared).map((f) => f.path)).toEqual([
      'pacemaker.stickiness', 'cluster.quorumDevice', 'pacemaker.stonith', DEVICE, 'pacemaker.stonith.sbd.watchdog', 'pacemaker.stonith.sbd.watchdogTimeout',
    ]);
    expect(pacemakerStep.validate(d, shared)).toEqual({});
    // the device select lists every probed device, the usable one first, and explains each
    const opts = field(d, shared, DEVICE).options!;
    expect(opts[0]).toMatchObject({ value: SHARED_BY_ID, label: 'virtio-HANFS-N1-SMALL32M 0.03 GiB' });
    expect(opts[0]!.explain).toMatch(/vde on node1, vdh on node2, the same disk on both nodes/);
    expect(opts.map((o) => o.value)).toEqual(expect.arrayContaining(['/dev/md127', '/dev/md0', '/dev/drbd0', '/dev/vg_nfs/lv_nfs']));
    expect(opts.map((o) => o.value)).not.toContain(DISKLESS);
  });

  test('the timeouts shown are derived from the watchdog timeout as the CIB and sbd create get them', () => {
    let d = write(demo(), shared, 'pacemaker.stonith', 'sbd');
    for (const w of [5, 12, 60]) {
      d = write(d, shared, 'pacemaker.stonith.sbd.watchdogTimeout', w);
      const note = pacemakerStep.notes!(d, shared).find((n) => n.startsWith('SBD: '))!;
      const m = /msgwait (\d+) s \(2 x watchdog (\d+) s\), stonith-timeout (\d+) s/.exec(note);
      expect(m, note).not.toBeNull();
      const [msgwait, watchdog, stonithTimeout] = m!.slice(1).map(Number) as [number, number, number];
      expect(watchdog).toBe(w);
      expect(msgwait).toBe(2 * w);
      expect(stonithTimeout).toBeGreaterThanOrEqual(Math.ceil(1.2 * msgwait));
      expect(stonithTimeout).toBeGreaterThanOrEqual(2 * msgwait);
      // the very number the CIB gets
      const cib = buildCibModel(load(d));
      expect(JSON.stringify(cib)).toContain(`"stonith-timeout","${stonithTimeout}s"`);
    }
    // what choosing the disk means is said where it is chosen
    expect(field(d, shared, DEVICE).options![0]!.explain).toMatch(/sbd create writes SBD's slots on it, destroying what it holds \(apply asks you to type it first\)/);
    // an out-of-range timeout is the answers' own error, and no derived line is shown for it
    d = write(d, shared, 'pacemaker.stonith.sbd.watchdogTimeout', 3);
    expect(pacemakerStep.validate(d, shared)['pacemaker.stonith.sbd.watchdogTimeout']).toMatch(/at least 5 seconds/);
    expect(pacemakerStep.notes!(d, shared).some((n) => n.startsWith('SBD: '))).toBe(false);
  });

  test('a refused device blocks Next with its reason; a watchdog that is no watchdog device is the answers\' error', () => {
    let d = write(demo(), shared, 'pacemaker.stonith', 'sbd');
    d = write(d, shared, DEVICE, '/dev/disk/by-id/virtio-HANFS-N1-RAID-B');
    expect(pacemakerStep.validate(d, shared)[DEVICE]).toMatch(/not seen on node2 by the same id.*; a RAID1 member of node1/);
    d = write(d, shared, DEVICE, '/dev/drbd0');
    expect(pacemakerStep.validate(d, shared)[DEVICE]).toMatch(/DRBD device: sbd\(8\) forbids a mirrored SBD disk/);
    d = write(d, shared, DEVICE, '/dev/md127');
    expect(pacemakerStep.validate(d, shared)[DEVICE]).toMatch(/md RAID device/);
    d = write(d, shared, DEVICE, SHARED_BY_ID);
    d = write(d, shared, 'pacemaker.stonith.sbd.watchdog', '/dev/wd');
    expect(pacemakerStep.validate(d, shared)).toEqual({ 'pacemaker.stonith.sbd.watchdog': expect.stringMatching(/must be a watchdog device/) });
    d = write(d, shared, 'pacemaker.stonith.sbd.watchdog', '');
    expect(pacemakerStep.validate(d, shared)['pacemaker.stonith.sbd.watchdog']).toBe('is required');
  });

  test('a node the probe found without a watchdog refuses SBD on the watchdog field, saying what to do', () => {
    // node2's listing is the real capture of a machine without a watchdog (fixtures/probes/watchdog).
    const none = parseWatchdogDevices(readFileSync(new URL('../fixtures/probes/watchdog/find-dev-watchdog-none.stdout', import.meta.url), 'utf8'));
    const f = shared.facts!;
    const noDog = ctxOf([{ ...f[0]!, watchdog: { devices: ['/dev/watchdog', '/dev/watchdog0'] } }, { ...f[1]!, watchdog: none }]);
    let d = write(demo(), noDog, 'pacemaker.stonith', 'sbd');
    const errors = pacemakerStep.validate(d, noDog);
    expect(Object.keys(errors)).toEqual(['pacemaker.stonith.sbd.watchdog']);
    expect(errors['pacemaker.stonith.sbd.watchdog']).toMatch(/^node2 has no watchdog device \(no \/dev\/watchdog\*\), so SBD cannot reset it: enable the hardware watchdog .* or load softdog \(modprobe softdog/);
    expect(pacemakerStep.isComplete(d, noDog)).toBe(false);
    // both nodes with the device: no error; a device node1 lacks is named with what it has
    const both = ctxOf([{ ...f[0]!, watchdog: { devices: ['/dev/watchdog', '/dev/watchdog0'] } }, { ...f[1]!, watchdog: { devices: ['/dev/watchdog', '/dev/watchdog0'] } }]);
    expect(pacemakerStep.validate(d, both)).toEqual({});
    d = write(d, both, 'pacemaker.stonith.sbd.watchdog', '/dev/watchdog1');
    expect(pacemakerStep.validate(d, both)['pacemaker.stonith.sbd.watchdog']).toBe(
      '/dev/watchdog1 does not exist on node1, which has /dev/watchdog, /dev/watchdog0: name one of those; /dev/watchdog1 does not exist on node2, which has /dev/watchdog, /dev/watchdog0: name one of those',
    );
    // a value that is no watchdog path keeps the answers' own error
    d = write(d, noDog, 'pacemaker.stonith.sbd.watchdog', '/dev/wd');
    expect(pacemakerStep.validate(d, noDog)['pacemaker.stonith.sbd.watchdog']).toMatch(/must be a watchdog device/);
    // STONITH none asks nothing of the watchdog
    expect(pacemakerStep.validate(write(d, noDog, 'pacemaker.stonith', 'none'), noDog)['pacemaker.stonith.sbd.watchdog']).toBeUndefined();
  });

  test('without a shared disk SBD proposes none and says why diskless is not possible without a quorum device', () => {
    const d = write(demo(), bare, 'pacemaker.stonith', 'sbd');
    expect(getPath(d, DEVICE)).toBeUndefined();
    expect(pacemakerStep.validate(d, bare)[DEVICE]).toMatch(/is required without cluster\.quorumDevice/);
    expect(pacemakerStep.isComplete(d, bare)).toBe(false);
  });

  test('round trip: the answers pass the validator and plan into apply\'s SBD phase on the chosen disk', () => {
    const d = write(demo(), shared, 'pacemaker.stonith', 'sbd');
    const a = load(d);
    expect(a.pacemaker.stonith).toEqual({ sbd: { device: SHARED_BY_ID, watchdog: '/dev/watchdog', watchdogTimeout: 5 } });
    expect(applyNotYet(a)).toEqual([]);
    const steps = planSteps(a);
    const create = steps.find((s) => s.id === 'cluster/sbd-create')!;
    expect(create).toMatchObject({ node: 'node1', destructive: true, wipes: [SHARED_BY_ID] });
    expect(create.commands).toEqual([['sbd', '-d', SHARED_BY_ID, '-1', '5', '-4', '10', 'create']]);
    for (const n of ['node1', 'node2']) expect(steps.map((s) => s.id)).toEqual(expect.arrayContaining([`${n}/sbd-enable`, `${n}/sbd-running`, `${n}/file:/etc/default/sbd`]));
    expect(steps.map((s) => s.id)).toContain('node2/sbd-header');
  });
});

describe('the quorum device', () => {
  test('none by default; qnetd adds its fields with the answers\' defaults; none drops the section', () => {
    let d = demo();
    expect(read(d, bare, 'cluster.quorumDevice')).toBe('none');
    d = write(d, bare, 'cluster.quorumDevice', 'qnetd');
    expect(getPath(d, 'cluster.quorumDevice')).toEqual({ port: 5403, algorithm: 'ffsplit' });
    expect(fieldsOf(d, bare).map((f) => f.path).slice(1, 6)).toEqual([
      'cluster.quorumDevice', 'cluster.quorumDevice.host', 'cluster.quorumDevice.port', 'cluster.quorumDevice.algorithm', 'cluster.quorumDevice.ssh',
    ]);
    expect(pacemakerStep.validate(d, bare)).toEqual({ 'cluster.quorumDevice.host': 'is required' });
    d = write(d, bare, 'cluster.quorumDevice.host', '192.168.100.11');
    expect(pacemakerStep.validate(d, bare)['cluster.quorumDevice.host']).toMatch(/is a cluster node or the virtual IP: qnetd must run on a third host/);
    d = write(d, bare, 'cluster.quorumDevice.host', '192.168.100.5');
    expect(pacemakerStep.validate(d, bare)).toEqual({});
    expect(pacemakerStep.notes!(d, bare).join('\n')).toMatch(/Without the qnetd SSH target apply refuses the quorum device/);
    d = write(d, bare, 'cluster.quorumDevice.ssh', 'local');
    expect(pacemakerStep.validate(d, bare)['cluster.quorumDevice.ssh']).toMatch(/not "local"/);
    d = write(d, bare, 'cluster.quorumDevice.ssh', 'root@192.168.100.5');
    expect(pacemakerStep.validate(d, bare)).toEqual({});
    // emptied, the ssh field is left out of the answers (export only), not written as ""
    expect(getPath(write(d, bare, 'cluster.quorumDevice.ssh', ''), 'cluster.quorumDevice')).toEqual({ port: 5403, algorithm: 'ffsplit', host: '192.168.100.5' });
    expect(getPath(write(d, bare, 'cluster.quorumDevice', 'none'), 'cluster')).toEqual({ name: 'hanfs-demo' });
  });

  test('diskless SBD is offered only with a quorum device; dropping the device makes it an error again', () => {
    let d = write(demo(), bare, 'pacemaker.stonith', 'sbd');
    expect(field(d, bare, DEVICE).options!.map((o) => o.value)).not.toContain(DISKLESS);
    d = write(d, bare, 'cluster.quorumDevice', 'qnetd');
    d = write(d, bare, 'cluster.quorumDevice.host', 'qnetd.example.net');
    d = write(d, bare, 'cluster.quorumDevice.ssh', 'root@qnetd.example.net');
    expect(field(d, bare, DEVICE).options!.map((o) => o.value)).toContain(DISKLESS);
    expect(read(d, bare, DEVICE)).toBe(DISKLESS);
    expect(pacemakerStep.validate(d, bare)).toEqual({});
    const note = pacemakerStep.notes!(d, bare).find((n) => n.startsWith('SBD: '))!;
    expect(note).toMatch(/^SBD: stonith-watchdog-timeout 10 s \(2 x watchdog 5 s\), stonith-timeout \d+ s$/);
    expect(getPath(write(d, bare, 'cluster.quorumDevice', 'none'), DEVICE)).toBeUndefined();
    expect(pacemakerStep.validate(write(d, bare, 'cluster.quorumDevice', 'none'), bare)[DEVICE]).toMatch(/is required without cluster\.quorumDevice/);
  });

  test('round trip: SBD with a disk and a quorum device pass the validator and plan into both phases', () => {
    let d = write(demo(), shared, 'cluster.quorumDevice', 'qnetd');
    d = write(d, shared, 'cluster.quorumDevice.host', '192.168.100.5');
    d = write(d, shared, 'cluster.quorumDevice.algorithm', 'lms');
    d = write(d, shared, 'cluster.quorumDevice.ssh', 'root@192.168.100.5:2222');
    d = write(d, shared, 'pacemaker.stonith', 'sbd');
    expect(pacemakerStep.validate(d, shared)).toEqual({});
    const a = load(d);
    expect(a.cluster.quorumDevice).toEqual({ host: '192.168.100.5', port: 5403, algorithm: 'lms', ssh: 'root@192.168.100.5:2222' });
    expect(applyNotYet(a)).toEqual([]);
    const ids = planSteps(a).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['cluster/sbd-create', 'node2/sbd-header', 'qnetd@192.168.100.5/packages', 'node1/qdevice-start', 'node2/qdevice-start']));
  });

  test('round trip: diskless SBD with a quorum device plans no sbd create, and the CIB gets stonith-watchdog-timeout', () => {
    let d = write(demo(), bare, 'cluster.quorumDevice', 'qnetd');
    d = write(d, bare, 'cluster.quorumDevice.host', '192.168.100.5');
    d = write(d, bare, 'cluster.quorumDevice.ssh', 'root@192.168.100.5');
    d = write(d, bare, 'pacemaker.stonith', 'sbd');
    const a = load(d);
    expect(a.pacemaker.stonith).toEqual({ sbd: { watchdog: '/dev/watchdog', watchdogTimeout: 5 } });
    const ids = planSteps(a).map((s) => s.id);
    expect(ids).not.toContain('cluster/sbd-create');
    expect(ids).toEqual(expect.arrayContaining(['node1/sbd-enable', 'node2/sbd-enable', 'qnetd@192.168.100.5/packages']));
    expect(JSON.stringify(buildCibModel(a))).toContain('"stonith-watchdog-timeout","10s"');
  });
});
