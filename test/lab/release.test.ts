// The release artifacts on the real lab (issue 28, point 4). The lab image has no Node.js:
//  - lab1 gets the single executable (dist/release/hanfs-wizard-linux-x64) and runs, as root, probe --json,
//    monitor --once and monitor --check (both nodes, the peer over SSH from lab1), and the wizard in a
//    real terminal (tmux on the host, ssh -t into lab1) up to its Review, the peer's host key confirmed
//    against the one lab-up.sh recorded; nothing may have changed on either node afterwards.
//  - lab2 installs the .deb with apt (Debian 12, or 13 with LAB_DISTRO=trixie; Depends: only libc6, libgcc-s1, libstdc++6) and runs
//    hanfs-wizard --version, man hanfs-wizard and bash completion through bash-completion's loader.
// Needs in the lab image (test/lab/build-image.sh PKGS): man-db and bash-completion. tmux runs on the host.
// Run: npm run test:e2e (this file boots a fresh lab unless LAB_REUSE=1 and the lab is up and bare).
// Builds the artifacts when dist/release lacks them; writes what it saw to .lab/release/.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_DIR, LAB_RUN, NODES, REPO, labUp, qemuPid, readLab, run, ssh, sshOk, type LabInfo } from './lab.js';

const OUT_DIR = join(LAB_DIR, 'release');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
const SEA = join(REPO, 'dist', 'release', 'hanfs-wizard-linux-x64');
const DEB = join(REPO, 'dist', 'release', `hanfs-wizard_${pkg.version}-1_amd64.deb`);
/** Where the executable, the answers and the key for the peer go on lab1. */
const REMOTE_SEA = '/root/hanfs-wizard';
const REMOTE_ANSWERS = '/root/hanfs-answers.yaml';
// The default key name: monitor (which has no --identity) finds it as ssh would.
const REMOTE_KEY = '/root/.ssh/id_ed25519';
/** Emulated CPUs are slow: a start of the 85 MB executable, a probe over SSH. */
const SLOW_MS = 5 * 60_000;
const socket = `hanfs-release-${process.pid}`;
// A UTF-8 locale for the tmux server, so the wizard's frame (box lines, "·") comes back as written.
const tmux = (...args: string[]) => spawnSync('tmux', ['-u', '-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });

let lab: LabInfo;
/** The release the lab runs (LAB_DISTRO, as lab-up.sh picks the image); the install test checks lab2 says the same. */
const DEBIAN = process.env.LAB_DISTRO === 'trixie' ? { name: 'Debian 13', versionId: '13' } : { name: 'Debian 12', versionId: '12' };

/** scp through the lab's ssh_config (host names lab1, lab2). */
async function copyTo(node: 'lab1' | 'lab2', file: string, remote: string): Promise<void> {
  const r = await run(['scp', '-q', '-F', join(LAB_RUN, 'ssh_config'), file, `${node}:${remote}`], { timeoutMs: SLOW_MS });
  expect(r.code, `scp ${file} ${node}:${remote}: ${r.stderr}`).toBe(0);
}

/** Answers as the admin on lab1 has them: this node is "local", the peer is reached on its service address. */
function lab1Answers(): string {
  const a = parseYaml(readFileSync(lab.answers, 'utf8')) as { nodes: { ssh: string; service: { address: string } }[] };
  a.nodes[0]!.ssh = 'local';
  a.nodes[1]!.ssh = `root@${a.nodes[1]!.service.address.split('/')[0]}`;
  return stringifyYaml(a);
}

const fingerprint = (s: string) => s.replace(/^SHA256:/, '');

/** What must still be true of a bare node after the wizard only read it. */
async function bareState(node: 'lab1' | 'lab2'): Promise<string> {
  return sshOk(node, 'cat /proc/mdstat; ls /etc/drbd.d; ls /etc/corosync; wipefs -n /dev/vdb /dev/vdc; cat /etc/exports 2>/dev/null; true');
}

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [artifact, script] of [[SEA, 'package-sea.mjs'], [DEB, 'package-deb.mjs']] as const) {
    if (existsSync(artifact)) continue;
    const r = await run(['node', join(REPO, 'scripts', script)], { timeoutMs: 15 * 60_000 });
    expect(r.code, `scripts/${script}: ${r.stderr}`).toBe(0);
  }
  const reuse = process.env.LAB_REUSE === '1' && NODES.every((n) => qemuPid(n) !== null);
  if (!reuse) {
    const r = await labUp();
    if (r.code !== 0) throw new Error(`lab-up failed:\n${r.stderr}`);
  }
  lab = readLab();
});

