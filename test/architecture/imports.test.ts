// The layers of src/ hold: a walk of every import (static, re-export, dynamic; type-only ones too) fails
// on an import cycle, and on an import from one directory of src/ into another that the layers below do
// not allow (docs/architecture.md draws them).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

/** What each directory of src/ may import besides itself. Parsers (probes) and runners (exec) are leaves. */
const ALLOWED: Record<string, readonly string[]> = {
  exec: [],
  answers: [],
  probes: ['exec'],
  generate: ['answers', 'exec', 'plan'],
  plan: ['answers', 'exec', 'generate', 'probes'],
  // The monitor reads an answers file for the topology it expects (issue 24, src/monitor/expected.ts).
  monitor: ['answers', 'exec', 'probes'],
  apply: ['answers', 'exec', 'generate', 'plan', 'probes', 'monitor'],
  rehearse: ['answers', 'exec', 'generate', 'probes'],
  steps: ['answers', 'exec', 'generate', 'probes'],
  // The monitor's action keys (src/screens/monitor/action-keys.ts) name the actions they start.
  screens: ['answers', 'apply', 'generate', 'monitor', 'plan', 'probes', 'steps', 'exec'],
  commands: ['answers', 'apply', 'exec', 'generate', 'monitor', 'plan', 'probes', 'rehearse', 'screens', 'steps'],
  cli: ['commands'],
  // The single executable's entry (issue 28) starts the CLI.
  'sea-main': ['cli'],
  version: [],
};

function walk(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Every module's imports of other modules of src/ (relative specifiers; .js resolved to .ts/.tsx). */
function importGraph(): Map<string, string[]> {
  const files = walk(SRC).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]!);
    const out: string[] = [];
    for (const spec of specs) {
      const base = resolve(dirname(f), spec);
      const target = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), base].find(isFile);
      if (target === undefined) throw new Error(`${relative(ROOT, f)}: import '${spec}' resolves to no file`);
      if (/\.tsx?$/.test(target)) out.push(relative(ROOT, target));
    }
    graph.set(relative(ROOT, f), out);
  }
  return graph;
}

const layer = (file: string) => file.split('/')[1]!.replace(/\.tsx?$/, '');

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' -> '));
        else if (!state.has(t)) visit(t, stack);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('imports across directories only along the layers', () => {
    const wrong: string[] = [];
    for (const [f, targets] of graph) {
      const from = layer(f);
      const allowed = ALLOWED[from];
      if (allowed === undefined) {
        wrong.push(`${f}: src/${from} has no place in the layers (test/architecture/imports.test.ts)`);
        continue;
      }
      for (const t of targets) if (layer(t) !== from && !allowed.includes(layer(t))) wrong.push(`${f} imports ${t}`);
    }
    expect(wrong).toEqual([]);
  });

  // Issue 23: one way to open nodes. A command that built its own SshRunner would bring its own host-key
  // rule with it; every node is opened by openRunners (src/exec/open-runners.ts), so only that file may.
  it('constructs an SshRunner only in src/exec/open-runners.ts', () => {
    const builders = [...graph.keys()].filter((f) => /\bnew\s+SshRunner\s*\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(builders).toEqual(['src/exec/open-runners.ts']);
    const importers = [...graph].filter(([f, ts]) => ts.includes('src/exec/ssh-runner.ts') && f !== 'src/exec/open-runners.ts' && /import\s*\{[^}]*\bSshRunner\b|import\('[^']*ssh-runner\.js'\)/.test(readFileSync(join(ROOT, f), 'utf8'))).map(([f]) => f);
    expect(importers, 'import SshRunner (a value) only in open-runners.ts').toEqual([]);
  });

  it('finds the imports it judges (a walk that saw nothing would pass anything)', () => {
    expect(graph.get('src/apply/engine.ts')).toContain('src/apply/scheduler.ts');
    expect(graph.get('src/commands/monitor.ts')!.some((t) => t.startsWith('src/exec/'))).toBe(true);
  });
});
