// When apply reloads systemd: judged from systemd's own state on real captures from the lab
// (test/fixtures/apply/unit-reload, SOURCE.md), not from what apply remembers writing.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { RunResult } from '../../src/exec/runner.js';
import { planSteps } from '../../src/plan/plan.js';
import { UNITS_STATE_ARGV, unitsLoaded } from '../../src/plan/units.js';

const FIX = join(import.meta.dirname, '../fixtures/apply');
const show = (state: string): RunResult => ({
  argv: UNITS_STATE_ARGV, exitCode: 0, stdout: readFileSync(join(FIX, 'unit-reload', `systemctl_show.${state}.lab1.txt`), 'utf8'), stderr: '', timedOut: false, aborted: false, durationMs: 1,
});

describe('systemd has read the unit files apply wrote', () => {
  it('not after new drop-ins were written, though NeedDaemonReload does not say so for all of them', () => {
    const r = show('drop-ins-written-not-read');
    // The trap the lab showed: the snapshot units report no reload needed, and the drop-ins are not loaded.
    expect(r.stdout).toMatch(/^DropInPaths=$/m);
    expect(unitsLoaded(r)).toBe(false);
  });

  it('after daemon-reload; and no longer once a drop-in changes on disk', () => {
    expect(unitsLoaded(show('after-daemon-reload'))).toBe(true);
    expect(unitsLoaded(show('drop-in-touched-after-reload'))).toBe(false);
  });

  it('is what the reload step checks, and a failed systemctl is never "done"', async () => {
    const a = await loadAnswersFile(join(FIX, 'done-answers.yaml'));
    if (!a.ok) throw new Error('answers');
    const step = planSteps(a.answers).find((s) => s.id === 'node1/systemd-reload')!;
    expect(step.commands).toEqual([['systemctl', 'daemon-reload']]);
    const check = step.check!;
    if (check.kind !== 'probe') throw new Error('probe');
    expect(check.argv).toEqual(UNITS_STATE_ARGV);
    expect(check.judge(show('after-daemon-reload'))).toBe(true);
    expect(check.judge({ ...show('after-daemon-reload'), exitCode: 1 })).toBe(false);
  });
});
