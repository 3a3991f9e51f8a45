// The R key's questions from the monitor's states on the demo lab's recordings: the running cluster
// (node1 Primary, snapshot snap1, the CIB's export /srv/nfs) and the degraded-raid one (no CIB, no DRBD).
import { describe, expect, it } from 'vitest';
import { drbdPrimary, pathPrompt, snapshotPrompt } from '../../../src/screens/monitor/restore-key.js';
import { demoMonitorState } from '../../helpers/demo-monitor-state.js';

describe('R: the questions', () => {
  it('the path: under the CIB\'s export, checked with restore\'s own checks', () => {
    const p = pathPrompt(demoMonitorState('running'));
    expect(p.question).toBe('path to bring back (under /srv/nfs)');
    expect(p.check!('/srv/nfs/projects/report.odt')).toBeNull();
    expect(p.check!('relative')).toBe('PATH: "relative" is not an absolute path inside the export (no "..")');
    expect(p.check!('/srv/nfsx/a')).toMatch(/^PATH: \/srv\/nfsx\/a is outside the export \(\/srv\/nfs\)/);
  });

  it('without a CIB read, the path is checked as far as parse can; the plan checks the export', () => {
    const p = pathPrompt(demoMonitorState('degraded-raid'));
    expect(p.question).toBe('path to bring back (under the export)');
    expect(p.check!('/anywhere/x')).toBeNull();
    expect(p.check!('/a/../b')).toMatch(/^PATH: /);
  });

  it('the snapshots are the Primary\'s as lvs listed them, each setting --from; then a time or a name', () => {
    const s = demoMonitorState('running');
    expect(drbdPrimary(s)).toBe('node1');
    const p = snapshotPrompt(s);
    if (p.kind !== 'pick') throw new Error('a list');
    expect(p.options[0]).toMatchObject({ label: expect.stringMatching(/^snap1 {2}taken 2026-11-25 19:31Z \(0 min ago\), 37\.\d+ % full$/), set: { from: 'snap1' } });
    expect(p.options.slice(1).map((o) => o.then?.target)).toEqual([{ to: 'flag', flag: 'at' }, { to: 'flag', flag: 'from' }]);
  });

  it('no Primary: says so; only a time or a name is offered', () => {
    const p = snapshotPrompt(demoMonitorState('degraded-raid'));
    if (p.kind !== 'pick') throw new Error('a list');
    expect(p.context).toEqual(['no node is DRBD Primary as the monitor last read it: the plan will say']);
    expect(p.options).toHaveLength(2);
  });
});
