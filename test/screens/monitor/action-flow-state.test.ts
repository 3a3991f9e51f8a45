// The action overlay's reducer, on plans of the real cleanup action planned from real crm_mon captures
// (the lab's failed p_nfsserver monitor, the running cluster): every path a key can take.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { flowReducer, initialFlowState, isBusy, isOpen, KEEP_LINES, type FlowAction, type FlowState } from '../../../src/screens/monitor/action-flow-state.js';
import { cleanupAction } from '../../../src/plan/actions/cleanup.js';
import { clusterFactsFrom, FACT_ARGV } from '../../../src/plan/actions/cluster-facts.js';
import type { ActionPlan } from '../../../src/apply/action-run.js';
import type { RunResult } from '../../../src/exec/runner.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FAILED = `${ROOT}/test/fixtures/monitor/crm_mon_1_xml.failed-action-nfsserver.node1.xml`;
const RUNNING = `${ROOT}/demo-lab/running/node1/crm_mon_1_xml.nfs-running.node1.xml`;
const CIB = `${ROOT}/demo-lab/running/node1/cibadmin_Q.nfs-running.xml`;
const EVENTS = (n: string) => `${ROOT}/demo-lab/running/${n}/drbdsetup_events2_now_statistics.pcmk-managed.${n}.txt`;
const res = (argv: readonly string[], file: string | null): RunResult => ({
  argv, exitCode: file ? 0 : 102, stdout: file ? readFileSync(file, 'utf8') : '', stderr: file ? '' : 'crm_mon: Error: cluster is not available on this node', timedOut: false, aborted: false, durationMs: 1,
});
function plan(crm: string | null, positionals: string[] = []): ActionPlan {
  const facts = clusterFactsFrom(['node1', 'node2'].map((name) => ({ name, crmMon: res(FACT_ARGV.crmMon, crm), cib: res(FACT_ARGV.cib, CIB), events2: res(FACT_ARGV.events2Now, EVENTS(name)) })));
  const args = cleanupAction.parse(positionals, {});
  if (!args.ok) throw new Error(args.error.message);
  return cleanupAction.plan({ nodes: [{ name: 'node1', runner: null as never }, { name: 'node2', runner: null as never }], facts, args: args.args }, undefined);
}
const run = (actions: FlowAction[], from: FlowState = initialFlowState) => actions.reduce(flowReducer, from);
const key = (input: string, k: Record<string, boolean> = {}): FlowAction => ({ type: 'key', input, key: k });
const typed = (s: string) => [...s].map((c) => key(c));

