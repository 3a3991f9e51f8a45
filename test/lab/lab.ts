// Driving the QEMU lab from the e2e harness: bring it up and down through the lab scripts, run commands
// on the nodes over the lab's SSH (host keys checked against .lab/known_hosts), stream a long-running
// command line by line, kill a VM with SIGKILL by its recorded PID and boot it again, and cut or restore
// a NIC through the VM's QEMU monitor. The shell scripts beside this file are the source of truth for
// how the lab is built; this module only calls them and reads what they recorded (.lab/run/lab.json).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// LAB_REPO: set by bench/lab-failover.mjs, which imports this module bundled from elsewhere.
export const REPO = process.env.LAB_REPO ?? resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const LAB_DIR = process.env.LAB_DIR ?? join(REPO, '.lab');
export const LAB_RUN = join(LAB_DIR, 'run');
const LAB_SCRIPTS = join(REPO, 'test/lab');

export type NodeName = 'lab1' | 'lab2';
export const NODES: readonly NodeName[] = ['lab1', 'lab2'];
export const peerOf = (n: NodeName): NodeName => (n === 'lab1' ? 'lab2' : 'lab1');

export interface LabNode {
  name: NodeName;
  sshPort: number;
  pid: number;
  hostKeySha256: string;
  service: string;
  replication: string;
  monitor: string;
  bootSeconds: number;
}

export interface LabInfo {
  repo: string;
  labDir: string;
  image: string;
  accel: string;
  /** vCPUs and memory per VM (LAB_SMP, LAB_MEM): a failover is CPU-bound on the survivor. */
  vcpus: number;
  memMiB: number;
  identity: string;
  knownHosts: string;
  home: string;
  sshConfig: string;
  answers: string;
  /** LAB_BMC=1 only (else null): .lab/lab-answers-ipmi.yaml, the answers fencing through the virtual BMCs. */
  answersIpmi?: string | null;
  /** LAB_SBD=1 only (else null): .lab/lab-answers-sbd.yaml, the answers fencing by SBD on the shared disk. */
  answersSbd?: string | null;
  vip: string;
  gateway: string;
  hub: { pid: number; port: number };
  nodes: LabNode[];
  timings: { imageSeconds: number; bootBothToSshSeconds: number; totalSeconds: number };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  seconds: number;
}

/** Runs a program (argv, no shell on the host) and collects its output; never throws for exit codes. */
export function run(
  argv: readonly string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string; cwd?: string; onOutput?: (chunk: string) => void } = {},
): Promise<Result> {
  const t0 = performance.now();
  return new Promise((resolvePromise) => {
    const [file, ...args] = argv;
    if (file === undefined) throw new Error('run: empty argv');
    const child = spawn(file, args, {
      cwd: opts.cwd ?? REPO,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      opts.onOutput?.(d.toString());
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onOutput?.(d.toString());
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer =
      opts.timeoutMs === undefined
        ? null
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    const finish = (code: number | null, extra = '') => {
      if (timer) clearTimeout(timer);
      resolvePromise({ code, stdout, stderr: stderr + extra, timedOut, seconds: (performance.now() - t0) / 1000 });
    };
    child.on('error', (e) => finish(null, `\n${e.message}`));
    child.on('close', (code) => finish(code));
  });
}

export function readLab(): LabInfo {
  const f = join(LAB_RUN, 'lab.json');
  if (!existsSync(f)) throw new Error(`${f} missing: the lab is not up (npm run lab:up)`);
  return JSON.parse(readFileSync(f, 'utf8')) as LabInfo;
}

export async function labUp(): Promise<Result> {
  return run(['bash', join(LAB_SCRIPTS, 'lab-up.sh')], { timeoutMs: 30 * 60_000 });
}

export async function labDown(): Promise<Result> {
  return run(['bash', join(LAB_SCRIPTS, 'lab-down.sh')], { timeoutMs: 60_000 });
}

function sshArgv(node: NodeName, command: string, mux: boolean): string[] {
  const base = ['ssh', '-F', join(LAB_RUN, 'ssh_config')];
  if (!mux) base.push('-o', 'ControlMaster=no', '-o', 'ControlPath=none');
  return [...base, node, command];
}

/**
 * Runs a shell command line on a node as root. The command is a fixed string written in this harness
 * (never user input); remote quoting is the remote shell's, as with ssh(1).
 */
export function ssh(node: NodeName, command: string, opts: { timeoutMs?: number; input?: string; mux?: boolean } = {}): Promise<Result> {
  return run(sshArgv(node, command, opts.mux ?? true), {
    timeoutMs: opts.timeoutMs ?? 120_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
}

/** Like ssh(), but throws with the command's stderr when it does not exit 0. */
export async function sshOk(node: NodeName, command: string, timeoutMs = 120_000): Promise<string> {
  const r = await ssh(node, command, { timeoutMs });
  if (r.code !== 0) {
    throw new Error(`${node}: \`${command}\` exited ${r.code}${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

export interface Stream {
  /** Resolves when the remote command ends (or the connection drops). */
  done: Promise<number | null>;
  kill(): void;
}

/** A long-running remote command on its own SSH connection; each stdout line is handed over with the host time it arrived. */
export function sshStream(node: NodeName, command: string, onLine: (line: string, atMs: number) => void): Stream {
  const [file, ...args] = sshArgv(node, command, false);
  const child = spawn(file!, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  child.stdout.on('data', (d: Buffer) => {
    const at = Date.now();
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i), at);
      buf = buf.slice(i + 1);
    }
  });
  child.stderr.resume();
  const done = new Promise<number | null>((r) => {
    child.on('close', (code) => r(code));
    child.on('error', () => r(null));
  });
  return { done, kill: () => child.kill('SIGTERM') };
}

/** One command to a VM's QEMU human monitor (unix socket); returns what QEMU printed. */
export function qemuMonitor(node: NodeName, command: string, timeoutMs = 10_000): Promise<string> {
  const path = join(LAB_RUN, node, 'monitor.sock');
  return new Promise((resolvePromise, reject) => {
    const sock = net.createConnection(path);
    let out = '';
    let sent = false;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`${node}: QEMU monitor did not answer \`${command}\` within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.on('data', (d: Buffer) => {
      out += d.toString();
      // The monitor greets with a banner and a "(qemu) " prompt; after our command it prompts again.
      const prompts = out.split('(qemu)').length - 1;
      if (!sent && prompts >= 1) {
        sent = true;
        sock.write(`${command}\n`);
      } else if (sent && prompts >= 2) {
        clearTimeout(timer);
        sock.end();
        // The monitor echoes what it reads with terminal redraw sequences: drop them and the echo.
        // eslint-disable-next-line no-control-regex
        const plain = out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\(qemu\)\s*$/, '');
        const echoed = plain.lastIndexOf(command);
        resolvePromise((echoed >= 0 ? plain.slice(echoed + command.length) : plain).trim());
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${node}: QEMU monitor ${path}: ${e.message}`));
    });
  });
}

