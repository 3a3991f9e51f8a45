// Fencing on by default where a device is configured (issue 26, point 2): the DRBD policy derived from
// the answers, the CIB's fencing properties checked against Pacemaker's own option metadata, the delay
// and timeout arithmetic against the fence agent's metadata fixture, and the files through the real
// validators (crm_verify, drbdadm for 8.4 and 9).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { renderDrbdRes } from '../../src/generate/drbd-res.js';
import { AGENT_REBOOT_S, FENCE_DELAY_BASE_S, PRIORITY_FENCING_DELAY_S, agentStonithTimeoutS } from '../../src/generate/fencing.js';
import { PRIORITY_FENCING_DELAY_BOUNDS_S } from '../../src/answers/schema.js';
import { parse, stringify } from 'yaml';
import { childEl, childEls, descendants, parseXml, type XmlEl } from '../../src/probes/xml.js';
import { validateDrbdRes } from '../helpers/validators/drbd.js';
import { validateCib } from '../helpers/validators/pacemaker.js';
import { runTool } from '../helpers/validators/run.js';

const BASE = readFileSync('examples/varied/nfs3-stay-fence-ipmilan.yaml', 'utf8');
/** The ipmilan example without its explicit drbd.fencing: the default must be derived. */
const IPMI = BASE.replace(/^ {2}fencing: resource-and-stonith\n/m, '');
const NONE = IPMI.replace(/^ {2}stonith:\n[\s\S]*$/m, '  stonith: none\n');

function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}

const props = (root: XmlEl) => Object.fromEntries(descendants(root).filter((e) => e.name === 'cluster_property_set').flatMap((s) => childEls(s, 'nvpair')).map((n) => [n.attrs['name'], n.attrs['value']]));
const nv = (el: XmlEl | undefined, set: string) => Object.fromEntries(childEls(childEl(el, set), 'nvpair').map((n) => [n.attrs['name'], n.attrs['value']]));
const byId = (root: XmlEl, id: string) => descendants(root).find((e) => e.attrs['id'] === id);
const seconds = (t: string) => Number(/^(\d+)s$/.exec(t)?.[1] ?? Number.NaN);

describe('drbd.fencing default', () => {
  it('is resource-and-stonith when a fence device is configured, resource-only without', () => {
    expect(IPMI).not.toContain('fencing:');
    expect(load(IPMI).drbd.fencing).toBe('resource-and-stonith');
    expect(load(NONE).drbd.fencing).toBe('resource-only');
  });

  it('keeps an explicit choice (an answers file written before stays what it was)', () => {
    const explicit = IPMI.replace(/^drbd:\n/m, 'drbd:\n  fencing: resource-only\n');
    expect(load(explicit).drbd.fencing).toBe('resource-only');
  });
});

describe('CIB with a fence device', () => {
  const a = load(IPMI);
  const xml = renderCibXml(a);
  const root = parseXml(xml)!;

  it('passes xmllint and crm_verify', async () => {
    expect(await validateCib(xml)).toEqual([]);
  }, 60_000);

  it('enables STONITH with a timeout, a priority delay, and names only options Pacemaker knows', () => {
    const p = props(root);
    expect(p['stonith-enabled']).toBe('true');
    expect(seconds(p['stonith-timeout']!)).toBe(agentStonithTimeoutS(PRIORITY_FENCING_DELAY_S));
    expect(seconds(p['priority-fencing-delay']!)).toBe(PRIORITY_FENCING_DELAY_S);
    // Every property is one the scheduler, controller or fencer documents (their own metadata).
    const known = new Set<string>();
    for (const daemon of ['pacemaker-schedulerd', 'pacemaker-controld', 'pacemaker-based', 'pacemaker-fenced']) {
      const r = runTool([`/usr/lib/pacemaker/${daemon}`, 'metadata']);
      expect(r.missing, r.missing).toBeUndefined();
      for (const m of r.stdout.matchAll(/<parameter name="([^"]+)"/g)) known.add(m[1]!);
    }
    expect(Object.keys(p).filter((k) => !known.has(k))).toEqual([]);
  });

  it('favours the active node: the DRBD clone carries a priority, one device a smaller static delay', () => {
    expect(nv(byId(root, 'cl_drbd_nfsdata'), 'meta_attributes')['priority']).toBe('1');
    const d1 = nv(byId(root, 'st_nfs1'), 'instance_attributes');
    const d2 = nv(byId(root, 'st_nfs2'), 'instance_attributes');
    // The per-target map form: pacemaker-fenced 2.1.5 logs "empty value in mapping" for a plain "5s".
    expect(d1['pcmk_delay_base']).toBe(`nfs1:${FENCE_DELAY_BASE_S}s`);
    expect(d2['pcmk_delay_base']).toBeUndefined();
    // Pacemaker's metadata: priority-fencing-delay "should be significantly greater than, safely twice,
    // the maximum pcmk_delay_base/max".
    expect(PRIORITY_FENCING_DELAY_S).toBeGreaterThanOrEqual(2 * FENCE_DELAY_BASE_S);
    // The same rule bounds what an answers file may set.
    expect(PRIORITY_FENCING_DELAY_BOUNDS_S.min).toBe(2 * FENCE_DELAY_BASE_S);
  });

  it('gives one fencing attempt room for both delays and the agent\'s slowest reboot (its metadata defaults)', () => {
    const meta = readFileSync('test/fixtures/fence-agents/fence_ipmilan.xml', 'utf8');
    const def = (name: string) => Number(new RegExp(`<parameter name="${name}"[\\s\\S]*?default="(\\d+)"`).exec(meta)?.[1]);
    const reboot = 2 * (def('login_timeout') + def('power_timeout') + def('power_wait'));
    expect(reboot).toBe(AGENT_REBOOT_S);
    for (const priority of [PRIORITY_FENCING_DELAY_S, 45, PRIORITY_FENCING_DELAY_BOUNDS_S.max]) {
      expect(agentStonithTimeoutS(priority)).toBeGreaterThanOrEqual(1.2 * (priority + FENCE_DELAY_BASE_S + reboot));
    }
  });

  it('monitors each fence device every 60 s with a timeout the BMC can meet', () => {
    for (const id of ['st_nfs1', 'st_nfs2']) {
      const op = descendants(byId(root, id)!).find((e) => e.name === 'op' && e.attrs['name'] === 'monitor')!;
      expect(op.attrs).toMatchObject({ interval: '60s', timeout: '120s' });
    }
  });
});

