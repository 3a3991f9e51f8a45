// A node for engine tests: real captured outputs (a replay folder) for everything the lab recorded, plus
// a small model of exactly what apply itself writes and reads back (files and their applied record, unit
// enablement, directories, CIB sections). Commands it does not model and has no capture for are recorded
// as "mutations" and succeed: tests assert on that list (what apply changed), never on typed outputs.
// The NFS server's state (where Pacemaker runs it comes from the captured crm_mon; when its unit started
// and the files' mtimes are the fake's own clock, moved by what apply writes and restarts) answers the
// plan's NFS_SERVER_STATE_SCRIPT in that script's format.
import { createHash } from 'node:crypto';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { ReplayRunner } from '../../src/exec/replay-runner.js';
import { CIB_SEED_SCRIPT, CIB_SEED_STATE_SCRIPT } from '../../src/plan/cib-seed.js';
import { FILE_STATE_SCRIPT, RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILES_SCRIPT, WRITE_FILE_SCRIPT, WRITE_RUN_AND_RECORD_FILE_SCRIPT } from '../../src/plan/node-files.js';
import { NFS_SERVER_STATE_SCRIPT } from '../../src/plan/nfs-server-state.js';
import { cibSection } from '../../src/generate/cib-merge.js';
import { NFS_SCOPE_DROPIN_PATH, NFSDCLD_DROPIN_PATH } from '../../src/generate/nfs-conf.js';
import { parseCrmMon } from '../../src/probes/crm-mon.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export class FakeNode implements Runner {
  readonly label: string;
  readonly replay: ReplayRunner;
  readonly files = new Map<string, { content: Buffer; mode: string }>();
  readonly record = new Map<string, string>();
  /** Unit enablement; a fresh Debian install enables nfs-server (the package's default). */
  readonly units = new Map<string, string>([['nfs-server.service', 'enabled']]);
  readonly dirs = new Set<string>();
  readonly cib = new Map<string, { mode: 'replace' | 'modify'; xml: string }>();
  readonly mutations: Argv[] = [];
  readonly all: Argv[] = [];
  /** The fake's clock (seconds): every file write and restart moves it on. */
  private clock = 1000;
  readonly mtimes = new Map<string, number>();
  /** When nfs-server.service became active here: 0 = before anything apply wrote. */
  nfsStartedAt = 0;
  /** When systemd last reloaded its units: 0 = before apply wrote anything. */
  reloadedAt = 0;
  /** The on-disk CIB's properties while Pacemaker is stopped here (null: no CIB file, as on a bare node). */
  cibFile: Map<string, string> | null = null;
  /** The drop-ins systemd read at its last reload. */
  private loadedDropIns = new Set<string>();
  /** The unit files (drop-ins included) apply writes, per unit: what `systemctl show` judges them by. */
  private static readonly UNIT_FILES: Record<string, { files: string[]; packaged: boolean }> = {
    'nfs-server.service': { files: [NFS_SCOPE_DROPIN_PATH], packaged: true },
    'nfsdcld.service': { files: [NFSDCLD_DROPIN_PATH], packaged: true },
    'hanfs-snapshot.service': { files: ['/etc/systemd/system/hanfs-snapshot.service'], packaged: false },
    'hanfs-snapshot.timer': { files: ['/etc/systemd/system/hanfs-snapshot.timer'], packaged: false },
  };
  /** Read-only argv that must answer "no capture" rather than be treated as a mutation. */
  constructor(dir: string, label: string, private readonly readOnly: Set<string>, private readonly failOn?: (argv: Argv) => RunResult | null) {
    this.label = label;
    this.replay = new ReplayRunner({ dir, label });
  }

  private res(argv: Argv, exitCode: number, stdout = '', stderr = ''): RunResult {
    return { argv, exitCode, stdout, stderr, timedOut: false, aborted: false, durationMs: 1 };
  }

  private mutate(argv: Argv): void {
    this.mutations.push(argv);
  }

  async run(argv: Argv, options: RunOptions = {}): Promise<RunResult> {
    // nice only lowers the priority: the node does what the command after it does.
    if (argv[0] === 'nice' && argv[1] === '-n' && argv.length > 3) return this.run(argv.slice(3), options);
    // env VAR=value... only sets the command's environment.
    if (argv[0] === 'env') {
      const i = argv.findIndex((x, j) => j > 0 && !x.includes('='));
      if (i > 0) return this.run(argv.slice(i), options);
    }
    this.all.push(argv);
    const injected = this.failOn?.(argv);
    if (injected) {
      this.mutate(argv);
      return injected;
    }
    const [p, a1, a2] = argv;
    if (p === 'sh' && a1 === '-c' && a2 === NFS_SERVER_STATE_SCRIPT) {
      const [rsc, node, ...configs] = argv.slice(4);
      const on = await this.runsOn(rsc!);
      const here = on.includes(node!);
      const m = configs.map((f) => this.mtimes.get(f)).filter((x): x is number => x !== undefined);
      const out = [
        `locate: ${on.map((n) => `resource ${rsc} is running on: ${n} `).join('')}`,
        `node: ${node}`,
        `active: ${here ? 'active' : 'inactive'}`,
        `started: ${here ? this.nfsStartedAt : '-'}`,
        `config: ${m.length ? Math.max(...m) : '-'}`,
      ];
      return this.res(argv, 0, `${out.join('\n')}\n`);
    }
    // Pacemaker runs here when the captured crm_mon answered; its CIB is then the captured one (with what
    // apply loaded), else the file apply seeds (CIB_SEED_SCRIPT, run for real in test/generate/cib-seed).
    if (p === 'sh' && a1 === '-c' && (a2 === CIB_SEED_STATE_SCRIPT || a2 === CIB_SEED_SCRIPT)) {
      const names = argv.slice(5).filter((_, i) => i % 2 === 0);
      const mon = await this.replay.run(['crm_mon', '-1', '--output-as=xml']);
      const active = mon.exitCode === 0 && mon.error === undefined;
      const live = active ? await this.replay.run(['cibadmin', '-Q']) : null;
      const cib = live && live.exitCode === 0 ? this.splice(live.stdout) : '';
      const resources = /<primitive\b/.test(cibSection(cib, 'resources') ?? '');
      if (a2 === CIB_SEED_SCRIPT) {
        this.mutate(argv);
        if (!active && !resources) {
          // The crm_config section on stdin, merged as cibadmin --modify does.
          this.cibFile ??= new Map();
          for (const m of String(options.input ?? '').matchAll(/<nvpair\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/g)) this.cibFile.set(m[1]!, m[2]!);
        }
        return this.res(argv, 0);
      }
      if (!active && this.cibFile === null) return this.res(argv, 0, 'pacemaker: inactive\ncib: absent\n');
      if (resources) return this.res(argv, 0, `pacemaker: ${active ? 'active' : 'inactive'}\nresources: yes\n`);
      const value = (k: string) => active ? (new RegExp(`<nvpair\\b[^>]*\\bname="${k}"[^>]*\\bvalue="([^"]*)"`).exec(cibSection(cib, 'crm_config') ?? '')?.[1] ?? '') : (this.cibFile!.get(k) ?? '');
      return this.res(argv, 0, `pacemaker: ${active ? 'active' : 'inactive'}\nresources: no\n${names.map((k) => `${k}=${value(k)}\n`).join('')}`);
    }
    if (p === 'crm_resource' && a1 === '--restart') {
      this.mutate(argv);
      if ((await this.runsOn(argv[3]!)).includes(this.label)) this.nfsStartedAt = ++this.clock;
      return this.res(argv, 0);
    }
    if (p === 'sh' && a1 === '-c' && (a2 === FILE_STATE_SCRIPT || !this.readOnly.has(JSON.stringify(argv)))) {
      const args = argv.slice(4);
      if (a2 === WRITE_AND_RECORD_FILES_SCRIPT) {
        // "<path> <mode>" pairs; the input holds "<bytes>\n" then the bytes, per file (filesInput).
        let input = Buffer.isBuffer(options.input) ? options.input : Buffer.from(options.input ?? '');
        const lines: string[] = [];
        for (let i = 0; i + 1 < args.length; i += 2) {
          const nl = input.indexOf(0x0a);
          const n = Number(input.subarray(0, nl).toString());
          const content = input.subarray(nl + 1, nl + 1 + n);
          input = input.subarray(nl + 1 + n);
          this.files.set(args[i]!, { content, mode: args[i + 1]! });
          this.mtimes.set(args[i]!, ++this.clock);
          this.record.set(args[i]!, sha(content));
          lines.push(`${args[i + 1]} ${sha(content)} ${sha(content)}`);
        }
        this.mutate(argv);
        return this.res(argv, 0, `${lines.join('\n')}\n`);
      }
      if (a2 === FILE_STATE_SCRIPT) {
        const f = this.files.get(args[0]!);
        return this.res(argv, 0, `${f ? f.mode : '-'} ${f ? sha(f.content) : '-'} ${this.record.get(args[0]!) ?? '-'}\n`);
      }
      if (a2 === WRITE_RUN_AND_RECORD_FILE_SCRIPT) {
        // Write, then the command in the remaining arguments (recorded as what it is), then record.
        const input = options.input ?? '';
        const content = Buffer.isBuffer(input) ? input : Buffer.from(input);
        this.mutate(argv);
        this.files.set(args[0]!, { content, mode: args[1]! });
        this.mtimes.set(args[0]!, ++this.clock);
        const inner = await this.run(args.slice(2));
        if (inner.exitCode !== 0) return { ...inner, argv };
        this.record.set(args[0]!, sha(content));
        return this.res(argv, 0, `${inner.stdout}${args[1]} ${sha(content)} ${sha(content)}\n`);
      }
      this.mutate(argv);
      if (a2 === WRITE_FILE_SCRIPT || a2 === WRITE_AND_RECORD_FILE_SCRIPT) {
        const input = options.input ?? '';
        this.files.set(args[0]!, { content: Buffer.isBuffer(input) ? input : Buffer.from(input), mode: args[1]! });
        this.mtimes.set(args[0]!, ++this.clock);
      }
      if (a2 === RECORD_FILE_SCRIPT || a2 === WRITE_AND_RECORD_FILE_SCRIPT) {
        const f = this.files.get(args[0]!)!;
        this.record.set(args[0]!, sha(f.content));
        // The record script ends with FILE_STATE_SCRIPT's line (test/generate/plan-file-scripts runs it for real).
        return this.res(argv, 0, `${f.mode} ${sha(f.content)} ${sha(f.content)}\n`);
      }
      return this.res(argv, 0);
    }
    if (p === 'systemctl' && a1 === 'daemon-reload') {
      this.mutate(argv);
      this.reloadedAt = ++this.clock;
      this.loadedDropIns = new Set([...this.mtimes.keys()].filter((f) => f.includes('.service.d/')));
      return this.res(argv, 0);
    }
    if (p === 'systemctl' && a1 === 'show') {
      // systemctl show -p ... UNIT...: one block per unit, blank lines between, as systemctl prints it
      // (test/fixtures/apply/unit-reload has the real thing).
      const blocks = argv.slice(2).filter((x, i, all) => x !== '-p' && all[i - 1] !== '-p').map((u) => {
        const spec = FakeNode.UNIT_FILES[u];
        const files = (spec?.files ?? []).filter((f) => this.mtimes.has(f));
        const loadedFiles = spec?.packaged ? files.filter((f) => this.loadedDropIns.has(f)) : files.filter((f) => this.mtimes.get(f)! < this.reloadedAt);
        const loaded = spec?.packaged === true || loadedFiles.length > 0;
        const stale = loadedFiles.some((f) => this.mtimes.get(f)! > this.reloadedAt);
        return `LoadState=${loaded ? 'loaded' : 'not-found'}\nDropInPaths=${spec?.packaged ? loadedFiles.join(' ') : ''}\nNeedDaemonReload=${stale ? 'yes' : 'no'}\n`;
      });
      return this.res(argv, 0, blocks.join('\n'));
    }
    if (p === 'systemctl' && a1 === 'is-enabled') {
      const s = this.units.get(a2!) ?? 'disabled';
      return this.res(argv, s === 'enabled' ? 0 : 1, `${s}\n`);
    }
    if (p === 'systemctl' && (a1 === 'enable' || a1 === 'disable')) {
      this.mutate(argv);
      for (const u of argv.slice(2).filter((x) => !x.startsWith('-'))) this.units.set(u, a1 === 'enable' ? 'enabled' : 'disabled');
      return this.res(argv, 0);
    }
    if (p === 'test' && a1 === '-d') return this.res(argv, this.dirs.has(a2!) ? 0 : 1);
    if (p === 'mkdir') {
      this.mutate(argv);
      for (const d of argv.slice(1).filter((x) => !x.startsWith('-'))) this.dirs.add(d);
      return this.res(argv, 0);
    }
    if (p === 'cat' && a1 === '--') {
      const f = this.files.get(a2!);
      return f ? this.res(argv, 0, f.content.toString('utf8')) : this.res(argv, 1, '', `cat: ${a2}: No such file or directory\n`);
    }
    if (p === 'base64') {
      const f = this.files.get(argv[argv.length - 1]!);
      return f ? this.res(argv, 0, f.content.toString('base64')) : this.res(argv, 1, '', 'base64: No such file or directory\n');
    }
    if (p === 'cibadmin' && (a1 === '--replace' || a1 === '--modify')) {
      this.mutate(argv);
      this.cib.set(argv[3]!, { mode: a1 === '--replace' ? 'replace' : 'modify', xml: String(options.input ?? '') });
      return this.res(argv, 0);
    }
    const r = await this.replay.run(argv, options);
    if (p === 'cibadmin' && a1 === '-Q' && r.exitCode === 0) return { ...r, stdout: this.splice(r.stdout) };
    if (r.error !== undefined && !this.readOnly.has(JSON.stringify(argv))) {
      this.mutate(argv);
      return this.res(argv, 0);
    }
    return r;
  }

  /** Where the captured crm_mon shows the resource active (the node names). */
  private async runsOn(rsc: string): Promise<string[]> {
    const r = await this.replay.run(['crm_mon', '-1', '--output-as=xml']);
    const c = r.exitCode === 0 ? parseCrmMon(r.stdout) : null;
    return c?.ok ? c.resources.filter((x) => x.id === rsc && x.active).flatMap((x) => x.nodes) : [];
  }

  /** The live CIB after the sections apply wrote: replaced sections swapped in, modified ones merged. */
  private splice(live: string): string {
    let out = live;
    for (const [section, w] of this.cib) {
      const cur = cibSection(out, section);
      const inner = w.xml.trim().replace(new RegExp(`^<${section}[^>]*>|</${section}>$|^<${section}\\s*/>$`, 'g'), '');
      const next = w.mode === 'replace' ? w.xml.trim() : cur && !cur.endsWith('/>') ? cur.replace(`</${section}>`, `${inner}</${section}>`) : `<${section}>${inner}</${section}>`;
      out = cur ? out.replace(cur, next) : out.replace('</configuration>', `${next}</configuration>`);
    }
    return out;
  }

  stream(argv: Argv, options: StreamOptions): Promise<RunResult> {
    return this.replay.stream(argv, options);
  }

  async close(): Promise<void> {}
}
