// The package as users get it (issue 29): scripts/check-package.mjs packs the project, then runs the
// tarball with `npx --yes ./hanfs-wizard-<version>.tgz` in a new empty directory with an empty npm cache
// and HOME (--version, export of the packaged examples/answers.yaml, monitor --demo --check, probe --demo
// --json) and checks what the tarball holds and its size. CI runs the same script as its own step, where
// the 60 s budget is enforced; here the other test files share the 2 cores, so the budget is wider.
import { expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

test('npm pack, then npx of the tarball on an empty machine: four commands work, under 1 MB, no tests or lab inside', () => {
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
  const r = spawnSync(process.execPath, ['scripts/check-package.mjs', '--no-prepare', '--max-seconds', '240'], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const size = /^tarball: hanfs-wizard-(\S+)\.tgz (\d+) KB packed/m.exec(r.stdout);
  expect(size?.[1]).toBe(version);
  expect(Number(size?.[2])).toBeLessThan(1024);
  for (const cmd of ['--version', 'export --answers', 'monitor --demo --check', 'probe --demo --json']) expect(r.stdout).toMatch(new RegExp(`npx --yes \\./hanfs-wizard-${version.replace(/\./g, '\\.')}\\.tgz ${cmd}.*: exit \\d+ in`));
  expect(r.stdout).toMatch(/^ {4}HANFS (OK|WARNING|CRITICAL|UNKNOWN) - /m);
  expect(r.stdout).toMatch(/^package check passed in [\d.]+ s/m);
}, 300_000);