describe('the action overlay reducer', () => {
  it('open -> planning -> confirm (y) -> running -> lines -> finished -> closed by esc', () => {
    const p = plan(FAILED);
    let s = run([{ type: 'open', label: 'cleanup' }]);
    expect(s.phase).toEqual({ kind: 'planning', label: 'cleanup' });
    expect(s.got).toEqual({ positionals: [], flags: {} });
    expect(isBusy(s)).toBe(true);
    s = run([{ type: 'planned', plan: p }], s);
    expect(s.phase).toMatchObject({ kind: 'confirm', typed: '' });
    // A key that is neither y nor n changes nothing.
    expect(run([key('x')], s)).toEqual(s);
    s = run([key('y')], s);
    expect(s.phase.kind).toBe('running');
    // Esc while running does not close: the outcome must be seen.
    expect(run([key('', { escape: true }), { type: 'close' }], s).phase.kind).toBe('running');
    s = run([{ type: 'line', line: '[node1] Clean up ... ' }, { type: 'line', line: 'a\nb' }], s);
    expect(s.phase).toMatchObject({ kind: 'running', lines: ['[node1] Clean up ... ', 'a', 'b'] });
    s = run([{ type: 'finished', outcome: 'cleanup: done: x' }], s);
    expect(s.phase).toMatchObject({ kind: 'finished', outcome: 'cleanup: done: x', lines: ['[node1] Clean up ... ', 'a', 'b'] });
    expect(isOpen(s)).toBe(true);
    expect(run([key('', { escape: true })], s)).toEqual(initialFlowState);
  });

  it('keeps only the newest progress lines', () => {
    let s = run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: plan(FAILED) }, key('y')]);
    for (let i = 0; i < KEEP_LINES + 3; i++) s = run([{ type: 'line', line: `l${i}` }], s);
    expect(s.phase.kind === 'running' && s.phase.lines).toEqual(Array.from({ length: KEEP_LINES }, (_, i) => `l${i + 3}`));
  });

  it('n, Enter or esc at a y/n question declines: nothing runs', () => {
    for (const k of [key('n'), key('', { return: true }), key('', { escape: true })]) {
      const s = run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: plan(FAILED) }, k]);
      expect(s.phase.kind).toBe('declined');
    }
  });

  it('a refused plan shows the refusal and never reaches running', () => {
    const p = plan(null);
    expect(p.refusals.length).toBeGreaterThan(0);
    const s = run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: p }, key('y')]);
    expect(s.phase.kind).toBe('refused');
    expect(run([key('', { escape: true })], s)).toEqual(initialFlowState);
  });

  it('bad input (a resource the cluster does not have) is an error line', () => {
    const s = run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: plan(RUNNING, ['p_nosuch']) }]);
    expect(s.phase).toMatchObject({ kind: 'bad', message: expect.stringMatching(/^RESOURCE: "p_nosuch" is no resource of this cluster/) });
  });

  it('nothing to agree to (nothing to clean up): runs at once', () => {
    const p = plan(RUNNING);
    expect(p.confirm.kind).toBe('none');
    expect(run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: p }]).phase.kind).toBe('running');
  });

  it('typed words: only the exact words run; a wrong attempt clears and says so; backspace edits', () => {
    const p: ActionPlan = { ...plan(FAILED), confirm: { kind: 'typed', words: 'stop nfs', why: 'the service stops' } };
    let s = run([{ type: 'open', label: 'x' }, { type: 'planned', plan: p }, ...typed('stop nfz'), key('', { backspace: true }), key('s')]);
    expect(s.phase).toMatchObject({ kind: 'confirm', typed: 'stop nfs' });
    // y is just a letter here.
    const wrong = run([key('', { backspace: true }), key('y'), key('', { return: true })], s);
    expect(wrong.phase).toMatchObject({ kind: 'confirm', typed: '', wrong: true });
    s = run([key('', { return: true })], s);
    expect(s.phase.kind).toBe('running');
  });

  it('asks a value first when the key needs one; Enter with nothing typed waits', () => {
    let s = run([{ type: 'open', label: 'grow', ask: 'new size' }, ...typed('+1G')]);
    expect(s.phase).toMatchObject({ kind: 'asking', label: 'grow', prompt: { question: 'new size' }, value: '+1G', error: null });
    expect(run([key('', { backspace: true }), key('', { backspace: true }), key('', { backspace: true }), key('', { return: true })], s).phase.kind).toBe('asking');
    s = run([key('', { return: true })], s);
    expect(s.phase).toEqual({ kind: 'planning', label: 'grow' });
    expect(s.got).toEqual({ positionals: ['+1G'], flags: {} });
    expect(run([{ type: 'open', label: 'grow', ask: 'new size' }, key('', { escape: true })])).toEqual(initialFlowState);
  });

  it('a second key does not reopen an open overlay; a late plan after esc is ignored', () => {
    const s = run([{ type: 'open', label: 'cleanup' }, { type: 'planned', plan: plan(FAILED) }]);
    expect(run([{ type: 'open', label: 'other' }], s)).toEqual(s);
    expect(run([{ type: 'planned', plan: plan(FAILED) }])).toEqual(initialFlowState);
    expect(run([{ type: 'finished', outcome: 'x' }])).toEqual(initialFlowState);
  });
});
