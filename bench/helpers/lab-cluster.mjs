// The project's QEMU lab (test/lab/, docs/lab.md) as the monitor benches need it: two real nodes running
// the cluster hanfs-wizard applied, reached over SSH from this host. Either the lab that is up already
// (it must hold the applied cluster: e.g. left by `LAB_KEEP=1 npm run test:e2e`), or, with `fresh`, a new
// one: lab-up, `hanfs-wizard apply` with the lab answers, wait until healthy (about 10 minutes here).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { importSources, root } from './import-sources.mjs';

export async function labModule() {
  process.env.LAB_REPO = root.replace(/\/$/, '');
  const { mod } = await importSources(`
    export * from './test/lab/lab.ts';
    export * from './test/lab/workload.ts';
    export * from './test/lab/truth.ts';
  `);
  return mod;
}

/** The applied cluster's one healthy picture: DRBD connected and UpToDate on both, one Primary holding the
 *  VIP and the mount, every Pacemaker resource active and none failed. Shared with bench/lab-failover.mjs. */
export async function healthy(L, vip, mount) {
  const views = {};
  for (const n of L.NODES) {
    const sep = '@@bench@@';
    const r = await L.ssh(n, `cat /proc/drbd; echo ${sep}; crm_mon -1 --output-as=xml; echo ${sep}; ip -j addr; echo ${sep}; findmnt -n -o SOURCE ${mount} || true`, { timeoutMs: 60_000 });
    const p = r.stdout.split(`${sep}\n`);
    if (p.length < 4) return false;
    views[n] = { drbd: L.parseProcDrbd84(p[0])[0], crm: L.parseCrmMonXml(p[1]), vip: L.hasAddress(p[2], vip), mounted: p[3].trim() !== '' };
  }
  const vals = Object.values(views);
  return (
    vals.every((v) => v.drbd?.connection === 'Connected' && v.drbd.disk === 'UpToDate' && v.drbd.peerDisk === 'UpToDate') &&
    vals.filter((v) => v.drbd.role === 'Primary' && v.vip && v.mounted).length === 1 &&
    vals.every((v) => v.crm.connected && v.crm.resources.length > 0 && v.crm.resources.every((x) => x.active && !x.failed))
  );
}

/** VIP, mount and export of the lab's answers file (the one lab-up.sh wrote, with the ports it picked). */
export function answersFacts(text) {
  return {
    vip: /address:\s*([\d.]+)\/\d+\s*\n\s*interface/.exec(text.slice(text.indexOf('virtualIp:')))?.[1] ?? '192.168.101.100',
    mount: /filesystem:[\s\S]*?mount:\s*(\S+)/.exec(text)?.[1] ?? '/srv/nfs',
  };
}

/** The environment hanfs-wizard runs in against the lab: HOME=.lab/home (its ~/.ssh holds the lab key and
 *  known_hosts), no agent; as the e2e test and bench/lab-failover.mjs run it. */
export function wizardEnv(lab) {
  const env = { ...process.env, HOME: lab.home };
  delete env.SSH_AUTH_SOCK;
  return env;
}

/**
 * The lab with the applied cluster, healthy. `fresh`: a new lab, applied by dist/cli.js (built first).
 * Otherwise the running lab, refused with what to do when it is down or not healthy.
 */
export async function appliedLab(L, { fresh, log = console.log }) {
  const { readFileSync } = await import('node:fs');
  if (fresh) {
    log('lab: build, fresh lab, apply (about 10 min on 2 cores)');
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr.slice(-2000)}`);
    await L.labDown();
    const up = await L.labUp();
    if (up.code !== 0) throw new Error(`lab-up failed:\n${up.stderr.slice(-2000)}`);
    const lab = L.readLab();
    // The disks as the answers name them (by-id, with their recorded serials: issue 25): --wipe matches those.
    const { parse } = await import('yaml');
    const wipes = parse(readFileSync(lab.answers, 'utf8')).nodes.flatMap((n) => n.disks.flatMap((d) => ['--wipe', `${n.name}:${d}`]));
    const r = await L.run([process.execPath, join(root, 'dist/cli.js'), 'apply', '--answers', lab.answers, '--yes', ...wipes], { env: wizardEnv(lab), timeoutMs: 3600_000 });
    if (r.code !== 0) throw new Error(`apply exited ${r.code}:\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
  let lab;
  try {
    lab = L.readLab();
  } catch {
    throw new Error('the lab is not up: boot and apply it with --fresh, or leave an applied one with `LAB_KEEP=1 npm run test:e2e`');
  }
  const { vip, mount } = answersFacts(readFileSync(lab.answers, 'utf8'));
  await L.waitFor('a healthy applied cluster on the lab', fresh ? 900_000 : 60_000, 3_000, async () => ((await healthy(L, vip, mount)) ? true : null)).catch(() => {
    throw new Error('the lab is up but its cluster is not healthy (applied, DRBD UpToDate, every resource running): rerun with --fresh');
  });
  return { lab, vip, mount };
}
