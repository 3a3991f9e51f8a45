// The fencer's history parser on real outputs of Pacemaker 2.1.5 (test/fixtures/monitor/fencing/, made by
// its sandbox.sh): stonith_admin's list and crm_mon's fence_history give the same events.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFenceHistory, STONITH_HISTORY_ARGV } from '../../src/probes/stonith-history.js';
import { parseCrmMonExtras } from '../../src/probes/crm-mon-extras.js';

const fx = (f: string) => readFileSync(`test/fixtures/monitor/fencing/${f}`, 'utf8');

describe('parseFenceHistory', () => {
  it('reads a pending fence (no delegate, no completion time yet)', () => {
    expect(parseFenceHistory(fx('stonith_admin_history_verbose_xml.nfs2-pending.sandbox.xml'))).toEqual([
      { action: 'reboot', target: 'nfs2', status: 'pending', client: 'pacemaker-controld.39', origin: 'nfs1', delegate: null, exitReason: null, completed: null },
    ]);
  });

  it('reads a failed and a successful fence, newest first, with the failure\'s reason', () => {
    const e = parseFenceHistory(fx('stonith_admin_history_verbose_xml.nfs2-fenced-nfs3-failed.sandbox.xml'))!;
    expect(e.map((x) => [x.target, x.action, x.status, x.delegate, x.completed])).toEqual([
      ['nfs3', 'off', 'failed', 'nfs1', '2026-12-07 12:29:55Z'],
      ['nfs2', 'reboot', 'success', 'nfs1', '2026-12-07 12:29:38Z'],
    ]);
    expect(e[0]!.exitReason).toBe('Fence agent did not complete within 5s');
    // The same events as the plain text listing says them.
    const text = fx('stonith_admin_history_verbose.nfs2-fenced-nfs3-failed.sandbox.txt');
    for (const x of e) expect(text).toContain(`completed='${x.completed}'`);
  });

  it('without --verbose stonith_admin hides pending and failed fences: the argv asks for them', () => {
    expect(parseFenceHistory(fx('stonith_admin_history_xml.nfs2-pending.sandbox.xml'))).toEqual([]);
    expect(STONITH_HISTORY_ARGV).toContain('--verbose');
  });

  it('crm_mon\'s fence_history carries the same events (what the monitor reads every interval)', () => {
    expect(parseFenceHistory(fx('crm_mon_1_xml.nfs2-fenced-nfs3-failed.sandbox.xml'))).toEqual(parseFenceHistory(fx('stonith_admin_history_verbose_xml.nfs2-fenced-nfs3-failed.sandbox.xml')));
    expect(parseCrmMonExtras(fx('crm_mon_1_xml.nfs2-pending-fence.sandbox.xml'))!.fenceEvents.map((x) => x.status)).toEqual(['pending']);
  });

  it('a crm_mon without fence events gives none; a fencer that did not answer, or other text, gives null', () => {
    expect(parseCrmMonExtras(readFileSync('test/fixtures/monitor/crm_mon_1_xml.active-killed-failed-over.node2.xml', 'utf8'))!.fenceEvents).toEqual([]);
    expect(parseFenceHistory(fx('stonith_admin_history_verbose_xml.no-fencer.host.xml'))).toBeNull();
    expect(parseFenceHistory('not xml')).toBeNull();
  });
});
