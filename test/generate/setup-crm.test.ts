// setup.crm: crmsh (the real one) loads it into an empty CIB file, and the result means the same as
// cib.xml: same resources, parameters, operations and constraints, whatever ids crmsh picks.
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { crmQuote, renderSetupCrm } from '../../src/generate/setup-crm.js';
import { loadWithCrmsh, normalizeCib } from '../helpers/validators/pacemaker.js';

async function load(file: string): Promise<Answers> {
  const r = await loadAnswersFile(file);
  if (!r.ok) throw new Error(`${file}: invalid`);
  return r.answers;
}

/** The fence example with a password crmsh's lexer would split or expand if quoting were wrong. */
async function fenceWithNastyPassword(): Promise<Answers> {
  const a = await load('examples/varied/nfs3-stay-fence-ipmilan.yaml');
  if (a.pacemaker.stonith === 'none' || !('nodes' in a.pacemaker.stonith)) throw new Error('expected stonith in the fence example');
  const nodes = { ...a.pacemaker.stonith.nodes };
  nodes['nfs1'] = { ...nodes['nfs1'], password: `it's "a" $HOME \\ pass` };
  return { ...a, pacemaker: { ...a.pacemaker, stonith: { ...a.pacemaker.stonith, nodes } } };
}

describe('setup.crm', () => {
  it.each([
    ['examples/answers.yaml', () => load('examples/answers.yaml')],
    ['the fence example with a hostile password', fenceWithNastyPassword],
  ])('crmsh loads it for %s into the same configuration as cib.xml', async (_name, get) => {
    const a = await get();
    const r = await loadWithCrmsh(renderSetupCrm(a));
    expect(r.exitCode, r.stderr).toBe(0);
    // crmsh relays crm_verify's remarks about an offline CIB (no quorum, no nodes) as ERROR/WARNING
    // lines that are Pacemaker warnings; any other ERROR is a real one.
    const errors = r.stderr.split('\n').filter((l) => /ERROR/.test(l) && !/\twarning: /.test(l));
    expect(errors).toEqual([]);
    expect(normalizeCib(r.cib)).toEqual(normalizeCib(renderCibXml(a)));
  }, 180_000);

  it('the normalizer sees a difference crmsh would introduce (it is not comparing nothing)', async () => {
    const a = await load('examples/answers.yaml');
    const xml = renderCibXml(a);
    expect(normalizeCib(xml.replace('value="ext4"', 'value="xfs"'))).not.toEqual(normalizeCib(xml));
    expect(normalizeCib(xml.replace('first-action="promote"', 'first-action="start"'))).not.toEqual(normalizeCib(xml));
    expect(normalizeCib(xml.replace(' type="number"', ''))).not.toEqual(normalizeCib(xml));
  });

  it('quotes values for crmsh\'s shell-like lexer only when needed', () => {
    expect(crmQuote('192.168.1.1')).toBe('192.168.1.1');
    expect(crmQuote('rw,sync,no_subtree_check')).toBe('rw,sync,no_subtree_check');
    expect(crmQuote('10.0.0.1 10.0.0.2')).toBe('"10.0.0.1 10.0.0.2"');
    expect(crmQuote('a"b\\c$d')).toBe('"a\\"b\\\\c$d"');
  });
});