afterAll(() => {
  tmux('kill-server');
});

describe('the single executable on lab1 (no Node.js there)', () => {
  it('is copied to lab1, which has no node, and answers --version', async () => {
    expect((await ssh('lab1', 'command -v node nodejs')).stdout.trim(), 'the lab image must not have Node.js').toBe('');
    await copyTo('lab1', SEA, REMOTE_SEA);
    await sshOk('lab1', `chmod 0755 ${REMOTE_SEA}`);
    expect((await sshOk('lab1', `${REMOTE_SEA} --version`, SLOW_MS)).trim()).toBe(pkg.version);
    // The peer is reached with the lab's key; its host key is confirmed in the wizard below, not here.
    // On a reused lab (LAB_REUSE=1) an earlier run may have trusted it already: forget it, as a fresh node has.
    await sshOk('lab1', 'install -d -m 0700 /root/.ssh; rm -f /root/.ssh/known_hosts /root/.ssh/known_hosts.old');
    await copyTo('lab1', lab.identity, REMOTE_KEY);
    await sshOk('lab1', `chmod 0600 ${REMOTE_KEY}`);
    const w = await ssh('lab1', `cat > ${REMOTE_ANSWERS}`, { input: lab1Answers() });
    expect(w.code, w.stderr).toBe(0);
  }, 15 * 60_000);

  it('probe --json: this node, its OS, its blank disks', async () => {
    const out = await sshOk('lab1', `${REMOTE_SEA} probe --json`, SLOW_MS);
    writeFileSync(join(OUT_DIR, 'probe.json'), out);
    const facts = JSON.parse(out) as { hostname: string; os: { id: string }; disks?: { name?: string; path?: string }[] }[];
    expect(facts).toHaveLength(1);
    expect(facts[0]!.hostname).toBe('lab1');
    expect(facts[0]!.os.id).toBe('debian');
    expect(JSON.stringify(facts[0]!.disks ?? [])).toMatch(/vdb/);
  }, SLOW_MS);

  it('the wizard in a terminal reaches its Review, the peer over SSH from lab1, and changes nothing', async () => {
    expect(spawnSync('tmux', ['-V']).status, 'tmux is required on the host (test/setup/install-tools.sh)').toBe(0);
    const before = { lab1: await bareState('lab1'), lab2: await bareState('lab2') };
    // ssh -t: the wizard gets a real terminal on lab1; tmux on the host is the person's screen.
    const remote = `TERM=xterm-256color ${REMOTE_SEA} --answers ${REMOTE_ANSWERS} --identity ${REMOTE_KEY}`;
    const r = tmux('new-session', '-d', '-s', 'w', '-x', '120', '-y', '40', `ssh -t -F ${join(LAB_RUN, 'ssh_config')} lab1 '${remote}'; sleep 600`);
    expect(r.status, r.stderr).toBe(0);
    const screen = () => tmux('capture-pane', '-p', '-t', 'w').stdout;
    const lab2Key = fingerprint(lab.nodes.find((n) => n.name === 'lab2')!.hostKeySha256);
    const deadline = Date.now() + 20 * 60_000;
    let last = '';
    let stableSince = Date.now();
    let enters = 0;
    let trusted = false;
    for (;;) {
      // Spinner frames change the screen while the wizard works: only a screen at rest gets a key.
      const s = screen().replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g, '');
      // The header, or the Review's own footer when a frame taller than the terminal pushed the header out.
      if (/hanfs-wizard \S \d+\/\d+ \S Review\b/.test(s) || /Enter on Next goes to the finish/.test(s)) break;
      if (Date.now() > deadline || enters > 40) throw new Error(`the wizard did not reach its Review (${enters} Enter presses); screen:\n${s}`);
      if (s !== last) {
        last = s;
        stableSince = Date.now();
      } else if (/Unknown host key for/.test(s)) {
        const shown = /SHA256:([A-Za-z0-9+/=]+)/.exec(s)?.[1];
        // Only the key lab-up.sh read from lab2 itself is trusted.
        expect(shown, `host key shown:\n${s}`).toBe(lab2Key);
        tmux('send-keys', '-t', 'w', 'y');
        trusted = true;
        stableSince = Date.now();
      } else if (Date.now() - stableSince > 5_000) {
        // A step with every answer in place (the answers file): Enter goes on to the next.
        tmux('send-keys', '-t', 'w', 'Enter');
        enters++;
        stableSince = Date.now();
      }
      await new Promise((res) => setTimeout(res, 500));
    }
    // The Review generates the files and rehearses first: on an emulated CPU that takes minutes, and the
    // node names appear in the file list only once it is done.
    const doneBy = Date.now() + 10 * 60_000;
    while (/generating the files|rehearsing/i.test(screen()) && Date.now() < doneBy) await new Promise((res) => setTimeout(res, 1_000));
    const review = screen();
    writeFileSync(join(OUT_DIR, 'wizard-review.txt'), review);
    expect(trusted, 'the wizard asked to confirm lab2\'s host key').toBe(true);
    // Generated for both nodes: lab1's files come first; lab2's are further down the list (j moves down).
    expect(review).toMatch(/lab1\/etc\/drbd\.d\/\S+\.res/);
    // One key at a time (the focus wraps round at the end of the list), each screen read.
    let further = review;
    for (let i = 0; i < 60 && !/lab2\/etc\/drbd\.d\/\S+\.res/.test(further); i++) {
      tmux('send-keys', '-t', 'w', 'j');
      await new Promise((res) => setTimeout(res, 700));
      further = screen();
    }
    writeFileSync(join(OUT_DIR, 'wizard-review-lab2.txt'), further);
    expect(further).toMatch(/lab2\/etc\/drbd\.d\/\S+\.res/);
    tmux('send-keys', '-t', 'w', 'q');
    await new Promise((res) => setTimeout(res, 3_000));
    if (/Quit with unsaved answers\?/.test(screen())) tmux('send-keys', '-t', 'w', 'n');
    await new Promise((res) => setTimeout(res, 3_000));
    // Reading is all it did: no array, no DRBD resource, no cluster files, disks still blank.
    expect(await bareState('lab1')).toBe(before.lab1);
    expect(await bareState('lab2')).toBe(before.lab2);
  }, 30 * 60_000);

  it('monitor --once and --check over both nodes (the peer over SSH, its key trusted in the wizard): bare nodes are not OK', async () => {
    const once = await ssh('lab1', `HOME=/root ${REMOTE_SEA} monitor --answers ${REMOTE_ANSWERS} --once`, { timeoutMs: SLOW_MS });
    writeFileSync(join(OUT_DIR, 'monitor-once.txt'), `${once.stdout}\n--- stderr\n${once.stderr}`);
    expect(once.stdout).toMatch(/^hanfs monitor .* health: (OK|WARNING|CRITICAL|UNKNOWN)/m);
    expect(once.stdout).toContain('lab1');
    // lab2 reached over SSH from lab1, with the key the wizard added to known_hosts.
    expect(once.stdout).toMatch(/^lab2: reachable/m);
    const check = await ssh('lab1', `HOME=/root ${REMOTE_SEA} monitor --answers ${REMOTE_ANSWERS} --check`, { timeoutMs: SLOW_MS });
    writeFileSync(join(OUT_DIR, 'monitor-check.txt'), `${check.stdout}\n--- exit ${check.code}\n${check.stderr}`);
    const line = check.stdout.trim();
    expect(line.split('\n')).toHaveLength(1);
    const status = /^HANFS (OK|WARNING|CRITICAL|UNKNOWN)\b/.exec(line)?.[1];
    expect(status, line).toBeDefined();
    // The plugin convention: the exit code says the same as the word. Nothing is configured yet.
    expect(check.code).toBe({ OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 }[status!]);
    expect(status).not.toBe('OK');
  }, 2 * SLOW_MS);
});

