// D (disk replace) and R (restore) in the live monitor, on the demo lab's recordings: the monitor's state
// and the action service's runners answer from the same real captures (degraded-raid: node1's md0 with
// vdc failed; running: node1 Primary with snapshot snap1). Plan shown, confirmation, the engine's run
// (a dry run: the recordings cannot change), as the other keys' tests do.
import { describe, expect, it } from 'vitest';
import { vi } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import { MonitorApp } from '../../../src/screens/monitor/monitor-app.js';
import { createActionService } from '../../../src/screens/monitor/action-service.js';
import { createStore } from '../../../src/monitor/store.js';
import { createDemoRunners } from '../../../src/exec/demo-lab.js';
import { demoMonitorState } from '../../helpers/demo-monitor-state.js';
import { restoreCluster } from '../../helpers/restore-world.js';

const DOWN = '\u001B[B';
const ESC = '\u001B';

function demo(scenario: string, mdstat?: string) {
  const runners = createDemoRunners(scenario);
  const actions = createActionService(runners.map((r) => ({ name: r.label, runner: r })), { dryRunReason: 'the demo lab is a recording, nothing can change on it' });
  const state = demoMonitorState(scenario, mdstat ? { mdstat } : {});
  const r = render(<Box width={80}><MonitorApp store={createStore(state)} onQuit={() => {}} onRefresh={() => {}} noColor actions={actions} /></Box>);
  const frame = () => r.lastFrame() ?? '';
  const type = (s: string) => { for (const c of s) r.stdin.write(c); };
  return { ...r, runners, actions, frame, type, flat: () => frame().replace(/[│\s]+/g, ' ') };
}

describe('D: disk replace from the monitor (degraded-raid recording)', () => {
  it('finds the degraded node, offers the disks its read found, shows the plan, asks the typed disk, runs it (dry run)', async () => {
    const { frame, flat, stdin, type, runners } = demo('degraded-raid', 'proc_mdstat.degraded-vdc-faulty');
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('D');
    await vi.waitFor(() => expect(frame()).toContain('replacement disk (blank, at least'), { timeout: 10_000 });
    expect(frame()).toContain('action: disk replace');
    expect(flat()).toContain('failed member (still listed): /dev/vdc');
    expect(frame()).toMatch(/> \/dev\/vdf {2}512 MiB .*virtio-HANFS-N1-SPARE {2}\(default\)/);
    // The disks not offered, each with the wizard's reason (vdd: the lab's old ext4; vde: its 32 MiB disk).
    expect(flat()).toMatch(/not offered: .*\/dev\/vdd: carries a signature: ext4.*\/dev\/vde: too small: 32 MiB/);
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    // Nothing is written before the typed confirmation: reads only.
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Type "/dev/vdf" + Enter (Esc stops):'), { timeout: 10_000 });
    expect(frame()).toContain('disk replace: replace the failed member of /dev/md0 on node1 with /dev/vdf');
    expect(frame()).toContain('replacement: /dev/vdf (512 MiB');
    expect(frame()).toMatch(/lines 1-8 of \d+: up\/down scrolls/);
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    // The steps further down: read by scrolling before typing.
    for (let i = 0; i < 6; i++) stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('$ mdadm --manage /dev/md0 --add /dev/vdf'));
    expect(frame()).toContain('[node1] Add /dev/vdf to /dev/md0: the rebuild starts (DESTRUCTIVE)');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    type('/dev/vde');
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Not the words asked for; nothing was run.'));
    type('/dev/vdf');
    await vi.waitFor(() => expect(frame()).toContain('(Esc stops): /dev/vdf'));
    stdin.write('\r');
    await vi.waitFor(() => expect(flat()).toMatch(/disk replace: dry run: \d+ steps would run, \d+ are already done; nothing was changed/), { timeout: 15_000 });
    expect(frame()).toMatch(/\[node1\] would run \(DESTRUCTIVE\): Add \/dev\/vdf to \/dev\/md0/);
    // The dry run took no lock and asked the node for nothing but reads.
    expect(runners[0]!.history.some((a) => a[0] === 'flock' || (a[0] === 'mdadm' && a[1] === '--manage'))).toBe(false);
  });

  it('with no degraded array the key says why and does nothing', async () => {
    const { frame, flat, stdin, runners } = demo('running');
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('D');
    await vi.waitFor(() => expect(flat()).toContain('error: no RAID array is degraded (mdstat): no disk to replace'));
    expect(runners.every((r) => r.history.length === 0)).toBe(true);
    stdin.write(ESC);
    await vi.waitFor(() => expect(frame()).not.toContain('action: disk replace'));
  });
});

