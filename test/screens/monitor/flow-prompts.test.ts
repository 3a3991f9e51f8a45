// The overlay's questions before the plan (typed values, choices) and a plan's own choice, through the
// pure reducer: the R key's real prompts (restore's own argument checks, the running demo's snapshots)
// and the real disk replace plan read from the degraded-raid recording (its candidates, its default).
import { describe, expect, it } from 'vitest';
import { flowReducer, initialFlowState, type FlowAction, type FlowState } from '../../../src/screens/monitor/action-flow-state.js';
import { lastScroll } from '../../../src/screens/monitor/plan-lines.js';
import { restoreArgs } from '../../../src/screens/monitor/restore-key.js';
import { diskReplaceAction } from '../../../src/plan/actions/disk-replace.js';
import { restoreAction } from '../../../src/plan/actions/restore.js';
import { prepareAction } from '../../../src/apply/action-run.js';
import { createDemoRunners } from '../../../src/exec/demo-lab.js';
import { demoMonitorState } from '../../helpers/demo-monitor-state.js';

const run = (actions: FlowAction[], from: FlowState = initialFlowState) => actions.reduce(flowReducer, from);
const key = (input: string, k: Record<string, boolean> = {}): FlowAction => ({ type: 'key', input, key: k });
const typed = (s: string) => [...s].map((c) => key(c));
const ENTER = key('', { return: true });
const DOWN = key('', { downArrow: true });
const UP = key('', { upArrow: true });
const BS = key('', { backspace: true });

function openRestore(): FlowState {
  const a = restoreArgs(demoMonitorState('running'));
  if (!a.ok) throw new Error(a.why);
  return run([{ type: 'open', label: 'restore', prompts: a.prompts! }]);
}

async function diskPlan(disk?: string) {
  const parsed = diskReplaceAction.parse(['replace', 'node1'], disk ? { disk } : {});
  if (!parsed.ok) throw new Error(parsed.error.message);
  const nodes = createDemoRunners('degraded-raid').map((r) => ({ name: r.label, runner: r }));
  return prepareAction(diskReplaceAction, nodes, parsed.args);
}

describe('questions before the plan', () => {
  it('a typed value checked on Enter: bad input is one line naming the field, the value kept; editing clears it', () => {
    let s = run([...typed('/etc/passwd'), ENTER], openRestore());
    expect(s.phase).toMatchObject({ kind: 'asking', value: '/etc/passwd', error: 'PATH: /etc/passwd is outside the export (/srv/nfs): restore brings back files of the export only' });
    s = run([BS], s);
    expect(s.phase).toMatchObject({ kind: 'asking', value: '/etc/passw', error: null });
    expect(run([...typed('/srv/nfs/../etc'), ENTER], openRestore()).phase).toMatchObject({ error: 'PATH: "/srv/nfs/../etc" is not an absolute path inside the export (no "..")' });
    expect(run([...typed('/srv/nfs'), ENTER], openRestore()).phase).toMatchObject({ error: expect.stringMatching(/^PATH: \/srv\/nfs is outside the export/) });
  });

  it('then one of a list: up/down (wrapping), Enter sets the option\'s flag; the next question follows; then the plan is read', () => {
    let s = run([...typed('/srv/nfs/e2e/f1'), ENTER], openRestore());
    expect(s.got.positionals).toEqual(['/srv/nfs/e2e/f1']);
    expect(s.phase).toMatchObject({ kind: 'choosing', cursor: 0, prompt: { question: 'from which snapshot' } });
    expect(s.phase.kind === 'choosing' && s.phase.prompt.options.map((o) => o.label.split(' ')[0])).toEqual(['snap1', 'at', 'another']);
    expect(run([UP], s).phase).toMatchObject({ cursor: 2 });
    s = run([DOWN, UP, ENTER], s);
    expect(s.got.flags).toEqual({ from: 'snap1' });
    expect(s.phase).toMatchObject({ kind: 'choosing', prompt: { question: 'where the copy goes' } });
    s = run([DOWN, ENTER], s);
    expect(s.phase).toEqual({ kind: 'planning', label: 'restore' });
    expect(s.got).toEqual({ positionals: ['/srv/nfs/e2e/f1'], flags: { from: 'snap1', replace: true } });
    // What the overlay collected is what restore's own parse takes.
    expect(restoreAction.parse(s.got.positionals, s.got.flags)).toMatchObject({ ok: true, args: { path: '/srv/nfs/e2e/f1', from: 'snap1', replace: true } });
  });

  it('an option that asks a value: the time, checked as --at is', () => {
    let s = run([...typed('/srv/nfs/x'), ENTER, DOWN, ENTER], openRestore());
    expect(s.phase).toMatchObject({ kind: 'asking', prompt: { target: { to: 'flag', flag: 'at' } } });
    s = run([...typed('yesterday'), ENTER], s);
    expect(s.phase).toMatchObject({ kind: 'asking', error: expect.stringMatching(/^--at: "yesterday" is not a time/) });
    s = run([...typed('yesterday').map(() => BS), ...typed('2026-11-26 08:00'), ENTER, ENTER], s);
    expect(s.got).toEqual({ positionals: ['/srv/nfs/x'], flags: { at: '2026-11-26 08:00' } });
    expect(s.phase.kind).toBe('planning');
  });

  it('esc closes at any question: nothing was read or run', () => {
    expect(run([key('', { escape: true })], openRestore())).toEqual(initialFlowState);
    expect(run([...typed('/srv/nfs/x'), ENTER, key('', { escape: true })], openRestore())).toEqual(initialFlowState);
  });
});

