// One export builds the CIB model once and the plan once: cib.xml, setup.crm, setup-pcs.sh and both nodes'
// plan scripts are rendered from the same two (issue 23: it was five models and two plans per export, and
// the export runs inside apply and the wizard too). The two builders are counted by wrapping the real
// functions (they still do all the work); and what the tree holds is what each renderer gives on its own.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';

const calls = vi.hoisted(() => ({ model: 0, plan: 0 }));
vi.mock('../../src/generate/cib-model.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/generate/cib-model.js')>();
  return { ...m, buildCibModel: (...a: Parameters<typeof m.buildCibModel>) => (calls.model++, m.buildCibModel(...a)) };
});
vi.mock('../../src/plan/plan.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/plan/plan.js')>();
  return { ...m, planSteps: (...a: Parameters<typeof m.planSteps>) => (calls.plan++, m.planSteps(...a)) };
});

const { buildExportFiles } = await import('../../src/generate/export-layout.js');
const { generateSecrets } = await import('../../src/generate/secrets.js');
const { renderCibXml } = await import('../../src/generate/cib-xml.js');
const { renderSetupCrm } = await import('../../src/generate/setup-crm.js');
const { renderSetupPcs } = await import('../../src/generate/setup-pcs.js');
const { renderPlanScript } = await import('../../src/generate/plan-script.js');

describe('buildExportFiles: the CIB model and the plan once per export', () => {
  beforeEach(() => {
    calls.model = 0;
    calls.plan = 0;
  });

  it.each(EXAMPLE_FILES)('%s: one model, one plan; the files the same as rendered one by one', async (file) => {
    const { answers: a, warnings } = await loadExample(file);
    const files = buildExportFiles(a, warnings, generateSecrets(a));
    expect(calls).toEqual({ model: 1, plan: 1 });
    const content = (path: string) => files.find((f) => f.path === path)?.content;
    expect(content('cluster/cib.xml')).toBe(renderCibXml(a));
    expect(content('cluster/setup.crm')).toBe(renderSetupCrm(a));
    expect(content('cluster/setup-pcs.sh')).toBe(renderSetupPcs(a));
    for (const n of a.nodes) expect(content(`plan/${n.name}.sh`)).toBe(renderPlanScript(a, n.name));
    // Rendered one by one, each builds its own: what the export no longer does.
    expect(calls.model).toBeGreaterThan(5);
  });
});
