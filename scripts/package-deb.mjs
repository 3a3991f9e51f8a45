// `npm run package:deb`: dist/release/hanfs-wizard_<version>-1_amd64.deb, built with dpkg-deb from the
// single executable (npm run package:sea first). Why it carries the executable instead of depending on
// Debian's nodejs: docs/packaging.md. Contents:
//   /usr/bin/hanfs-wizard                                   the single executable
//   /usr/share/man/man8/hanfs-wizard.8.gz                    rendered from the help source
//   /usr/share/bash-completion/completions/hanfs-wizard      likewise
//   /usr/share/doc/hanfs-wizard/                             README, docs/, examples/, copyright, changelog
//   /usr/lib/systemd/system/hanfs-monitor-textfile.{service,timer}   the monitor's Prometheus textfile
//                                                            timer (rendered by src/generate/textfile-units.ts
//                                                            for /usr/bin), and any unit in packaging/systemd/;
//                                                            shipped disabled: nothing enables or starts them
// Ownership root:root without fakeroot (--root-owner-group); dates from the release (SOURCE_DATE_EPOCH).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tsImport } from 'tsx/esm/api';
import { releaseDate, releaseEpoch, releaseMaintainer } from './release-info.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NAME = 'hanfs-wizard';
/** Debian revision 1 of the upstream version: the package is not Debian-native. */
const VERSION = `${pkg.version}-1`;
const SEA = join(ROOT, 'dist', 'release', 'hanfs-wizard-linux-x64');
const WORK = join(ROOT, 'dist', 'deb');
const STAGE = join(WORK, 'debian', NAME);
const OUT = join(ROOT, 'dist', 'release', `${NAME}_${VERSION}_amd64.deb`);
const DOC = join(STAGE, 'usr', 'share', 'doc', NAME);

if (!existsSync(SEA)) {
  console.error(`error: ${relative(ROOT, SEA)}: missing; build it first with npm run package:sea`);
  process.exit(2);
}

function put(rel, data, mode = 0o644) {
  const file = join(STAGE, rel);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, data);
  chmodSync(file, mode);
}
/** gzip -9n: no name, no timestamp in the header (reproducible; lintian checks it). */
const gz = (data) => gzipSync(data, { level: 9 });

rmSync(WORK, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });

// The program.
put('usr/bin/hanfs-wizard', readFileSync(SEA), 0o755);

// Man page and completion, from the same source as --help.
const share = join(WORK, 'share');
execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-man-completion.mjs'), share], { stdio: 'inherit' });
put(`usr/share/man/man8/${NAME}.8.gz`, gz(readFileSync(join(share, 'man', 'man8', `${NAME}.8`))));
put(`usr/share/bash-completion/completions/${NAME}`, readFileSync(join(share, 'bash-completion', 'completions', NAME)));

// Documentation.
put(`usr/share/doc/${NAME}/README.md`, readFileSync(join(ROOT, 'README.md')));
for (const f of readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort()) {
  put(`usr/share/doc/${NAME}/docs/${f}`, readFileSync(join(ROOT, 'docs', f)));
}
(function examples(dir, rel) {
  for (const f of readdirSync(dir).sort()) {
    const full = join(dir, f);
    if (statSync(full).isDirectory()) examples(full, `${rel}/${f}`);
    else put(`usr/share/doc/${NAME}/examples${rel}/${f}`, readFileSync(full));
  }
})(join(ROOT, 'examples'), '');
const maintainer = releaseMaintainer();
const changelog = `${NAME} (${VERSION}) unstable; urgency=medium

  * Upstream release ${pkg.version}, packaged from the single executable.

 -- ${maintainer}  ${new Date(releaseEpoch() * 1000).toUTCString().replace('GMT', '+0000')}
`;
put(`usr/share/doc/${NAME}/changelog.Debian.gz`, gz(changelog));
put(`usr/share/doc/${NAME}/copyright`, copyright());
// What lintian reports of the executable that is true of every Node.js single executable, with why.
put(
  `usr/share/lintian/overrides/${NAME}`,
  `# The single executable is a Node.js binary: Node.js links its own zlib (Debian's nodejs package links the
# system's instead). Depending on Debian's nodejs is not an option on Debian 12 (18.20, too old; see
# docs/packaging.md), so the runtime, and its zlib, come inside the executable.
${NAME}: embedded-library zlib [usr/bin/hanfs-wizard]
# Node.js release binaries (the runtime inside the executable) are not built as PIE.
${NAME}: hardening-no-pie [usr/bin/hanfs-wizard]
# Not an upload to Debian: there is no Debian bug to close.
${NAME}: initial-upload-closes-no-bugs [usr/share/doc/${NAME}/changelog.Debian.gz:1]
`,
);

