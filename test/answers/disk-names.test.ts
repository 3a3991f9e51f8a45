import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseAnswersText } from '../../src/answers/load.js';

describe('disks by name', () => {
  it('a kernel name loads, with a warning naming the field and what to give instead', () => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { nodes: { name: string; disks: string[]; diskIdentity?: unknown }[] };
    doc.nodes[1]!.disks[0] = '/dev/sdb';
    delete doc.nodes[1]!.diskIdentity; // a hand-written file: no identities (the examples record them)
    const r = parseAnswersText(stringify(doc));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const w = r.warnings.filter((x) => x.path.includes('disks'));
    expect(w).toEqual([{ path: 'nodes[1].disks[0]', message: expect.stringMatching(/^\/dev\/sdb is not a \/dev\/disk\/by-id\/ name: .*\(ls -l \/dev\/disk\/by-id\/ on nfs2\); apply pins the disk it finds there at the first confirmed wipe \(docs\/apply.md\)$/) }]);
  });

  it('diskIdentity: optional, by the disk\'s name in disks; serial or wwn needed; a name not in disks is an error', () => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { nodes: { name: string; disks: string[]; diskIdentity?: unknown }[] };
    doc.nodes[1]!.disks[0] = '/dev/sdb';
    doc.nodes[1]!.diskIdentity = { '/dev/sdb': { serial: 'WD-WCC4E1234567', size: 4000787030016 } };
    const r = parseAnswersText(stringify(doc));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.answers.nodes[1].diskIdentity).toEqual({ '/dev/sdb': { serial: 'WD-WCC4E1234567', size: 4000787030016 } });
      // Still a kernel name (warned), but apply compares the identity: no pinning to announce.
      expect(r.warnings.find((x) => x.path === 'nodes[1].disks[0]')?.message).not.toContain('pins');
    }
    doc.nodes[1]!.diskIdentity = { '/dev/sdz': { serial: 'X1' } };
    const wrong = parseAnswersText(stringify(doc));
    expect(wrong.ok ? [] : wrong.problems).toEqual([{ path: 'nodes[1].diskIdentity', message: expect.stringMatching(/^\/dev\/sdz is not one of nodes\[1\]\.disks/) }]);
    doc.nodes[1]!.diskIdentity = { '/dev/sdb': { size: 4000787030016 } };
    const sizeOnly = parseAnswersText(stringify(doc));
    expect(sizeOnly.ok ? [] : sizeOnly.problems.map((p) => p.message)).toEqual([expect.stringMatching(/must give the serial or the wwn/)]);
    doc.nodes[1]!.diskIdentity = { '/dev/sdb': { serial: 'has space', size: 1 } };
    const bad = parseAnswersText(stringify(doc));
    expect(bad.ok ? [] : bad.problems.map((p) => p.path)).toEqual(['nodes[1].diskIdentity./dev/sdb.serial']);
  });

  it('diskIdentity of the first node may record SBD\'s shared disk (--yes wipes it only then), no other node\'s', () => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { nodes: { diskIdentity?: Record<string, unknown> }[]; pacemaker: { stonith: unknown }; drbd?: Record<string, unknown> };
    const sbdDisk = '/dev/disk/by-id/scsi-SBD-LUN-1';
    doc.pacemaker.stonith = { sbd: { device: sbdDisk } };
    if (doc.drbd) delete doc.drbd.fencing;
    doc.nodes[0]!.diskIdentity = { ...(doc.nodes[0]!.diskIdentity ?? {}), [sbdDisk]: { serial: 'SBD-LUN-1' } };
    const r = parseAnswersText(stringify(doc));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) expect(r.answers.nodes[0].diskIdentity?.[sbdDisk]).toEqual({ serial: 'SBD-LUN-1' });
    doc.nodes[1]!.diskIdentity = { ...(doc.nodes[1]!.diskIdentity ?? {}), [sbdDisk]: { serial: 'SBD-LUN-1' } };
    const second = parseAnswersText(stringify(doc));
    expect(second.ok ? [] : second.problems).toEqual([{ path: 'nodes[1].diskIdentity', message: expect.stringMatching(/^\/dev\/disk\/by-id\/scsi-SBD-LUN-1 is not one of nodes\[1\]\.disks \(.*\): record/) }]);
    // without SBD the same record on the first node is the old error, which now names the SBD disk too
    delete doc.nodes[1]!.diskIdentity![sbdDisk];
    doc.pacemaker.stonith = 'none';
    const none = parseAnswersText(stringify(doc));
    expect(none.ok ? [] : none.problems).toEqual([{ path: 'nodes[0].diskIdentity', message: expect.stringMatching(/is not one of nodes\[0\]\.disks \(.*\) nor the SBD disk \(pacemaker\.stonith\.sbd\.device\)/) }]);
  });

  it('the examples and the lab name every disk by id (no such warning)', () => {
    for (const f of ['examples/answers.yaml', ...readdirSync('examples/varied').map((x) => `examples/varied/${x}`), 'test/lab/lab-answers.yaml', 'test/lab/lab-answers-sbd.yaml']) {
      const r = parseAnswersText(readFileSync(f, 'utf8'), f);
      expect(r.ok, f).toBe(true);
      if (r.ok) expect(r.warnings.filter((x) => x.path.includes('disks')), f).toEqual([]);
    }
  });
});