describe('pacemaker.tuning.priorityFencingDelay', () => {
  const withTuning = (tuning: Record<string, unknown>) => {
    const doc = parse(IPMI) as { pacemaker: Record<string, unknown> };
    doc.pacemaker.tuning = tuning;
    return stringify(doc);
  };

  it('absent: 10 s, as before; set: the CIB carries it and stonith-timeout grows with it, through crm_verify', async () => {
    expect(load(IPMI).pacemaker.tuning.priorityFencingDelay).toBe(`${PRIORITY_FENCING_DELAY_S}s`);
    const xml = renderCibXml(load(withTuning({ priorityFencingDelay: '45s' })));
    const p = props(parseXml(xml)!);
    expect(p['priority-fencing-delay']).toBe('45s');
    expect(seconds(p['stonith-timeout']!)).toBe(agentStonithTimeoutS(45));
    expect(agentStonithTimeoutS(45)).toBeGreaterThan(agentStonithTimeoutS(PRIORITY_FENCING_DELAY_S));
    expect(await validateCib(xml)).toEqual([]);
    expect(props(parseXml(renderCibXml(load(withTuning({ priorityFencingDelay: '2min' }))))!)['priority-fencing-delay']).toBe('120s');
  }, 60_000);

  it.each([
    ['9s', 'must be between 10s'],
    ['121s', 'must be between 10s'],
    ['3min', 'must be between 10s'],
    ['45', 'must be a time in s or min'],
    [45, 'expected a time such as 10s'],
  ])('refuses %j naming the field', (value, words) => {
    const r = parseAnswersText(withTuning({ priorityFencingDelay: value }));
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map((x) => `${x.path}: ${x.message}`);
    expect(lines.join('\n')).toContain(`pacemaker.tuning.priorityFencingDelay: ${words}`);
  });
});

describe('CIB without a fence device', () => {
  const root = parseXml(renderCibXml(load(NONE)))!;
  it('says stonith-enabled=false and sets no fencing delay, timeout or priority', () => {
    const p = props(root);
    expect(p['stonith-enabled']).toBe('false');
    expect(p['priority-fencing-delay']).toBeUndefined();
    expect(p['stonith-timeout']).toBeUndefined();
    expect(nv(byId(root, 'cl_drbd_nfsdata'), 'meta_attributes')['priority']).toBeUndefined();
  });
});

describe.each(['8.4', '9'] as const)('DRBD %s resource with the derived default', (version) => {
  const a = load(IPMI);
  const text = renderDrbdRes({ ...a, drbd: { ...a.drbd, version } }, 'kJ8_test-secret-not-real-3fQ');
  it('drbdadm parses it as each node and hands resource-and-stonith to the kernel', () => {
    for (const n of a.nodes) {
      const v = validateDrbdRes(text, n.name, version);
      expect(v.ok, v.output).toBe(true);
      expect(v.upCommands).toContain('--fencing=resource-and-stonith');
    }
  });
  it('calls the fence-peer handler of its version, and unfences after the resync (8.4) or on unfence-peer (9)', () => {
    if (version === '9') {
      expect(text).toContain('fence-peer "/usr/lib/drbd/crm-fence-peer.9.sh";');
      expect(text).toContain('unfence-peer "/usr/lib/drbd/crm-unfence-peer.9.sh";');
      expect(text).toMatch(/net \{[^}]*fencing resource-and-stonith;/);
    } else {
      expect(text).toContain('fence-peer "/usr/lib/drbd/crm-fence-peer.sh";');
      expect(text).toMatch(/after-resync-target "\/usr\/lib\/drbd\/crm-unfence-peer.sh;/);
      expect(text).toMatch(/disk \{[^}]*fencing resource-and-stonith;/);
    }
  });
  it('names handler scripts drbd-utils really installs here', () => {
    for (const m of text.matchAll(/"(\/usr\/lib\/drbd\/[^" ;]+)/g)) expect(runTool(['test', '-x', m[1]!]).code, m[1]).toBe(0);
  });
});