// The monitor's Prometheus textfile timer, rendered from the same source as the export's pair but for the
// package's /usr/bin, and any other unit of packaging/systemd/: shipped, disabled (no maintainer scripts).
const { renderTextfileService, renderTextfileTimer, DEB_BIN } = await tsImport('../src/generate/textfile-units.ts', import.meta.url);
put('usr/lib/systemd/system/hanfs-monitor-textfile.service', renderTextfileService(DEB_BIN));
put('usr/lib/systemd/system/hanfs-monitor-textfile.timer', renderTextfileTimer());
const unitDir = join(ROOT, 'packaging', 'systemd');
const extra = existsSync(unitDir) ? readdirSync(unitDir).filter((f) => /\.(service|timer)$/.test(f)).sort() : [];
for (const u of extra) put(`usr/lib/systemd/system/${u}`, readFileSync(join(unitDir, u)));
const units = ['hanfs-monitor-textfile.service', 'hanfs-monitor-textfile.timer', ...extra];

// Control: Depends from the libraries the executable links (dpkg-shlibdeps, as debhelper would).
mkdirSync(join(WORK, 'debian'), { recursive: true });
writeFileSync(join(WORK, 'debian', 'control'), `Source: ${NAME}\n\nPackage: ${NAME}\nArchitecture: amd64\n`);
const shlibs = execFileSync('dpkg-shlibdeps', ['-O', '-e', `debian/${NAME}/usr/bin/hanfs-wizard`], { cwd: WORK, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const depends = /^shlibs:Depends=(.*)$/m.exec(shlibs)?.[1];
if (!depends) throw new Error(`dpkg-shlibdeps gave no Depends: ${shlibs}`);

const md5sums = [];
let installedKiB = 0;
(function walk(dir) {
  for (const f of readdirSync(dir).sort()) {
    const full = join(dir, f);
    const st = statSync(full);
    if (st.isDirectory()) {
      installedKiB += 1;
      walk(full);
    } else {
      installedKiB += Math.ceil(st.size / 1024);
      md5sums.push(`${createHash('md5').update(readFileSync(full)).digest('hex')}  ${relative(STAGE, full)}`);
    }
  }
})(STAGE);
const control = `Package: ${NAME}
Version: ${VERSION}
Architecture: amd64
Maintainer: ${maintainer}
Installed-Size: ${installedKiB}
Depends: ${depends}
Suggests: bash-completion
Section: admin
Priority: optional
Description: two bare Linux servers to a highly available NFS service
 hanfs-wizard takes two bare Debian servers to a highly available NFS
 service: mdadm RAID1, LVM, DRBD, an ext4 or xfs file system exported
 over NFS, with Pacemaker and Corosync deciding where it runs. A terminal
 wizard reads both nodes, shows every file and every step, and applies
 them only after consent; monitor then watches the cluster (live, once,
 JSON, or as a Nagios/Icinga check).
 .
 This package carries the program as one self-contained executable (the
 Node.js runtime included), so it needs no Node.js on the node.
`;
put('DEBIAN/control', control);
put('DEBIAN/md5sums', `${md5sums.join('\n')}\n`);

rmSync(OUT, { force: true });
// xz, which every dpkg reads, at level 1: 24 MiB instead of 21 at the default level 6, in a tenth of the
// time (85 MB of executable; the release must build in CI within 3 minutes). Every directory 0755.
execFileSync('find', [STAGE, '-type', 'd', '-exec', 'chmod', '0755', '{}', '+']);
execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '-z1', '--build', STAGE, OUT], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, SOURCE_DATE_EPOCH: String(releaseEpoch()) },
});
console.log(`${relative(ROOT, OUT)}: ${(statSync(OUT).size / 1048576).toFixed(1)} MiB (installed ${(installedKiB / 1024).toFixed(1)} MiB), Depends: ${depends}${units.length ? `, units: ${units.join(' ')}` : ', no systemd units (packaging/systemd/ is empty)'}; man page dated ${releaseDate()}`);

