// Renders the wizard on the demo lab at a chosen step with a chosen draft, for the screen tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { render } from 'ink-testing-library';
import { WizardApp } from '../../../src/screens/wizard/wizard-app.js';
import { STEPS, stepIndex } from '../../../src/steps/index.js';
import { createWizardServices } from '../../../src/commands/wizard-services.js';
import type { WizardServices } from '../../../src/steps/services.js';
import type { Draft } from '../../../src/steps/types.js';
import { waitFor } from '../../helpers/ink.js';

/** The answers the demo flow ends with (test/fixtures/wizard/demo-flow-answers.yaml). */
export function demoAnswers(): Draft {
  return parse(readFileSync(new URL('../../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8')) as Draft;
}

export function renderWizard(options: { step?: string; draft?: Draft; services?: Partial<WizardServices> } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-wizard-screen-'));
  const answersPath = join(dir, 'answers.yaml');
  const base: WizardServices = { ...createWizardServices({ demo: true, answersPath }), ...options.services };
  const exit: { code: number | null } = { code: null };
  // Probing resolves after the first frames; tests that press keys wait for it (settled) so a frame drawn
  // for the probe result is never taken for the frame of a key.
  const probe = { done: false };
  const services: WizardServices = {
    ...base,
    probe: (t, c, s) => base.probe(t, c, s).finally(() => (probe.done = true)),
  };
  const r = render(
    <WizardApp
      steps={STEPS}
      draft={options.draft ?? {}}
      startIndex={options.step ? stepIndex(STEPS, options.step) : 0}
      services={services}
      onExit={(c) => (exit.code = c)}
    />,
  );
  /** Waits until the probes have answered; then wait for content that shows their facts. */
  const settled = () => waitFor(() => probe.done);
  return { ...r, exit, answersPath, dir, settled };
}
