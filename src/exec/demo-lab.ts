// Finds the demo lab shipped with the package and builds its replay runners, so `--demo` works in every
// command. The folder sits at the package root: ../../demo-lab from src/exec, ../demo-lab from dist/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReplayRunner } from './replay-runner.js';

/** The demo-lab folder: HANFS_DEMO_LAB when set, else the first demo-lab/ above this module. */
export function demoLabDir(): string | null {
  const env = process.env.HANFS_DEMO_LAB;
  if (env) return resolve(env);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'demo-lab');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

export function listDemoScenarios(): string[] {
  const root = demoLabDir();
  if (root === null) return [];
  return readdirSync(root)
    .filter((d) => statSync(join(root, d)).isDirectory())
    .sort();
}

export type DemoRunners = { ok: true; runners: ReplayRunner[] } | { ok: false; error: string };

/**
 * One replay runner per node folder of the scenario (node1, node2 for "bare"), sorted by name.
 * Throws only when the packaged demo lab is broken or the scenario name is wrong (a programmer error);
 * use tryCreateDemoRunners when the scenario name comes from the user.
 */
export function createDemoRunners(scenario = 'bare'): ReplayRunner[] {
  const r = tryCreateDemoRunners(scenario);
  if (!r.ok) throw new Error(r.error);
  return r.runners;
}

export function tryCreateDemoRunners(scenario = 'bare'): DemoRunners {
  const root = demoLabDir();
  if (root === null) return { ok: false, error: 'demo lab not found (set HANFS_DEMO_LAB to the demo-lab folder)' };
  const dir = join(root, scenario);
  if (!/^[A-Za-z0-9._-]+$/.test(scenario) || !existsSync(dir)) {
    return { ok: false, error: `no demo scenario "${scenario}"; known: ${listDemoScenarios().join(', ')}` };
  }
  const nodes = readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'manifest.json')))
    .sort();
  if (nodes.length === 0) return { ok: false, error: `demo scenario "${scenario}" has no node folders` };
  return { ok: true, runners: nodes.map((n) => new ReplayRunner({ dir: join(dir, n), label: n })) };
}
