// The lab's virtual BMC really powers a machine off, on and through a reboot (issue 26 point 1), with the
// client a fence really uses: fence_ipmilan over IPMI 2.0 (lanplus) against OpenIPMI's ipmi_sim, whose
// chassis-control program is test/lab/bmc-power.sh, configured by test/lab/bmc-conf.sh exactly as
// bmc-up.sh does for the lab VMs. The "machine" is a diskless QEMU (no OS: it idles in its firmware),
// so this runs without the lab's image; only its start command differs from start-node.sh. Every process
// is niced (the lab may run beside it) and stopped by its PID at the end.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './lab.js';

const SBIN_PATH = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;
const sh = (argv: string[], input?: string) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, PATH: SBIN_PATH, LC_ALL: 'C' }, input, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
};
function freeUdpPort(): number {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (!sh(['ss', '-Hlun', `sport = :${port}`]).out.trim()) return port;
  }
  throw new Error('no free UDP port');
}
/** The PID in a pidfile when it is still the test machine's QEMU (its -name in /proc), else null. */
function machinePid(pidfile: string, name: string): number | null {
  if (!existsSync(pidfile)) return null;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(`-name ${name} `) ? pid : null;
  } catch {
    return null;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the virtual BMC (ipmi_sim + bmc-power.sh) powers a QEMU off, on and through a reboot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-bmc-power-'));
  const port = freeUdpPort();
  const name = `hanfs-bmc-test-${port}`;
  const pidfile = join(dir, 'qemu.pid');
  const password = 'lab-bmc-test';
  let sim: ReturnType<typeof spawn> | undefined;
  // The lab passes cipher 3 too (lab-answers-ipmi.yaml): ipmi_sim does not answer "Get Channel Cipher
  // Suites", and without a cipher ipmitool waits ~10 s for that answer on every call.
  const fence = (action: string) =>
    sh(['nice', '-n', '19', 'fence_ipmilan'], `ip=127.0.0.1\nipport=${port}\nusername=admin\npassword=${password}\nlanplus=1\ncipher=3\naction=${action}\n`);

  beforeAll(async () => {
    const deps = sh(['bash', join(REPO, 'test/lab/host-deps.sh')]);
    expect(deps.code, deps.out).toBe(0);
    // The machine: a diskless QEMU, daemonized with a pidfile like start-node.sh's VMs.
    const starter = join(dir, 'start-machine.sh');
    writeFileSync(
      starter,
      `exec qemu-system-x86_64 -name "$1" -machine q35 -accel tcg -m 64 -display none -nodefaults -daemonize -pidfile ${pidfile} >>${join(dir, 'qemu.log')} 2>&1 </dev/null\n`,
    );
    const chassis = `bash ${join(REPO, 'test/lab/bmc-power.sh')} ${pidfile} ${name} ${starter} ${name}`;
    const conf = sh(['bash', join(REPO, 'test/lab/bmc-conf.sh'), join(dir, 'bmc'), name, String(port), 'admin', password, '1', chassis]);
    expect(conf.code, conf.out).toBe(0);
    const b = join(dir, 'bmc');
    sim = spawn('nice', ['-n', '19', 'ipmi_sim', '-c', join(b, 'lan.conf'), '-f', join(b, 'bmc.emu'), '-s', join(b, 'state'), '-n'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !sh(['ss', '-Hlun', `sport = :${port}`]).out.trim(); i++) await sleep(100);
  }, 300_000);

  afterAll(() => {
    const q = machinePid(pidfile, name);
    if (q) process.kill(q, 'SIGKILL');
    if (sim?.pid) sim.kill('SIGKILL'); // nice exec()s ipmi_sim: this PID is the simulator
    rmSync(dir, { recursive: true, force: true });
  });

  it('status says OFF before the machine was ever powered on', () => {
    const r = fence('status');
    expect(r.out).toMatch(/Status: OFF/);
    expect(r.code).toBe(2); // the fence agents' "off" status code
    expect(machinePid(pidfile, name)).toBeNull();
  }, 120_000);

  it('on: the QEMU runs and status says ON', () => {
    const r = fence('on');
    expect(r.code, r.out).toBe(0);
    expect(machinePid(pidfile, name)).not.toBeNull();
    expect(fence('status').out).toMatch(/Status: ON/);
  }, 120_000);

  it('off: that QEMU process is gone (SIGKILL, the pulled cord) and status says OFF', () => {
    const before = machinePid(pidfile, name)!;
    expect(before).not.toBeNull();
    const r = fence('off');
    expect(r.code, r.out).toBe(0);
    expect(existsSync(`/proc/${before}/cmdline`) && readFileSync(`/proc/${before}/cmdline`, 'utf8').includes(name)).toBe(false);
    expect(fence('status').out).toMatch(/Status: OFF/);
    expect(readFileSync(join(dir, 'bmc-power.log'), 'utf8')).toMatch(new RegExp(`power off: SIGKILL to ${name}'s QEMU \\(PID ${before}\\)`));
  }, 120_000);

  it('on again: a new QEMU runs', () => {
    const r = fence('on');
    expect(r.code, r.out).toBe(0);
    expect(machinePid(pidfile, name)).not.toBeNull();
  }, 120_000);

  it('reboot (what Pacemaker asks for): the running QEMU is killed and a new one runs', () => {
    const before = machinePid(pidfile, name)!;
    const r = fence('reboot');
    expect(r.code, r.out).toBe(0);
    const after = machinePid(pidfile, name);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect(fence('status').out).toMatch(/Status: ON/);
  }, 180_000);

  it('chassis power reset (ipmitool, not a fence action): a new QEMU runs', async () => {
    const before = machinePid(pidfile, name)!;
    const r = sh(['nice', '-n', '19', 'ipmitool', '-I', 'lanplus', '-C', '3', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', password, 'chassis', 'power', 'reset']);
    expect(r.code, r.out).toBe(0);
    // Power on is started in the background (bmc-power.sh): the new pidfile appears within seconds.
    let after: number | null = null;
    for (let i = 0; i < 300 && (after === null || after === before); i++) {
      await sleep(100);
      after = machinePid(pidfile, name);
    }
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  }, 120_000);
});