/** debian/copyright (DEP-5): the project, then the bundled npm packages, read from the SEA's bundle. */
function copyright() {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'sea', 'meta.json'), 'utf8'));
  const bundled = new Map();
  for (const input of Object.keys(meta.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (!m || bundled.has(m[1])) continue;
    const p = JSON.parse(readFileSync(join(ROOT, 'node_modules', m[1], 'package.json'), 'utf8'));
    bundled.set(m[1], { version: p.version, license: p.license ?? p.licenses?.[0]?.type ?? 'UNKNOWN' });
  }
  const spdxToDebian = (l) => (l === 'MIT' ? 'Expat' : l);
  // Each licence's text as its upstream ships it: the licence file of the first bundled package under it
  // (copyright lines left out: they belong to that package); Apache-2.0 is in Debian's common licences.
  const LICENSE_TEXT = { 'Apache-2.0': 'On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.' };
  for (const [name, b] of bundled) {
    const l = spdxToDebian(b.license);
    if (LICENSE_TEXT[l]) continue;
    const dir = join(ROOT, 'node_modules', name);
    const file = readdirSync(dir).find((f) => /^licen[sc]e(\.md|\.txt)?$/i.test(f));
    if (!file) continue;
    const text = readFileSync(join(dir, file), 'utf8').replace(/\r/g, '').split('\n').filter((x) => !/^\s*(MIT License|The MIT License.*|ISC License|Copyright\b.*|\(c\) .*)$/i.test(x));
    while (text.length && !text[0].trim()) text.shift();
    while (text.length && !text[text.length - 1].trim()) text.pop();
    LICENSE_TEXT[l] = text.map((x) => (x.trim() ? ` ${x.trimEnd()}` : ' .')).join('\n').replace(/^ \.(\n \.)+/gm, ' .');
  }
  const licenses = [...new Set([...bundled.values()].map((b) => spdxToDebian(b.license)))].sort();
  const unknown = licenses.filter((l) => !LICENSE_TEXT[l]);
  if (unknown.length) throw new Error(`bundled packages under licences whose text was not found: ${unknown.join(', ')}`);
  const list = [...bundled].sort(([a], [b]) => a.localeCompare(b)).map(([n, b]) => ` ${n} ${b.version} (${b.license})`);
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ${NAME}
Source: the hanfs-wizard repository

Files: *
Copyright: hanfs-wizard contributors
License: Expat

Files: usr/bin/hanfs-wizard
Copyright: hanfs-wizard contributors; Node.js contributors; the authors of the npm packages listed below
License: Expat and ${licenses.filter((l) => l !== 'Expat').join(' and ')}
Comment: A Node.js ${process.version} single executable. Node.js is under the Expat licence; the
 components it bundles are listed, with their licences, in
 https://github.com/nodejs/node/blob/${process.version}/LICENSE
 .
 The npm packages bundled into the executable, with their licences:
${list.join('\n')}
${licenses.map((l) => `\nLicense: ${l}\n${LICENSE_TEXT[l].startsWith(' ') ? LICENSE_TEXT[l] : ` ${LICENSE_TEXT[l]}`}\n`).join('')}`;
}
