import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { renderNfsConf } from '../../src/generate/nfs-conf.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateNfsConf } from '../helpers/validators/nfsconf.js';

describe.each(EXAMPLE_FILES)('renderNfsConf(%s)', (file) => {
  it('parses cleanly with nfsconf and enables exactly the chosen versions', async () => {
    const { answers: a } = await loadExample(file);
    const v = validateNfsConf(renderNfsConf(a));
    expect(v.ok, v.output).toBe(true);
    expect(v.values['nfsd.vers2']).toBe('n');
    expect(v.values['nfsd.vers3']).toBe(a.nfs.versions.includes(3) ? 'y' : 'n');
    expect(v.values['nfsd.vers4']).toBe(a.nfs.versions.includes(4) ? 'y' : 'n');
  });
});

describe('renderNfsConf versions', () => {
  it.each([[[3]], [[4]], [[3, 4]]] as const)('versions %j', async (versions) => {
    const { answers } = await loadExample('examples/answers.yaml');
    const a: Answers = { ...answers, nfs: { ...answers.nfs, versions: [...versions] } };
    const v = validateNfsConf(renderNfsConf(a));
    expect(v.ok, v.output).toBe(true);
    expect(v.values['nfsd.vers3']).toBe(versions.includes(3 as never) ? 'y' : 'n');
    expect(v.values['nfsd.vers4']).toBe(versions.includes(4 as never) ? 'y' : 'n');
    if (!versions.includes(4 as never)) expect(v.values['nfsd.vers4.1']).toBeUndefined();
  });

  it('validation bites: nfsconf reports a broken section header', () => {
    expect(validateNfsConf('[nfsd\nvers3=n\n').ok).toBe(false);
  });
});
