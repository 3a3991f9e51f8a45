// Bad input typed or chosen on a screen shows an error next to the field and blocks Next.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, press, type, waitForText } from '../../helpers/ink.js';
import { setPath } from '../../../src/steps/draft.js';
import { demoAnswers, renderWizard } from './wizard-harness.js';

afterEach(() => cleanup());

/** Enter on Next must leave the screen where it is, saying why. */
async function expectBlocked(r: ReturnType<typeof renderWizard>, position: string, stopsToNext: number) {
  await press(r, KEY.down, stopsToNext);
  const frame = await press(r, KEY.enter);
  expect(frame).toContain(position);
  expect(frame).toMatch(/\[ Next \] blocked: fix the/);
}

describe('bad inputs', () => {
  test('an invalid replication address', async () => {
    const r = renderWizard({ step: 'drbd', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'enp0s9: UP');
    await press(r, KEY.down);
    await press(r, KEY.ctrlU);
    const frame = await type(r, '10.10.0.311/24');
    expect(frame).toMatch(/address\s+10\.10\.0\.311\/24▏?\n\s+✗ must be an IPv4 address with prefix/);
    await expectBlocked(r, '9/15 · DRBD replication', 10);
  });

  test('a virtual IP equal to a node address', async () => {
    const r = renderWizard({ step: 'network', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'enp0s9: UP');
    await press(r, KEY.down, 4);
    await press(r, KEY.ctrlU);
    const frame = await type(r, '192.168.100.12/24');
    expect(frame).toMatch(/✗ 192\.168\.100\.12\/24 is already used by nodes\[1\]\.service\.address/);
    await expectBlocked(r, '10/15 · Service network', 3);
  });

  test('a disk in use (the stale md member vdg) chosen with Space', async () => {
    const r = renderWizard({ step: 'disks-0', draft: setPath(demoAnswers(), 'nodes[0].disks', []) });
    await waitForText(r.lastFrame, 'node1: choose exactly two disks');
    await press(r, KEY.down);
    await press(r, KEY.space);
    await press(r, KEY.down, 5);
    const frame = await press(r, KEY.space);
    expect(frame).toMatch(/✗ vdg cannot be used: in use by md127 \(md\)/);
    const after = await press(r, KEY.enter);
    expect(after).toContain('5/15 · Disks of the first node');
    expect(after).toMatch(/blocked/);
  });

  test('the same disk twice, by kernel name and by its by-id link', async () => {
    const r = renderWizard({ step: 'disks-0', draft: setPath(demoAnswers(), 'nodes[0].disks', ['/dev/vdb', '/dev/disk/by-id/virtio-HANFS-N1-RAID-B']) });
    const frame = await waitForText(r.lastFrame, 'is the same disk as /dev/vdb');
    expect(frame).toMatch(/\[x\] vdb/);
    const after = await press(r, KEY.enter);
    expect(after).toContain('5/15 · Disks of the first node');
    expect(after).toMatch(/blocked/);
  });

  test('an export outside the replicated mount point cannot be saved', async () => {
    const r = renderWizard({ step: 'exports', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'NFS versions');
    await press(r, 'a');
    await waitForText(r.lastFrame, 'New export');
    await press(r, KEY.ctrlU);
    const frame = await type(r, '/home');
    expect(frame).toMatch(/✗ \/home is not under filesystem\.mount \(\/srv\/nfs\)/);
    await press(r, KEY.down, 3);
    const after = await press(r, KEY.enter);
    expect(after).toContain('New export');
    expect(after).toMatch(/\[ Save export \] blocked/);
    expect(after).toContain('not saved: fix the fields marked ✗ first');
  });

  test('a cluster name with capitals', async () => {
    const r = renderWizard({ step: 'nodes', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'hanfs-demo');
    await press(r, KEY.down, 2);
    const frame = await type(r, 'X');
    expect(frame).toMatch(/✗ must be 1-32 of a-z, 0-9 and "-", starting with a letter/);
    await expectBlocked(r, '2/15 · The two nodes', 1);
  });
});
