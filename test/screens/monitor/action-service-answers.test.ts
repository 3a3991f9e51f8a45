// The monitor's action service does what the subcommand form does around a run: every key's action gets
// the monitor's --answers (so disk replace records the new disk in it), and the plan's change on this
// machine (afterDone) runs once the read-back passed, journaled, its failure said in the outcome line.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActionService } from '../../../src/screens/monitor/action-service.js';
import { diskReplaceAction } from '../../../src/plan/actions/disk-replace.js';
import type { ActionPlan } from '../../../src/plan/actions/types.js';
import { restoreCluster } from '../../helpers/restore-world.js';

function planWith(afterDone: ActionPlan['afterDone']): ActionPlan {
  return {
    action: 'disk replace',
    summary: 'nothing to change on the nodes',
    facts: [],
    refusals: [],
    steps: [],
    confirm: { kind: 'none' },
    done: 'the array is clean',
    ...(afterDone ? { afterDone } : {}),
    names: { raidDevice: '/dev/md0', drbdResource: 'r0' },
  };
}

describe('the monitor\'s action service around a run', () => {
  it('gives every key\'s action the monitor\'s --answers, as the subcommand gets it; nothing without one', () => {
    const { nodes } = restoreCluster();
    const withAnswers = createActionService(nodes, { dryRunReason: null, answersPath: '/root/hanfs-answers.yaml' });
    expect(withAnswers.baseFlags).toEqual({ answers: '/root/hanfs-answers.yaml' });
    expect(createActionService(nodes, { dryRunReason: null }).baseFlags).toEqual({});
    const parsed = diskReplaceAction.parse(['replace', 'node1'], { ...withAnswers.baseFlags });
    expect(parsed.ok && parsed.args.answersPath).toBe('/root/hanfs-answers.yaml');
  });

  it('runs the plan\'s change on this machine after the read-back, shows and journals its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-action-after-'));
    try {
      const journal = join(dir, 'disk-replace.log');
      const svc = createActionService(restoreCluster().nodes, { dryRunReason: null, journalPaths: () => [journal], sleep: async () => {} });
      let ran = 0;
      const lines: string[] = [];
      const outcome = await svc.execute(planWith({ describe: 'record the new disk in /root/hanfs-answers.yaml', run: async () => { ran++; return 'answers: /root/hanfs-answers.yaml records /dev/vdf'; } }), (l) => lines.push(l), new AbortController().signal);
      expect(ran).toBe(1);
      expect(lines).toContain('answers: /root/hanfs-answers.yaml records /dev/vdf');
      expect(outcome).toMatch(/^disk replace: done/);
      expect(outcome).not.toMatch(/failed/);
      expect(readFileSync(journal, 'utf8')).toContain('answers: /root/hanfs-answers.yaml records /dev/vdf');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in the outcome line when that change failed; a dry run never makes it', async () => {
    const failing = createActionService(restoreCluster().nodes, { dryRunReason: null, journalPaths: () => [], sleep: async () => {} });
    const out = await failing.execute(planWith({ describe: 'record the new disk', run: async () => { throw new Error('EACCES'); } }), () => {}, new AbortController().signal);
    expect(out).toMatch(/^disk replace: done.*; but record the new disk failed: EACCES$/);
    let ran = 0;
    const dry = createActionService(restoreCluster().nodes, { dryRunReason: 'the demo lab is a recording', sleep: async () => {} });
    await dry.execute(planWith({ describe: 'record', run: async () => { ran++; return 'x'; } }), () => {}, new AbortController().signal);
    expect(ran).toBe(0);
  });
});
