// The lab's SBD answers (test/lab/lab-answers-sbd.yaml, issue 26 point 5) against the lab they describe
// (test/lab/lab.conf, start-node.sh): the by-id name and serial of the shared disk, and what apply will do
// with them unattended, as the e2e harness runs it (--yes --wipe lab1:<SBD disk>): the SBD disk is
// wipeable on the first node, its identity is recorded (so --yes may wipe it), and the plan writes the
// slots there with the lab's timeouts. The lab itself runs in e2e (LAB_SBD=1); this is what can be
// checked without it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import { sbdOf } from '../../src/answers/schema.js';
import { applyNotYet } from '../../src/answers/fencing-checks.js';
import { parseWipeFlags } from '../../src/commands/apply.js';
import { sbdDiskTimeouts } from '../../src/generate/sbd.js';
import { planSteps } from '../../src/plan/plan.js';

const FILE = 'test/lab/lab-answers-sbd.yaml';

function load() {
  const r = parseAnswersText(readFileSync(FILE, 'utf8'), FILE);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r;
}

describe('the lab\'s SBD answers', () => {
  it('name the disk start-node.sh attaches to both VMs, by the serial lab.conf gives it', () => {
    const conf = readFileSync('test/lab/lab.conf', 'utf8');
    const serial = /^LAB_SBD_SERIAL=(\S+)/m.exec(conf)?.[1];
    expect(serial).toBeDefined();
    expect(readFileSync('test/lab/start-node.sh', 'utf8')).toContain('serial=$LAB_SBD_SERIAL,share-rw=on');
    const { answers: a, warnings } = load();
    const sbd = sbdOf(a.pacemaker.stonith)!;
    // virtio-blk's by-id link is virtio-<serial>
    expect(sbd.device).toBe(`/dev/disk/by-id/virtio-${serial}`);
    expect(a.nodes[0].diskIdentity?.[sbd.device!]).toEqual({ serial });
    // The lab's no_root_squash warning is lab-answers.yaml's own; nothing about disks or fencing.
    expect(warnings.filter((w) => /disk|stonith|fencing/.test(w.path))).toEqual([]);
  });

  it('plan unattended: nothing refused, the SBD disk wipeable on lab1 only, the slots written there with the lab\'s timeouts', () => {
    const { answers: a } = load();
    const sbd = sbdOf(a.pacemaker.stonith)!;
    expect(applyNotYet(a)).toEqual([]);
    expect(parseWipeFlags([`lab1:${sbd.device}`], a).ok).toBe(true);
    expect(parseWipeFlags([`lab2:${sbd.device}`], a).ok).toBe(false);
    const t = sbdDiskTimeouts(sbd);
    expect([t.watchdog, t.msgwait]).toEqual([10, 20]);
    const create = planSteps(a).find((s) => s.id === 'cluster/sbd-create')!;
    expect(create).toMatchObject({ node: 'lab1', destructive: true, wipes: [sbd.device] });
    expect(create.commands).toEqual([['sbd', '-d', sbd.device, '-1', '10', '-4', '20', 'create']]);
  });
});
