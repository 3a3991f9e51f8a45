import { describe, expect, it } from 'vitest';
import React from 'react';
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { ApplyScreen } from '../../../src/screens/apply/apply-screen.js';
import { ApplyWipeConfirm } from '../../../src/screens/apply/apply-wipe-confirm.js';
import { ApplyApp, createApplyBus } from '../../../src/screens/apply/apply-app.js';
import { applyUiReducer, initialApplyUiState, type ApplyUiAction, type ApplyUiState } from '../../../src/apply/ui-state.js';
import { reviewDisks } from '../../../src/apply/disk-review.js';
import { ReplayRunner } from '../../../src/exec/replay-runner.js';
import { KEY, press, type, waitFor, waitForText } from '../../helpers/ink.js';

const step = (node: string, id: string, title: string) => ({ id: `${node}/${id}`, node, title, destructive: false, group: 'g' });
const reduce = (actions: ApplyUiAction[]): ApplyUiState => actions.reduce(applyUiReducer, initialApplyUiState);

describe('ApplyScreen', () => {
  it('shows finished steps with their time, the live step per node with its progress bar', () => {
    const state = reduce([
      { type: 'event', event: { type: 'step-skip', step: step('node1', 'modprobe', 'load the DRBD kernel module'), reason: '/proc/drbd exists' } },
      { type: 'event', event: { type: 'step-start', step: step('node1', 'raid', 'create RAID1 /dev/md0'), at: 1000 } },
      { type: 'event', event: { type: 'step-done', step: step('node1', 'raid', 'create RAID1 /dev/md0'), durationMs: 2345 } },
      { type: 'event', event: { type: 'step-start', step: step('node1', 'sync', 'full initial sync from node1'), at: 5000 } },
      { type: 'event', event: { type: 'command', step: step('node1', 'sync', 'full initial sync from node1'), command: 'drbdadm primary --force r0' } },
      { type: 'event', event: { type: 'progress', step: step('node1', 'sync', 'full initial sync from node1'), percent: 42.5, rateKiBs: 19456, etaSec: 8, what: 'DRBD initial sync' } },
      { type: 'event', event: { type: 'step-start', step: step('node2', 'pv', 'make /dev/md0 an LVM physical volume'), at: 6000 } },
    ]);
    const { lastFrame } = render(<ApplyScreen state={state} now={15000} onAnswer={() => {}} />);
    const f = lastFrame() ?? '';
    expect(f).toMatch(/\[node1\] load the DRBD kernel module \(already done\)/);
    expect(f).toMatch(/✔ \[node1\] create RAID1 \/dev\/md0 \(2\.3 s\)/);
    expect(f).toMatch(/\[node1\] full initial sync from node1 \(10 s\)/);
    expect(f).toMatch(/\$ drbdadm primary --force r0/);
    expect(f).toMatch(/DRBD initial sync \[#+\.+\] 42\.5% 19\.0 MiB\/s ETA 0:00:08/);
    expect(f).toMatch(/\[node2\] make \/dev\/md0 an LVM physical volume \(9 s\)/);
  });

  it('shows a RAID resync in the background with its own bar while the node goes on, and drops it when finished', () => {
    const raid = step('node1', 'raid', 'create RAID1 /dev/md0');
    const bgEvent = (percent: number) => ({ type: 'event' as const, event: { type: 'progress' as const, step: raid, percent, rateKiBs: 8000, etaSec: 31, what: 'RAID1 resync of /dev/md0', background: true } });
    const running = reduce([
      { type: 'event', event: { type: 'step-start', step: raid, at: 0 } },
      { type: 'event', event: { type: 'step-done', step: raid, durationMs: 1200 } },
      bgEvent(6),
      { type: 'event', event: { type: 'step-start', step: step('node1', 'pv', 'make /dev/md0 an LVM physical volume'), at: 2000 } },
    ]);
    const f = render(<ApplyScreen state={running} now={5000} onAnswer={() => {}} />).lastFrame() ?? '';
    expect(f).toMatch(/\[node1\] make \/dev\/md0 an LVM physical volume \(3 s\)/);
    expect(f).toMatch(/\[node1\] RAID1 resync of \/dev\/md0 \(in the background; apply goes on\)/);
    expect(f).toMatch(/RAID1 resync of \/dev\/md0 \[#+\.+\] 6\.0% 7\.8 MiB\/s ETA 0:00:31/);
    const done = applyUiReducer(running, bgEvent(100));
    expect(render(<ApplyScreen state={done} now={5000} onAnswer={() => {}} />).lastFrame()).not.toMatch(/in the background/);
  });

  it('shows a failure with its command, exit code, stderr and what to do next', () => {
    const state = reduce([
      { type: 'event', event: { type: 'step-start', step: step('node2', 'nfs-unit', 'keep the NFS server off at boot'), at: 0 } },
      { type: 'event', event: { type: 'step-failed', step: step('node2', 'nfs-unit', 'keep the NFS server off at boot'), failure: { command: 'systemctl disable nfs-server.service', exitCode: 1, stderr: 'Access denied', next: 'Fix the cause on node2, then run apply again' } } },
    ]);
    const f = render(<ApplyScreen state={state} now={0} onAnswer={() => {}} />).lastFrame() ?? '';
    expect(f).toMatch(/node2: keep the NFS server off at boot failed/);
    expect(f).toMatch(/command: systemctl disable nfs-server\.service/);
    expect(f).toMatch(/exit code: 1/);
    expect(f).toMatch(/stderr: Access denied/);
    expect(f).toMatch(/next: Fix the cause on node2/);
  });
});

describe('ApplyWipeConfirm', () => {
  it('lists the disk from real probes and confirms only when the node name is typed', async () => {
    // The review of a real captured disk (lab node1's blank RAID disk), as the engine builds it.
    const runner = new ReplayRunner({ dir: join(import.meta.dirname, '../../fixtures/apply/disk-changed/node1'), label: 'node1' });
    const [review] = await reviewDisks(runner, 'node1', ['/dev/vdb']);
    const answers: boolean[] = [];
    const r = render(<ApplyWipeConfirm node="node1" disks={[review!]} onAnswer={(y) => answers.push(y)} />);
    expect(r.lastFrame()).toMatch(/\/dev\/vdb \(\/dev\/vdb\)\s+256 MiB\s+model -\s+serial HANFS-N1-RAID-B\s+signatures: none/);
    await type(r, 'node2');
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'That is not node1');
    expect(answers).toEqual([]);
    await type(r, 'node1');
    await press(r, KEY.enter).catch(() => undefined);
    expect(answers).toEqual([true]);
  });

  it('Esc refuses', async () => {
    const answers: boolean[] = [];
    const r = render(<ApplyWipeConfirm node="node1" disks={[]} onAnswer={(y) => answers.push(y)} />);
    r.stdin.write(KEY.escape);
    await new Promise((res) => setTimeout(res, 100));
    expect(answers).toEqual([false]);
  });
});

describe('ApplyApp with its bus', () => {
  it('renders events sent before and after mounting, asks, and passes the answer back', async () => {
    const bus = createApplyBus();
    bus.send({ type: 'event', event: { type: 'message', level: 'info', text: 'plan: 3 steps' } });
    const r = render(<ApplyApp bus={bus} />);
    await waitForText(r.lastFrame, 'plan: 3 steps');
    const answer = bus.ask({ type: 'prompt', prompt: { kind: 'yes-no', question: 'Install the cluster packages on node1?', detail: [] } });
    await waitForText(r.lastFrame, 'Install the cluster packages on node1? [y/n]');
    // The prompt's key handler attaches right after its first frame: type until it is heard.
    let answered: boolean | null = null;
    void answer.then((y) => (answered = y));
    await waitFor(() => {
      if (answered === null) r.stdin.write('y');
      return answered !== null;
    });
    expect(answered).toBe(true);
    bus.send({ type: 'outcome', outcome: { kind: 'done', ran: ['a'], skipped: [], background: [] } });
    await waitForText(r.lastFrame, 'apply finished: 1 steps ran');
    r.unmount();
  });
});
