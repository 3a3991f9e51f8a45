// The Pacemaker screen with SBD and a quorum device (issue 26, points 5 and 6), keypress by keypress on
// the demo lab with one disk both nodes see (test/steps/shared-disk-facts.ts): the quorum device's fields,
// SBD's disk chosen among the probed devices (a refused one shows why and blocks Next), diskless SBD once
// a quorum device is set, the timeouts derived on screen as the watchdog timeout is typed; the saved
// answers hold exactly the answers file's fields, and their export passes crm_verify and corosync -t.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KEY, press, type, waitFor, waitForText } from '../../helpers/ink.js';
import { exportTo } from '../../helpers/export-cli.js';
import { validateCib } from '../../helpers/validators/pacemaker.js';
import { validateCorosyncConf } from '../../helpers/validators/corosync.js';
import { createWizardServices } from '../../../src/commands/wizard-services.js';
import type { WizardServices } from '../../../src/steps/services.js';
import { SHARED_BY_ID, withSharedDisk } from '../../steps/shared-disk-facts.js';
import { demoAnswers, renderWizard } from './wizard-harness.js';

afterEach(() => cleanup());

/** The demo lab's probes, with node1's disk vde also attached to node2 (a shared disk). */
function sharedDiskProbe(): Partial<WizardServices> {
  const real = createWizardServices({ demo: true, answersPath: join(mkdtempSync(join(tmpdir(), 'hanfs-sbd-probe-')), 'unused.yaml') });
  return { probe: async (t, c, s) => {
    const r = await real.probe(t, c, s);
    return r.ok ? { ...r, facts: withSharedDisk(r.facts) } : r;
  } };
}

const saved = (path: string) => parse(readFileSync(path, 'utf8')) as Record<string, any>;
const fits = (frames: string[]) => frames.filter((f) => f.split('\n').length > 24 || f.split('\n').some((l) => [...l].length > 80));

