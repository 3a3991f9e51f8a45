// The answers files every generator test runs on: examples/answers.yaml and each examples/varied/*.yaml.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import type { Problem } from '../../src/answers/semantic.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const EXAMPLE_FILES: string[] = [
  'examples/answers.yaml',
  ...readdirSync(join(ROOT, 'examples', 'varied'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `examples/varied/${f}`),
];

export interface LoadedExample {
  file: string;
  answers: Answers;
  warnings: Problem[];
}

/** Loads one example; an example that does not load is a failed test, with the problems in the message. */
export async function loadExample(file: string): Promise<LoadedExample> {
  const r = await loadAnswersFile(join(ROOT, file));
  if (!r.ok) throw new Error(`${file} does not load: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return { file, answers: r.answers, warnings: r.warnings };
}

export async function loadAllExamples(): Promise<LoadedExample[]> {
  return Promise.all(EXAMPLE_FILES.map(loadExample));
}
