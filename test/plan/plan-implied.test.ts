// What a running cluster implies about the steps before it. Apply starts Corosync and Pacemaker early,
// before the disks and DRBD are set up, so "the cluster runs" must not count as "DRBD was set up": the
// lab's first run with the early start skipped create-md that way (every DRBD step "implied by wait until
// both nodes are online") and Pacemaker then found no metadata. Only a cluster that manages our DRBD
// resource implies them. Real captures: a cluster with no resources, and the done cluster.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { RunResult } from '../../src/exec/runner.js';
import { planSteps } from '../../src/plan/plan.js';

const FIX = join(import.meta.dirname, '../fixtures/apply');
const crmMon = (file: string): RunResult => ({
  argv: ['crm_mon', '-1', '--output-as=xml'], exitCode: 0, stdout: readFileSync(join(FIX, file), 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1,
});

describe('a running cluster', () => {
  it('without our resources does not imply the disk and DRBD steps; with them it does', async () => {
    const r = await loadAnswersFile(join(FIX, 'done-answers.yaml'));
    if (!r.ok) throw new Error('answers');
    const steps = planSteps(r.answers);
    const byId = (id: string) => steps.find((s) => s.id === id)!;
    const online = byId('cluster/cluster-online');
    // The steps that lean on it: a cluster that took over proves them.
    const leaning = steps.filter((s) => s.doneIf.includes('cluster/cluster-online')).map((s) => s.id);
    expect(leaning).toEqual(expect.arrayContaining(['cluster/mkfs', 'node1/drbd-handover', 'node2/drbd-handover']));
    const check = online.check!;
    if (check.kind !== 'probe') throw new Error('probe');
    const bare = crmMon('cluster-no-resources/crm_mon_1_xml.two-nodes-no-resources.node1.xml');
    const done = crmMon('done/node1/crm_mon_1_xml.nfs-running.node1.xml');
    expect(check.judge(bare)).toBe(false);
    expect(check.judge(done)).toBe(true);
    // The same capture does show the early-started cluster running: the start step is done, the wait
    // for both nodes passes at once, and the configuration is still to load.
    const start = byId('node1/cluster-start').check!;
    if (start.kind !== 'probe') throw new Error('probe');
    expect(start.judge(bare)).toBe(true);
    expect(online.verify!.judge(bare)).toBe(true);
  });
});