/** Cuts (false) or restores (true) one of a VM's NICs, as pulling its cable would: `svc` or `repl`. */
export async function setLink(node: NodeName, nic: 'svc' | 'repl', up: boolean): Promise<void> {
  const out = await qemuMonitor(node, `set_link ${nic} ${up ? 'on' : 'off'}`);
  if (out !== '') throw new Error(`${node}: set_link ${nic} ${up ? 'on' : 'off'}: ${out}`);
}

function pidFile(node: NodeName): string {
  return join(LAB_RUN, node, 'qemu.pid');
}

/** The VM's QEMU PID when it runs and /proc confirms it is that VM's QEMU, else null. */
export function qemuPid(node: NodeName): number | null {
  if (!existsSync(pidFile(node))) return null;
  const pid = Number(readFileSync(pidFile(node), 'utf8').trim());
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return cmd.includes(`-name ${node} `) ? pid : null;
  } catch {
    return null;
  }
}

/** SIGKILL to the VM's QEMU, by its recorded PID: the node dies as on a power cut. Returns the kill time. */
export async function killNode(node: NodeName): Promise<number> {
  const pid = qemuPid(node);
  if (pid === null) throw new Error(`${node}: no running QEMU to kill`);
  process.kill(pid, 'SIGKILL');
  const at = Date.now();
  for (let i = 0; i < 100 && qemuPid(node) === pid; i++) await sleep(50);
  // The SSH connection master for that node now talks to a dead VM: drop it so nothing waits on it.
  await run(['ssh', '-F', join(LAB_RUN, 'ssh_config'), '-O', 'exit', node], { timeoutMs: 5_000 });
  return at;
}

/** Boots a stopped VM again with its disks as they were, and waits for its SSH. Returns seconds to SSH. */
export async function restartNode(node: NodeName, timeoutMs = 600_000): Promise<number> {
  const t0 = Date.now();
  const r = await run(['bash', join(LAB_SCRIPTS, 'start-node.sh'), node], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`${node}: start-node.sh failed: ${r.stderr.trim()}`);
  await waitFor(`${node} answers SSH`, timeoutMs, 2_000, async () => {
    const s = await ssh(node, 'true', { timeoutMs: 15_000, mux: false });
    return s.code === 0 ? true : null;
  });
  return (Date.now() - t0) / 1000;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns a non-null value; throws after timeoutMs naming what was awaited and the
 * last thing `describe` said about the state (so a failure shows where the cluster got stuck).
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  intervalMs: number,
  probe: () => Promise<T | null>,
  describe?: () => Promise<string>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      const v = await probe();
      if (v !== null) return v;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= end) {
      const state = describe ? await describe().catch((e: unknown) => String(e)) : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for: ${what}${lastError ? `\nlast error: ${lastError}` : ''}${state ? `\nstate:\n${state}` : ''}`);
    }
    await sleep(intervalMs);
  }
}