describe("a plan's choice: the candidates its read found", () => {
  it('asked before the plan, the action\'s default under the cursor; chosen, the plan is read again with it, then confirmed typed', async () => {
    const first = await diskPlan();
    expect(first.choice).toMatchObject({ flag: 'disk', default: '/dev/vdf', options: [{ value: '/dev/vdf' }] });
    expect(first.choice!.notOffered).toMatch(/\/dev\/vde: too small/);
    let s = run([{ type: 'open', label: 'disk replace' }, { type: 'planned', plan: first }]);
    expect(s.phase).toMatchObject({ kind: 'choosing', cursor: 0, prompt: { question: expect.stringMatching(/^replacement disk/), note: first.choice!.notOffered } });
    expect(s.phase.kind === 'choosing' && s.phase.prompt.context![1]).toContain('/dev/md0 raid1 State: clean, degraded');
    s = run([ENTER], s);
    expect(s.phase).toEqual({ kind: 'planning', label: 'disk replace' });
    expect(s.got.flags).toEqual({ disk: '/dev/vdf' });
    const chosen = await diskPlan('/dev/vdf');
    // The chosen flag is given: the same choice in the new plan is not asked again.
    expect(chosen.choice).toBeDefined();
    s = run([{ type: 'planned', plan: chosen }], s);
    expect(s.phase).toMatchObject({ kind: 'confirm', scroll: 0, plan: { confirm: { kind: 'typed', words: '/dev/vdf' } } });
    // A long plan scrolls, within its lines; typing is not disturbed.
    s = run([...Array.from({ length: 40 }, () => DOWN), ...typed('/dev/vdf')], s);
    expect(s.phase).toMatchObject({ kind: 'confirm', scroll: lastScroll(chosen), typed: '/dev/vdf' });
    expect(lastScroll(chosen)).toBeGreaterThan(0);
    expect(run([...Array.from({ length: 40 }, () => UP)], s).phase).toMatchObject({ scroll: 0 });
    expect(run([ENTER], s).phase.kind).toBe('running');
  });

  it('a disk that cannot replace it: the plan\'s bad input, no choice asked', async () => {
    const bad = await diskPlan('/dev/vde');
    const s = run([{ type: 'open', label: 'disk replace' }, { type: 'planned', plan: bad }]);
    expect(s.phase).toMatchObject({ kind: 'bad', message: expect.stringMatching(/^--disk: \/dev\/vde cannot replace a member of \/dev\/md0/) });
  });
});
