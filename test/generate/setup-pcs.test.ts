// setup-pcs.sh: bash -n and shellcheck for every answers file; and the real pcs running it against an
// empty CIB file yields the same configuration as cib.xml (pcs is slow, 1-4 s a call: one file).
import { readdirSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { renderSetupPcs } from '../../src/generate/setup-pcs.js';
import { normalizeCib, runPcsScript } from '../helpers/validators/pacemaker.js';

const EXAMPLE_FILES = ['examples/answers.yaml', ...readdirSync('examples/varied').filter((f) => f.endsWith('.yaml')).sort().map((f) => join('examples/varied', f))];

async function load(file: string): Promise<Answers> {
  const r = await loadAnswersFile(file);
  if (!r.ok) throw new Error(`${file}: invalid`);
  return r.answers;
}

describe('setup-pcs.sh', () => {
  it.each(EXAMPLE_FILES)('%s: bash -n and shellcheck find nothing', async (file) => {
    const dir = await mkdtemp(join(tmpdir(), 'hanfs-pcs-sh-'));
    const script = join(dir, 'setup-pcs.sh');
    await writeFile(script, renderSetupPcs(await load(file)));
    const syntax = await execa('bash', ['-n', script], { reject: false });
    expect(syntax.exitCode, syntax.stderr).toBe(0);
    const sc = await execa('shellcheck', ['-s', 'bash', script], { reject: false });
    expect(sc.exitCode, sc.stdout).toBe(0);
  }, 30_000);

  it('pcs builds the same configuration as cib.xml (fence example, hostile password)', async () => {
    const a = await load('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    if (a.pacemaker.stonith === 'none' || !('nodes' in a.pacemaker.stonith)) throw new Error('expected stonith in the fence example');
    const nodes = { ...a.pacemaker.stonith.nodes, nfs2: { ...a.pacemaker.stonith.nodes['nfs2'], password: `it's "a" $HOME \\ pass` } };
    const b: Answers = { ...a, pacemaker: { ...a.pacemaker, stonith: { ...a.pacemaker.stonith, nodes } } };
    const r = await runPcsScript(renderSetupPcs(b));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(normalizeCib(r.cib)).toEqual(normalizeCib(renderCibXml(b)));
  }, 300_000);
});