describe('SBD and a quorum device on the Pacemaker screen', () => {
  test('qnetd and SBD on the shared disk: typed, saved as the answers\' fields, exported, accepted by crm_verify and corosync -t', async () => {
    const r = renderWizard({ step: 'pacemaker', draft: demoAnswers(), services: sharedDiskProbe() });
    await r.settled();
    await waitForText(r.lastFrame, 'Stickiness');
    await press(r, KEY.down);
    await press(r, KEY.right);
    expect(await waitForText(r.lastFrame, 'qnetd host')).toMatch(/qnetd: a third vote from corosync-qnetd/);
    await press(r, KEY.down);
    await type(r, '192.168.100.5');
    expect(r.lastFrame()).toMatch(/qnetd port\s+5403/);
    expect(r.lastFrame()).toMatch(/qnetd algorithm\s+‹ ffsplit ›/);
    await press(r, KEY.down, 2);
    await press(r, KEY.right); // lms
    await press(r, KEY.down);
    await type(r, 'root@192.168.100.5');

    // STONITH: SBD proposes the disk both nodes see, and shows the derived timeouts.
    await press(r, KEY.down);
    await press(r, KEY.right);
    let frame = await waitForText(r.lastFrame, /STONITH\s+‹ sbd ›/);
    expect(frame).toMatch(/SBD disk\s+‹ virtio-HANFS-N1-SMALL32M 0\.03 GiB ›/);
    expect(frame).toMatch(/SBD watchdog\s+\/dev\/watchdog/);
    expect(frame.replace(/\s+/g, ' ')).toMatch(/SBD: msgwait 10 s \(2 x watchdog 5 s\), stonith-timeout \d+ s \(derived\)/);
    await press(r, KEY.down);
    expect(r.lastFrame()!.replace(/\s+/g, ' ')).toContain('vde on node1, vdh on node2, the same disk on both nodes');

    // ← from the first choice wraps to the last: diskless (a quorum device is set), then the DRBD device.
    frame = await press(r, KEY.left);
    expect(frame).toMatch(/SBD disk\s+‹ none: diskless SBD ›/);
    expect(frame.replace(/\s+/g, ' ')).toContain('SBD: stonith-watchdog-timeout 10 s (2 x watchdog 5 s)');
    frame = await press(r, KEY.left);
    expect(frame).toMatch(/SBD disk\s+‹ \/dev\/drbd0 ›/);
    expect(frame.replace(/\s+/g, ' ')).toMatch(/✗ \/dev\/drbd0 is a DRBD device: sbd\(8\) forbids a mirrored SBD disk/);
    await press(r, KEY.right, 2);
    expect(await waitForText(r.lastFrame, /SBD disk\s+‹ virtio-HANFS-N1-SMALL32M/)).not.toContain('✗');

    // The watchdog timeout typed: the derived timeouts follow.
    await press(r, KEY.down, 2);
    await press(r, KEY.backspace);
    frame = await type(r, '12');
    expect(frame.replace(/\s+/g, ' ')).toContain('SBD: msgwait 24 s (2 x watchdog 12 s)');
    await press(r, KEY.down);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'Snapshots kept');
    expect(fits(r.frames).slice(0, 1)).toEqual([]);

    await waitFor(() => saved(r.answersPath).pacemaker?.stonith?.sbd !== undefined);
    const a = saved(r.answersPath);
    expect(a.pacemaker.stonith).toEqual({ sbd: { device: SHARED_BY_ID, watchdog: '/dev/watchdog', watchdogTimeout: 12 } });
    expect(a.cluster.quorumDevice).toEqual({ host: '192.168.100.5', port: 5403, algorithm: 'lms', ssh: 'root@192.168.100.5' });
    expect(a.drbd.fencing).toBe('resource-and-stonith');

    // The CLI's export of the saved answers: fence_sbd in a CIB crm_verify accepts, the device in corosync.conf.
    const out = join(mkdtempSync(join(tmpdir(), 'hanfs-sbd-screen-')), 'out');
    const e = exportTo(r.answersPath, out);
    expect(e.status, e.stderr).toBe(0);
    const cib = readFileSync(join(out, 'cluster/cib.xml'), 'utf8');
    expect(cib).toMatch(/type="fence_sbd"/);
    expect(cib).toContain(`value="${SHARED_BY_ID}"`);
    expect(await validateCib(cib)).toEqual([]);
    const corosync = readFileSync(join(out, 'node1/etc/corosync/corosync.conf'), 'utf8');
    expect(corosync).toMatch(/model: net/);
    expect(corosync).not.toMatch(/^\s*two_node:/m);
    const v = validateCorosyncConf(corosync, 'node1');
    expect(v.ok, v.output).toBe(true);
  }, 240_000);

  test('without a quorum device: no diskless choice; a RAID member chosen for SBD blocks Next with the reason', async () => {
    const r = renderWizard({ step: 'pacemaker', draft: demoAnswers(), services: sharedDiskProbe() });
    await r.settled();
    await waitForText(r.lastFrame, 'Stickiness');
    await press(r, KEY.down, 2);
    await press(r, KEY.right);
    await waitForText(r.lastFrame, /SBD disk\s+‹ virtio-HANFS-N1-SMALL32M/);
    await press(r, KEY.down);
    // Once around every choice: never diskless; node1's RAID member is among them.
    let seenMember = '';
    for (let i = 0; i < 40; i++) {
      const f = await press(r, KEY.right);
      expect(f).not.toContain('diskless');
      if (/SBD disk\s+‹ virtio-HANFS-N1-RAID-B/.test(f)) seenMember = f;
      if (/SBD disk\s+‹ virtio-HANFS-N1-SMALL32M/.test(f)) break;
    }
    expect(r.lastFrame()).toMatch(/SBD disk\s+‹ virtio-HANFS-N1-SMALL32M/);
    expect(seenMember).not.toBe('');
    // Back to the RAID member (one ← at a time), then try Next.
    for (let i = 0; i < 40 && !/SBD disk\s+‹ virtio-HANFS-N1-RAID-B/.test(r.lastFrame()!); i++) await press(r, KEY.left);
    const f = r.lastFrame()!;
    expect(f).toMatch(/SBD disk\s+‹ virtio-HANFS-N1-RAID-B 0\.25 GiB ›/);
    expect(f.replace(/\s+/g, ' ')).toContain('a RAID1 member of node1 (nodes[0].disks): sbd(8) forbids an SBD disk mirrored by MD');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);
    // Next refused: still on the Pacemaker step.
    expect(r.lastFrame()).toContain('Pacemaker');
    expect(r.lastFrame()).not.toContain('Snapshots kept');
  }, 180_000);
});
