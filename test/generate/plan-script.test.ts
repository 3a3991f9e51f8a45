import { describe, expect, it } from 'vitest';
import { renderPlanScript } from '../../src/generate/plan-script.js';
import { planSteps } from '../../src/plan/plan.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { validateShellScript } from '../helpers/validators/shell.js';

describe('renderPlanScript', () => {
  it.each(EXAMPLE_FILES)('%s: each node script passes bash -n and shellcheck', async (file) => {
    const { answers } = await loadExample(file);
    for (const n of answers.nodes) {
      const v = validateShellScript(renderPlanScript(answers, n.name));
      expect(v.ok, v.output).toBe(true);
    }
  });

  it('lists every command of the node in plan order, marks the destructive steps, reads files from the export tree', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const node = answers.nodes[1].name;
    const text = renderPlanScript(answers, node);
    const mine = planSteps(answers).filter((s) => s.node === node);
    expect((text.match(/^# DESTRUCTIVE/gm) ?? []).length).toBe(mine.filter((s) => s.destructive).length);
    let at = 0;
    for (const s of mine) {
      const i = text.indexOf(s.title, at);
      expect(i, s.title).toBeGreaterThan(at);
      at = i;
    }
    expect(text).toContain(`< ${node}/etc/drbd.d/${answers.drbd.resource}.res`);
    expect(text).toContain('# DESTRUCTIVE: wipes ' + answers.nodes[1].disks.join(' '));
  });

  it('never carries a secret, even a literal one from the answers', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const a = { ...answers, drbd: { ...answers.drbd, secret: 'Lit3ral-Secret-Value' } };
    const secrets = generateSecrets(a);
    for (const f of buildExportFiles(a, [], secrets).filter((x) => x.path.startsWith('plan/'))) {
      const t = String(f.content);
      expect(t).not.toContain('Lit3ral-Secret-Value');
      expect(t).not.toContain(secrets.corosyncAuthkey.toString('base64'));
    }
  });
});