describe(`the Debian package on lab2 (${DEBIAN.name})`, () => {
  const remoteDeb = `/root/hanfs-wizard_${pkg.version}-1_amd64.deb`;

  it(`installs with apt (its Depends are already on any ${DEBIAN.name}) and answers --version`, async () => {
    expect((await sshOk('lab2', '. /etc/os-release; echo $VERSION_ID')).trim(), 'the release lab2 runs').toBe(DEBIAN.versionId);
    await copyTo('lab2', DEB, remoteDeb);
    const r = await ssh('lab2', `cd /root && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ./${remoteDeb.split('/').pop()}`, { timeoutMs: SLOW_MS });
    writeFileSync(join(OUT_DIR, 'apt-install.txt'), `${r.stdout}\n--- stderr\n${r.stderr}`);
    expect(r.code, r.stderr).toBe(0);
    expect((await sshOk('lab2', "dpkg-query -W -f='${Status} ${Version}' hanfs-wizard")).trim()).toBe(`install ok installed ${pkg.version}-1`);
    expect((await sshOk('lab2', 'command -v hanfs-wizard')).trim()).toBe('/usr/bin/hanfs-wizard');
    expect((await sshOk('lab2', 'hanfs-wizard --version', SLOW_MS)).trim()).toBe(pkg.version);
    // Shipped disabled: the package enabled and started nothing.
    expect((await ssh('lab2', "systemctl list-unit-files 'hanfs-wizard*' --no-legend --state=enabled")).stdout.trim()).toBe('');
  }, 2 * SLOW_MS);

  it('man hanfs-wizard shows the section 8 page with every command', async () => {
    const page = await sshOk('lab2', 'MANWIDTH=100 MANPAGER=cat LC_ALL=C man 8 hanfs-wizard', SLOW_MS);
    writeFileSync(join(OUT_DIR, 'man.txt'), page);
    expect(page).toMatch(/^HANFS-WIZARD\(8\)/m);
    for (const c of ['export', 'rehearse', 'probe', 'apply', 'monitor']) expect(page).toMatch(new RegExp(`^ {3}hanfs-wizard ${c}$`, 'm'));
    // The page matches the installed program's --help (word for word, as test/commands/man-page.test.ts checks on the build machine).
    const help = await sshOk('lab2', 'hanfs-wizard monitor --help', SLOW_MS);
    const flat = (t: string) => t.replace(/\s+/g, ' ');
    expect(flat(page)).toContain(flat(help).trim());
  }, 2 * SLOW_MS);

  it('bash completion is loaded on demand by bash-completion and completes commands and --demo= scenarios', async () => {
    const complete = async (words: string[]) => {
      const script = [
        'source /usr/share/bash-completion/bash_completion',
        '__load_completion hanfs-wizard',
        `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
        'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}',
        '_hanfs_wizard',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const r = await ssh('lab2', 'bash -s', { input: `${script}\n` });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    expect(await complete(['hanfs-wizard', 'mon'])).toEqual(['monitor']);
    expect(await complete(['hanfs-wizard', 'monitor', '--demo', '=', 'split'])).toEqual(['split-brain']);
  }, SLOW_MS);
});
