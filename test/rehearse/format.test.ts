// The table the command and the wizard's review step show. Pure: results built here as data.
import { describe, expect, it } from 'vitest';
import type { RehearsalResult, ScenarioResult } from '../../src/rehearse/engine.js';
import { formatRehearsalTable, movedText, rehearsalJson } from '../../src/rehearse/format.js';

const scenario = (over: Partial<ScenarioResult>): ScenarioResult => ({
  id: 'active-fails',
  title: 'active node (nfs1) fails',
  expect: 'moves',
  start: 'nfs1',
  end: 'nfs2',
  promoted: ['nfs2'],
  actions: ['Move p_fs ( nfs1 -> nfs2 )'],
  violations: [],
  serviceRestarted: true,
  ...over,
});

const result = (scenarios: ScenarioResult[]): RehearsalResult => ({ ok: true, active: 'nfs1', passive: 'nfs2', scenarios, holds: scenarios.every((s) => s.violations.length === 0), durationMs: 2345, scheduler: { version: '3.0.1', where: 'nfs1' } });

describe('formatRehearsalTable', () => {
  it('shows one row per scenario and says all hold', () => {
    const text = formatRehearsalTable(result([scenario({}), scenario({ id: 'passive-fails', title: 'passive node (nfs2) fails', end: 'nfs1', serviceRestarted: false })]), 100);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+ends on\s+what moved\s+invariants$/);
    expect(lines[2]).toMatch(/^active node \(nfs1\) fails\s+nfs2\s+nfs1 -> nfs2\s+hold$/);
    expect(lines[3]).toMatch(/^passive node \(nfs2\) fails\s+nfs1\s+nothing\s+hold$/);
    expect(text).toContain("All invariants hold in 2 scenarios (Pacemaker 3.0.1's scheduler (crm_simulate on nfs1); 2.3 s).");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('names every broken invariant with its scenario and step, and explains it', () => {
    const text = formatRehearsalTable(result([scenario({ end: null, violations: [{ invariant: 'service-where-allowed', message: 'the service is stopped although nfs2 could run it', step: 1 }] })]), 80);
    expect(text).toMatch(/active node \(nfs1\) fails\s+stopped\s+stopped \(was on nfs1\)\s+1 broken/);
    expect(text).toContain('1 of 1 scenarios break an invariant:');
    expect(text).toContain('active-fails [service-where-allowed] after step 1: the service is stopped although nfs2 could run it');
    expect(text).toMatch(/service-where-allowed: the service runs whenever/);
    expect(text.split('\n').at(-1)).toBe("Played by Pacemaker 3.0.1's scheduler (crm_simulate on nfs1).");
    expect(Math.max(...text.split('\n').slice(0, 3).map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('truncates long titles to the width instead of wrapping', () => {
    const long = scenario({ title: 'x'.repeat(200) });
    const row = formatRehearsalTable(result([long]), 70).split('\n')[2]!;
    expect(row.length).toBeLessThanOrEqual(70);
    expect(row).toContain('…');
  });

  it('describes moves', () => {
    expect(movedText(scenario({ end: 'nfs1', serviceRestarted: true }))).toBe('restarted on nfs1');
    expect(movedText(scenario({ end: 'split' }))).toBe('service split across nodes');
    expect(movedText(scenario({ error: 'x' }))).toBe('not played to the end');
  });

  it('prints the failure itself when the rehearsal could not run, and JSON with the legend', () => {
    expect(formatRehearsalTable({ ok: false, reason: 'tools-missing', message: 'crm_simulate missing' })).toBe('rehearsal not possible: crm_simulate missing');
    const json = JSON.parse(rehearsalJson(result([scenario({})])));
    expect(json.scenarios[0]).toMatchObject({ id: 'active-fails', moved: 'nfs1 -> nfs2', holds: true });
    expect(json.scheduler).toEqual({ version: '3.0.1', where: 'nfs1' });
    expect(Object.keys(json.invariants)).toContain('one-promoted');
  });
});
