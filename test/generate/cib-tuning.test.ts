// The controller's throttle and start-up wait: Pacemaker's own defaults for real servers, the lab's
// values only from its answers file (pacemaker.tuning); both pass crm_verify.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parse, stringify } from 'yaml';
import { loadAnswersFile, parseAnswersText, formatProblems } from '../../src/answers/load.js';
import { PACEMAKER_DEFAULTS } from '../../src/answers/schema.js';
import { buildCibModel } from '../../src/generate/cib-model.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { validateCib } from '../helpers/validators/pacemaker.js';

const props = (p: [string, string][]) => Object.fromEntries(p);
async function load(file: string) {
  const r = await loadAnswersFile(file);
  if (!r.ok) throw new Error(formatProblems(r.problems));
  return r.answers;
}

describe('pacemaker.tuning', () => {
  it('the defaults are Pacemaker\'s own, as this machine\'s pacemaker-controld reports them', () => {
    const meta = execFileSync('/usr/lib/pacemaker/pacemaker-controld', ['metadata'], { encoding: 'utf8' });
    const def = (name: string) => new RegExp(`<parameter name="${name}">[\\s\\S]*?default="([^"]*)"`).exec(meta)?.[1];
    expect(def('load-threshold')).toBe(PACEMAKER_DEFAULTS.loadThreshold);
    expect(def('node-action-limit')).toBe(String(PACEMAKER_DEFAULTS.nodeActionLimit));
    expect(def('dc-deadtime')).toBe(PACEMAKER_DEFAULTS.dcDeadtime);
  });

  it('real servers (every example, no tuning section) get them; the lab gets its own from its answers', async () => {
    const example = await load('examples/answers.yaml');
    expect(props(buildCibModel(example).properties)).toMatchObject({ 'load-threshold': '80%', 'node-action-limit': '0', 'dc-deadtime': '20s' });
    const lab = await load('test/lab/lab-answers.yaml');
    expect(props(buildCibModel(lab).properties)).toMatchObject({ 'load-threshold': '800%', 'node-action-limit': '4', 'dc-deadtime': '5s' });
    expect(await validateCib(renderCibXml(lab))).toEqual([]);
  }, 60_000);

  it('is optional and partial: one value given, the others keep their defaults', () => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { pacemaker: Record<string, unknown> };
    doc.pacemaker.tuning = { dcDeadtime: '10s' };
    const r = parseAnswersText(stringify(doc));
    if (!r.ok) throw new Error(formatProblems(r.problems));
    expect(r.answers.pacemaker.tuning).toEqual({ loadThreshold: '80%', nodeActionLimit: 0, dcDeadtime: '10s', priorityFencingDelay: '10s' });
  });

  it.each([
    [{ loadThreshold: '800' }, 'pacemaker.tuning.loadThreshold: must be a percentage'],
    [{ nodeActionLimit: -1 }, 'pacemaker.tuning.nodeActionLimit: must be 0'],
    [{ nodeActionLimit: 2.5 }, 'pacemaker.tuning.nodeActionLimit: must be a whole number'],
    [{ dcDeadtime: '5' }, 'pacemaker.tuning.dcDeadtime: must be a time'],
    [{ dcDeadTime: '5s' }, 'pacemaker.tuning.dcDeadTime: unknown field'],
  ])('refuses %j naming the field', (tuning, line) => {
    const doc = parse(readFileSync('examples/answers.yaml', 'utf8')) as { pacemaker: Record<string, unknown> };
    doc.pacemaker.tuning = tuning;
    const r = parseAnswersText(stringify(doc));
    expect(r.ok ? '' : formatProblems(r.problems)).toContain(`error: ${line}`);
  });
});
