import { describe, expect, it } from 'vitest';
import { mdArrayName } from '../../src/answers/derived.js';
import { renderMdadmConf } from '../../src/generate/mdadm-conf.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateMdadmConf } from '../helpers/validators/mdadm.js';

describe.each(EXAMPLE_FILES)('renderMdadmConf(%s)', (file) => {
  it("passes mdadm's own config parser for each node", async () => {
    const { answers: a } = await loadExample(file);
    for (const node of a.nodes) {
      const v = validateMdadmConf(renderMdadmConf(a, node));
      expect(v.ok, v.output).toBe(true);
    }
  });

  it("names that node's disks and the array by device and any:name", async () => {
    const { answers: a } = await loadExample(file);
    for (const node of a.nodes) {
      const text = renderMdadmConf(a, node);
      expect(text).toContain(`\nDEVICE ${node.disks[0]} ${node.disks[1]}\n`);
      expect(text).toContain(`\nARRAY ${a.raid.device} metadata=1.2 name=any:`);
      expect(text).toContain(`name=${mdArrayName(a)}\n`);
      expect(text).toContain('\nMAILADDR root\n');
      expect(text).not.toMatch(/^ARRAY.*UUID=/m);
    }
  });
});

describe('mdadm names', () => {
  it('follows mdadm with the wildcard homehost: /dev/md0 -> any:0, /dev/md/x -> any:x', () => {
    expect(mdArrayName({ raid: { device: '/dev/md0' } })).toBe('any:0');
    expect(mdArrayName({ raid: { device: '/dev/md12' } })).toBe('any:12');
    expect(mdArrayName({ raid: { device: '/dev/md/homes' } })).toBe('any:homes');
  });

  it('validation bites: mdadm reports an unknown keyword and an ARRAY line without identity', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const text = renderMdadmConf(a, a.nodes[0]);
    expect(validateMdadmConf(text.replace('MAILADDR', 'MAILADR')).ok).toBe(false);
    expect(validateMdadmConf(text.replace(/ name=\S+/, '')).ok).toBe(false);
  });
});
