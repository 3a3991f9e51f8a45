// The rehearsal with STONITH (issue 26, point 3): on the CIB generated for a fence device every fencing
// invariant holds, and mutated CIBs (fencing off, resources that do not wait for fencing, no fence
// delay) make each fencing invariant fail, so the checks are shown able to fail. Pacemaker's own
// scheduler throughout (crm_simulate), no mocks.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { rehearseCib, type RehearsalResult } from '../../src/rehearse/engine.js';
import { deviceDelayS, splitViolations, SPLIT_MARGIN_S } from '../../src/rehearse/fencing.js';

// The ipmilan example with drbd.fencing left to its derived default (resource-and-stonith).
const TEXT = readFileSync('examples/varied/nfs3-stay-fence-ipmilan.yaml', 'utf8').replace(/^ {2}fencing: resource-and-stonith\n/m, '');

function answers(): Answers {
  const r = parseAnswersText(TEXT);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}

type Ok = Extract<RehearsalResult, { ok: true }>;
function ok(r: RehearsalResult): Ok {
  if (!r.ok) throw new Error(`rehearsal failed: ${r.message}`);
  return r;
}
const broken = (r: Ok, id: string) => r.scenarios.find((s) => s.id === id)!.violations.map((v) => v.invariant);
const replaceOnce = (xml: string, from: RegExp | string, to: string) => {
  const out = xml.replace(from, to);
  expect(out, `mutation ${String(from)} did not apply`).not.toBe(xml);
  return out;
};

describe('rehearsal with STONITH (generated CIB)', () => {
  let a: Answers;
  let r: Ok;
  beforeAll(async () => {
    a = answers();
    r = ok(await rehearseCib(renderCibXml(a), a));
  }, 120_000);

  it('plays the fencing scenarios and every invariant holds', () => {
    expect(r.scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(['active-fails', 'fence-fails', 'link-split']));
    const bad = r.scenarios.flatMap((s) => [...s.violations.map((v) => `${s.id}: ${v.invariant}: ${v.message}`), ...(s.error ? [`${s.id}: ${s.error}`] : [])]);
    expect(bad).toEqual([]);
  });

  it('fences the lost active node, then moves the service; a failed fence moves nothing; a split keeps the active node', () => {
    const s = (id: string) => r.scenarios.find((x) => x.id === id)!;
    expect(s('active-fails').actions.some((x) => x.startsWith('Fence') && x.endsWith(r.active))).toBe(true);
    expect(s('active-fails').end).toBe(r.passive);
    expect(s('fence-fails').end).toBe(r.active);
    expect(s('fence-fails').promoted).not.toContain(r.passive);
    expect(s('link-split').end).toBe(r.active);
    expect(s('link-split').actions.some((x) => x.startsWith('Fence') && x.endsWith(r.passive))).toBe(true);
  });
});

describe('mutated CIBs break the fencing invariants', () => {
  const a = answers();
  const cib = renderCibXml(a);

  it('stonith-enabled=false: the peer is promoted without any fence', async () => {
    const r = ok(await rehearseCib(replaceOnce(cib, 'name="stonith-enabled" value="true"', 'name="stonith-enabled" value="false"'), a));
    expect(broken(r, 'active-fails')).toEqual(expect.arrayContaining(['fenced-before-takeover', 'failed-fence-freezes']));
    expect(broken(r, 'fence-fails')).toEqual(expect.arrayContaining(['failed-fence-freezes']));
    expect(r.holds).toBe(false);
  }, 120_000);

  it('requires=nothing in rsc_defaults does not get round the fence: what ran on the lost node stops only by its fence', async () => {
    // Found by this test: Pacemaker implies the stop of everything that ran on the lost node from its
    // fence, and the peer's start and promote wait for those stops, so this mutation keeps the order.
    const mutated = replaceOnce(cib, '<meta_attributes id="rsc-options">', '<meta_attributes id="rsc-options">\n        <nvpair id="rsc-options-requires" name="requires" value="nothing"/>');
    const r = ok(await rehearseCib(mutated, a));
    expect(broken(r, 'active-fails')).toEqual([]);
    expect(broken(r, 'fence-fails')).toEqual([]);
  }, 120_000);

  it('no priority-fencing-delay and no pcmk_delay_base: a split gives the active node no head start', async () => {
    let mutated = replaceOnce(cib, /\s*<nvpair [^>]*name="priority-fencing-delay"[^>]*\/>/, '');
    mutated = replaceOnce(mutated, /\s*<nvpair [^>]*name="pcmk_delay_base"[^>]*\/>/, '');
    const r = ok(await rehearseCib(mutated, a));
    expect(broken(r, 'link-split')).toEqual(['split-favours-active']);
    // The node-loss ordering still holds: only the race is lost.
    expect(broken(r, 'active-fails')).toEqual([]);
  }, 120_000);
});

describe('fence delays', () => {
  it('reads the static delay of the device that fences a node from the CIB', () => {
    const cib = renderCibXml(answers());
    expect(deviceDelayS(cib, 'nfs1')).toBe(5);
    expect(deviceDelayS(cib, 'nfs2')).toBe(0);
    // The per-target map form the generator writes, and the plain form an older CIB may carry.
    expect(cib).toContain('name="pcmk_delay_base" value="nfs1:5s"');
    const plain = cib.replace('value="nfs1:5s"', 'value="7s"');
    expect(deviceDelayS(plain, 'nfs1')).toBe(7);
  });
  it('reads the SBD device\'s per-target map (it has no pcmk_host_list)', () => {
    const sbd = '<primitive id="st_sbd" class="stonith" type="fence_sbd"><instance_attributes id="i"><nvpair id="a" name="devices" value="/dev/x"/><nvpair id="b" name="pcmk_delay_base" value="nfs1:5s;nfs2:0s"/></instance_attributes></primitive>';
    expect(deviceDelayS(sbd, 'nfs1')).toBe(5);
    expect(deviceDelayS(sbd, 'nfs2')).toBe(0);
    expect(deviceDelayS(sbd, 'nfs3')).toBe(0);
  });
  it('wants the active node fenced at least the margin later than the passive one', () => {
    expect(splitViolations('a', 10, 'p', 10 - SPLIT_MARGIN_S)).toEqual([]);
    expect(splitViolations('a', 10, 'p', 10 - SPLIT_MARGIN_S + 1).map((v) => v.invariant)).toEqual(['split-favours-active']);
    expect(splitViolations('a', 0, 'p', 5)).toHaveLength(1);
  });
});

describe('rehearsal with diskless SBD and a quorum device', () => {
  it('plays with the watchdog as the fence device (crm_simulate -w): every invariant holds, the lost node is fenced', async () => {
    const text = readFileSync('examples/answers.yaml', 'utf8')
      .replace(/^ {2}fencing: resource-only.*\n/m, '')
      .replace(/^ {2}stonith: none.*$/m, '  stonith: { sbd: { watchdog: /dev/watchdog0 } }')
      .replace(/^cluster:\n/m, 'cluster:\n  quorumDevice: { host: 192.168.1.5 }\n');
    const parsed = parseAnswersText(text);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
    const r = ok(await rehearseCib(renderCibXml(parsed.answers), parsed.answers));
    expect(r.scenarios.flatMap((s) => s.violations.map((v) => `${s.id}: ${v.invariant}: ${v.message}`))).toEqual([]);
    const lost = r.scenarios.find((s) => s.id === 'active-fails')!;
    expect(lost.actions.some((x) => x.startsWith('Fence') && x.endsWith(r.active))).toBe(true);
    expect(lost.end).toBe(r.passive);
  }, 180_000);
});