describe('R: restore from the monitor (running recording)', () => {
  it('asks the path (bad input: one line naming PATH), the snapshot (newest first), where; plan, y, run (dry run)', async () => {
    const { frame, flat, stdin, type } = demo('running');
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('R');
    await vi.waitFor(() => expect(frame()).toContain('path to bring back (under /srv/nfs):'));
    type('/etc/passwd');
    stdin.write('\r');
    await vi.waitFor(() => expect(flat()).toContain('error: PATH: /etc/passwd is outside the export (/srv/nfs): restore brings back files of the export only'));
    // The value stays to correct; editing clears the error.
    for (let i = 0; i < '/etc/passwd'.length; i++) stdin.write('\u007F');
    type('/srv/nfs/e2e/f1');
    await vi.waitFor(() => expect(frame()).toContain('(under /srv/nfs): /srv/nfs/e2e/f1'));
    expect(frame()).not.toContain('error: PATH');
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('from which snapshot:'));
    expect(frame()).toContain('snapshots of node1 (DRBD Primary, where restore reads them), newest first');
    expect(frame()).toMatch(/> snap1 {2}taken 2026-11-25 19:31Z/);
    expect(frame()).toContain('at a time: the newest snapshot taken at or before it');
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('where the copy goes:'));
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('[y/N]'), { timeout: 10_000 });
    expect(flat()).toContain('restore: restore /srv/nfs/e2e/f1 from snapshot snap1 on node1');
    expect(flat()).toMatch(/the copy goes beside it: \/srv\/nfs\/e2e\/f1\.restored-\d{8}-\d{6}/);
    expect(frame()).toContain('[node1] Mount snapshot vg0/snap1 read-only at /mnt/hanfs-snapshot/snap1');
    expect(frame().split('\n').length).toBeLessThanOrEqual(24);
    stdin.write('y');
    await vi.waitFor(() => expect(flat()).toMatch(/restore: dry run: \d+ steps would run, \d+ are already done; nothing was changed/), { timeout: 15_000 });
    expect(frame()).toMatch(/\[node1\] would run: Copy \/e2e\/f1 from snap1/);
  });

  it('at a time: the time is checked as --at is (one line), then the newest snapshot before it; over the live path asks the path typed', async () => {
    const { frame, flat, stdin, type } = demo('running');
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    stdin.write('R');
    await vi.waitFor(() => expect(frame()).toContain('path to bring back'));
    type('/srv/nfs/e2e/f1');
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('from which snapshot:'));
    stdin.write(DOWN);
    await vi.waitFor(() => expect(frame()).toContain('> at a time'));
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('time (YYYY-MM-DD HH:MM, UTC'));
    type('yesterday');
    stdin.write('\r');
    await vi.waitFor(() => expect(flat()).toContain('error: --at: "yesterday" is not a time'));
    for (let i = 0; i < 'yesterday'.length; i++) stdin.write('\u007F');
    type('2026-11-26 08:00');
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('where the copy goes:'));
    stdin.write(DOWN);
    stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('Type "/srv/nfs/e2e/f1" + Enter (Esc stops):'), { timeout: 10_000 });
    expect(flat()).toContain('restore: restore /srv/nfs/e2e/f1 from snapshot snap1 on node1');
    expect(flat()).toContain('the copy goes OVER /srv/nfs/e2e/f1');
    stdin.write(ESC);
    await vi.waitFor(() => expect(frame()).toContain('restore: not confirmed; nothing was run.'));
  });
});

describe('R on nodes that change (not the demo): the engine runs it under the run lock', () => {
  it('path, snapshot, beside, y: mounts, copies, reads back, unmounts on the Primary; the outcome line ends it', async () => {
    const c = restoreCluster();
    const actions = createActionService(c.nodes, { dryRunReason: null, journalPaths: () => [], sleep: async () => {} });
    const r = render(<Box width={80}><MonitorApp store={createStore(demoMonitorState('running'))} onQuit={() => {}} onRefresh={() => {}} noColor actions={actions} /></Box>);
    const frame = () => r.lastFrame() ?? '';
    await vi.waitFor(() => expect(frame()).toContain('actions: c s b o m'));
    r.stdin.write('R');
    await vi.waitFor(() => expect(frame()).toContain('path to bring back'));
    for (const ch of '/srv/nfs/e2e/f1') r.stdin.write(ch);
    await vi.waitFor(() => expect(frame()).toContain('(under /srv/nfs): /srv/nfs/e2e/f1'));
    r.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('from which snapshot:'));
    r.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('where the copy goes:'));
    r.stdin.write('\r');
    await vi.waitFor(() => expect(frame()).toContain('[y/N]'), { timeout: 15_000 });
    expect(c.changes).toEqual([]);
    r.stdin.write('y');
    await vi.waitFor(() => expect(frame().replace(/[│\s]+/g, ' ')).toMatch(/restore: done: \/srv\/nfs\/e2e\/f1\.restored-\d{8}-\d{6} is \/srv\/nfs\/e2e\/f1 as it was in snap1; snap1 is unmounted again/), { timeout: 30_000 });
    expect(c.changes.map((x) => `${x.node}: ${x.argv[0]}`)).toEqual(['node1: mkdir', 'node1: mount', 'node1: stat', 'node1: cp', 'node1: umount']);
    expect(c.nodes[1]!.runner.all.some((a) => a[0] === 'flock')).toBe(true);
    r.unmount();
    await actions.settled();
  }, 60_000);
});
