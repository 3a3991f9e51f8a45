#!/usr/bin/env node
// The package as users get it (issue 29): `npm pack`, then in a new empty directory with a new empty npm
// cache and HOME, run the tarball with npx as a stranger would, and check what it holds.
//   npx --yes ./hanfs-wizard-<version>.tgz --version
//   ... export --answers <examples/answers.yaml from the package> --out DIR
//   ... monitor --demo --check        (a Nagios plugin line; its exit code is the state's, 0..3)
//   ... probe --demo --json
// Prints the tarball's size and fails when it reaches 1 MB, when it holds what a user does not need
// (tests, lab images, fixtures), or when the whole check takes longer than --max-seconds (default 60).
// npx installs the dependencies from the registry into the empty cache: it needs the network, as users do.
// usage: node scripts/check-package.mjs [--max-seconds N] [--no-prepare] [--keep]
//   --no-prepare: pack the dist/ already built (npm pack --ignore-scripts), for the test suite, which
//   builds first and must not rebuild dist/ under the other tests running from it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const maxAt = args.indexOf('--max-seconds');
const maxSeconds = maxAt >= 0 ? Number(args[maxAt + 1]) : 60;
const MAX_BYTES = 1024 * 1024;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
const fail = (msg) => {
  console.error(`error: package check: ${msg}`);
  process.exitCode = 1;
};

const base = mkdtempSync(join(tmpdir(), 'hanfs-package-'));
try {
  // 1. npm pack (its prepare script builds dist/ first), into a directory of its own.
  const packDir = join(base, 'pack');
  mkdirSync(packDir);
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir, ...(args.includes('--no-prepare') ? ['--ignore-scripts'] : [])], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (pack.status !== 0) throw new Error(`npm pack exited ${pack.status}: ${pack.stderr.slice(-2000)}`);
  // npm prints the prepare script's output before the JSON: the JSON is the last top-level array.
  const info = JSON.parse(pack.stdout.slice(pack.stdout.lastIndexOf('\n[') + 1))[0];
  const tgz = join(packDir, info.filename);
  const size = statSync(tgz).size;
  console.log(`tarball: ${info.filename} ${(size / 1024).toFixed(0)} KB packed (${(info.unpackedSize / 1024).toFixed(0)} KB unpacked, ${info.entryCount} files); limit ${MAX_BYTES / 1024} KB`);
  if (size >= MAX_BYTES) fail(`${info.filename} is ${size} bytes, at least 1 MB`);

  // 2. Nothing a user does not need: no tests, fixtures, lab scripts or images, benches, sources, maps.
  const files = info.files.map((f) => f.path);
  const unwanted = files.filter((p) => /^(test|bench|src|scripts|\.lab|\.ci|node_modules)\//.test(p) || /\.(qcow2|img|iso|raw|map)$/.test(p) || /(^|\/)fixtures\//.test(p) || /^demo-lab\/make-[^/]*\.mjs$/.test(p));
  if (unwanted.length > 0) fail(`the tarball holds what a user does not need: ${unwanted.slice(0, 10).join(', ')}${unwanted.length > 10 ? ', ...' : ''}`);
  for (const needed of ['dist/cli.js', 'package.json', 'README.md', 'examples/answers.yaml', 'demo-lab/bare/node1/manifest.json', 'demo-lab/running/node1/manifest.json']) {
    if (!files.includes(needed)) fail(`the tarball lacks ${needed}`);
  }

  // 3. A stranger's machine: a new empty directory holding only the downloaded tarball, new empty npm
  //    cache and HOME (no npmrc, no ~/.ssh), nothing of this clone on the way.
  const work = join(base, 'work');
  const home = join(base, 'home');
  for (const d of [work, home]) mkdirSync(d);
  copyFileSync(tgz, join(work, info.filename));
  const env = { PATH: process.env.PATH, HOME: home, npm_config_cache: join(base, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', TERM: 'dumb' };
  for (const k of ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY', 'npm_config_registry']) if (process.env[k]) env[k] = process.env[k];
  const npx = (...a) => {
    const started = Date.now();
    const r = spawnSync('npx', ['--yes', `./${info.filename}`, ...a], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20, timeout: maxSeconds * 1000 });
    console.log(`  npx --yes ./${info.filename} ${a.join(' ')}: exit ${r.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return r;
  };

  const version = npx('--version');
  if (version.status !== 0 || version.stdout.trim() !== info.version) fail(`--version printed ${JSON.stringify(version.stdout.trim())} (exit ${version.status}), not ${info.version}: ${version.stderr.slice(-1500)}`);

  // The example answers as the package ships them, taken out of the tarball itself.
  const extracted = join(base, 'extracted');
  mkdirSync(extracted);
  const tar = spawnSync('tar', ['-xzf', join(work, info.filename), '-C', extracted, 'package/examples/answers.yaml'], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar: ${tar.stderr}`);
  const answers = join(extracted, 'package/examples/answers.yaml');
  const out = join(work, 'export');
  const exp = npx('export', '--answers', answers, '--out', out);
  const exported = (() => {
    try {
      return readdirSync(out, { recursive: true }).map(String);
    } catch {
      return [];
    }
  })();
  if (exp.status !== 0) fail(`export exited ${exp.status}: ${exp.stderr.slice(-1500)}`);
  else if (!exported.includes('README.md') || !exported.some((f) => f.endsWith('.res'))) fail(`export wrote ${exported.length} files, no README.md or DRBD resource among them`);
  else if (readFileSync(join(out, 'README.md'), 'utf8').length < 100) fail('the exported README.md is nearly empty');

  // --check is a Nagios plugin: one line "HANFS STATE - ...", exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
  // The demo's state is the monitor's verdict on the running scenario; the line and the code must agree.
  const check = npx('monitor', '--demo', '--check');
  const line = /^HANFS (OK|WARNING|CRITICAL|UNKNOWN) - \S/.exec(check.stdout);
  const code = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };
  if (!line || check.stdout.trim().split('\n').length !== 1) fail(`monitor --demo --check printed ${JSON.stringify(check.stdout.slice(0, 300))}, not one Nagios line: ${check.stderr.slice(-800)}`);
  else if (check.status !== code[line[1]]) fail(`monitor --demo --check said ${line[1]} but exited ${check.status} (Nagios: ${code[line[1]]})`);
  else console.log(`    ${check.stdout.trim().slice(0, 120)}`);

  const probe = npx('probe', '--demo', '--json');
  let facts = null;
  try {
    facts = JSON.parse(probe.stdout);
  } catch {
    facts = null;
  }
  if (probe.status !== 0 || !Array.isArray(facts) || facts.map((f) => f.hostname).join() !== 'node1,node2' || !facts.every((f) => f.disks.length > 0)) {
    fail(`probe --demo --json (exit ${probe.status}) did not give the two demo nodes with their disks: ${probe.stdout.slice(0, 300)}${probe.stderr.slice(-800)}`);
  }

  const took = (Date.now() - t0) / 1000;
  if (took > maxSeconds) fail(`the check took ${took.toFixed(1)} s, more than ${maxSeconds} s`);
  console.log(`package check ${process.exitCode ? 'FAILED' : 'passed'} in ${secs()} s (pack, a fresh npx install from an empty cache, four commands)`);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
} finally {
  if (!args.includes('--keep')) rmSync(base, { recursive: true, force: true });
  else console.log(`kept: ${base}`);
}
