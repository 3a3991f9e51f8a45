// Running `hanfs-wizard export` through the built CLI, shared by the export tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

export const answerFiles = ['examples/answers.yaml', ...readdirSync('examples/varied').map((f) => `examples/varied/${f}`)];

export function exportTo(answers: string, out: string, extra: string[] = []) {
  return spawnSync(process.execPath, ['dist/cli.js', 'export', '--answers', answers, '--out', out, ...extra], { encoding: 'utf8' });
}
