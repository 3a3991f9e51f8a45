import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answers } from '../../src/answers/schema.js';
import type { Argv, Runner, RunOptions, RunResult, StreamOptions } from '../../src/exec/runner.js';
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { generateSecrets, secretStrings } from '../../src/generate/secrets.js';
import { planSteps } from '../../src/plan/plan.js';
import { WRITE_AND_RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILES_SCRIPT, WRITE_RUN_AND_RECORD_FILE_SCRIPT } from '../../src/plan/node-files.js';
import { FakeNode } from './fake-node.js';
import { answers, FIX, fakes, readOnlyArgv, Recording, setup } from './engine-harness.js';

describe('apply --dry-run on the demo lab (fresh nodes)', () => {
  it('runs only read-only commands and reports what would run', async () => {
    const a = await answers('demo-answers.yaml');
    const recs = createDemoRunners('bare').map((r) => new Recording(r));
    const { engine, events } = setup(a, recs, { dryRun: true, confirmWipe: async () => { throw new Error('dry run must not ask'); } });
    const out = await engine.run();
    expect(out.kind).toBe('dry-run');
    const ro = readOnlyArgv(a);
    // by-id disks resolve to kernel names for wipefs: allow the kernel paths the review looked at too.
    const ran = recs.flatMap((r) => r.seen.map((x) => JSON.stringify(x)));
    const notReadOnly = ran.filter((x) => !ro.has(x) && !x.startsWith('["wipefs","-n","--json","/dev/vd'));
    expect(notReadOnly).toEqual([]);
    const would = events.filter((e) => e.type === 'step-would-run').map((e) => (e as { step: { id: string } }).step.id);
    expect(would).toContain('node1/raid');
    expect(would).toContain('node2/raid');
    expect(would).toContain('cluster/cib');
    // The bare captures do have /proc/drbd: the module step is honestly "already done".
    expect(events.some((e) => e.type === 'step-skip' && e.step.id === 'node1/modprobe')).toBe(true);
    expect(events.some((e) => e.type === 'message' && /would wipe node1:\/dev\/disk\/by-id\/virtio-HANFS-N1-RAID-B .*serial HANFS-N1-RAID-B/.test(e.text))).toBe(true);
  });
});

describe('apply on a cluster that runs the service (real captures)', () => {
  it('first run only installs what apply itself owns; a second run changes nothing', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const secrets = generateSecrets(a);
    const first = await setup(a, nodes, {}, secrets).engine.run();
    expect(first.kind).toBe('done');
    const m1 = nodes.flatMap((n) => n.mutations.map((x) => x[0] === 'sh' ? `sh ${x[4]}` : x.join(' ')));
    // Nothing that touches disks, DRBD state or the running stack was run on a cluster that is done.
    expect(m1.join('\n')).not.toMatch(/mdadm --create|pvcreate|vgcreate|lvcreate|create-md|mkfs|drbdadm up|primary|systemctl start/);
    for (const n of nodes) n.mutations.length = 0;
    const second = await setup(a, nodes, {}, secrets).engine.run();
    expect(second.kind).toBe('done');
    expect(nodes.flatMap((n) => n.mutations)).toEqual([]);
    if (second.kind === 'done') {
      // Only wait/verify steps (no commands) "ran": they checked the live state and passed.
      const withCommands = planSteps(a).filter((s) => second.ran.includes(s.id) && s.commands.length > 0);
      expect(withCommands).toEqual([]);
    }
  });

  it('a changed answers file yields only the steps that differ', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const secrets = generateSecrets(a);
    await setup(a, nodes, {}, secrets).engine.run();
    for (const n of nodes) n.mutations.length = 0;
    const changed: Answers = { ...a, pacemaker: { ...a.pacemaker, stickiness: 200 }, drbd: { ...a.drbd, resyncRate: '50M' } };
    const out = await setup(changed, nodes, {}, secrets).engine.run();
    expect(out.kind).toBe('done');
    const ran = out.kind === 'done' ? planSteps(changed).filter((s) => out.ran.includes(s.id) && s.commands.length > 0).map((s) => s.id) : [];
    expect(ran.sort()).toEqual(['cluster/cib', 'node1/file:/etc/drbd.d/r0.res', 'node2/file:/etc/drbd.d/r0.res']);
    // drbdadm adjust is part of the .res step (a running resource takes the new rate in place).
    expect(nodes[0]!.mutations.some((x) => x[0] === 'sh' && String(x[2]).includes('drbdadm adjust'))).toBe(true);
  });

  it('a file edited by hand is not replaced unless confirmed, and then read back', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const secrets = generateSecrets(a);
    await setup(a, nodes, {}, secrets).engine.run();
    const conf = nodes[1]!.files.get('/etc/nfs.conf.d/hanfs.conf')!;
    conf.content = Buffer.concat([conf.content, Buffer.from('# hand-added option\n')]);
    const asked: string[] = [];
    const refused = await setup(a, nodes, { confirmReplace: async (f) => (asked.push(`${f.node}:${f.target}:${f.current?.includes('hand-added') ?? false}`), false) }, secrets).engine.run();
    expect(refused.kind).toBe('refused');
    expect(asked).toEqual(['node2:/etc/nfs.conf.d/hanfs.conf:true']);
    expect(nodes[1]!.files.get('/etc/nfs.conf.d/hanfs.conf')!.content.toString()).toContain('hand-added');
    const replaced = await setup(a, nodes, { confirmReplace: async () => true }, secrets).engine.run();
    expect(replaced.kind).toBe('done');
    expect(nodes[1]!.files.get('/etc/nfs.conf.d/hanfs.conf')!.content.toString()).not.toContain('hand-added');
  });

  it('secrets never appear in the journal or in events', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const { engine, events, log, secrets } = setup(a, nodes);
    const out = await engine.run();
    expect(out.kind).toBe('done');
    // The secret files were really written (through stdin), so the secrets did pass through the engine.
    expect(nodes[0]!.files.get('/etc/drbd.d/r0.res')!.content.toString()).toContain(secrets.drbdSecret);
    const journal = readFileSync(log, 'utf8');
    expect(journal).toContain('/etc/drbd.d/r0.res');
    const shown = JSON.stringify(events);
    for (const s of secretStrings(secrets)) {
      expect(journal).not.toContain(s);
      expect(shown).not.toContain(s);
    }
  });

  it('a failing command stops the run with the command, exit code, stderr and what to do next', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a, (argv) =>
      argv[0] === 'systemctl' && argv[1] === 'disable'
        ? { argv, exitCode: 1, stdout: '', stderr: 'Failed to disable unit: Access denied\n', timedOut: false, aborted: false, durationMs: 3 }
        : null,
    );
    const { engine, events } = setup(a, nodes);
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.step).toMatch(/\/nfs-unit$/);
    expect(out.failure.command).toBe('systemctl disable nfs-server.service');
    expect(out.failure.exitCode).toBe(1);
    expect(out.failure.stderr).toContain('Access denied');
    expect(out.failure.next).toMatch(/run apply again/);
    // Nothing after the failed group ran (no CIB written, no cluster started).
    expect(nodes.flatMap((n) => n.mutations).some((x) => x[0] === 'cibadmin')).toBe(false);
    expect(events.some((e) => e.type === 'step-failed')).toBe(true);
  });
});

describe('wipe safety', () => {
  it('refuses a disk that gained a holder and a signature since the review', async () => {
    const base = await answers('done-answers.yaml');
    const a: Answers = { ...base, nodes: [{ ...base.nodes[0], disks: ['/dev/vdb', '/dev/vdf'] }, base.nodes[1]] };
    const { ReplayRunner } = await import('../../src/exec/replay-runner.js');
    const node1 = new ReplayRunner({ dir: join(FIX, 'disk-changed', 'node1'), label: 'node1' });
    const raid = planSteps(a).filter((s) => s.id === 'node1/raid');
    const reviewed: string[] = [];
    const { engine, log } = setup(a, [node1, node1], {
      steps: raid,
      confirmWipe: async (disks) => (reviewed.push(...disks.map((d) => `${d.disk}:${d.info?.serial}:${d.problems.length}`)), true),
    });
    const out = await engine.run();
    expect(reviewed).toEqual(['/dev/vdb:HANFS-N1-RAID-B:0', '/dev/vdf:HANFS-N1-SPARE:0']);
    // Both looks at the disks are commands on the node: in the journal, with what they saw.
    const journal = readFileSync(log, 'utf8');
    expect(journal).toMatch(/node1 node1\/raid \(disk review\): \$ wipefs -n --json \/dev\/vdb/);
    // One lsblk and one by-id listing for both disks, in the review and in the re-probe; wipefs per disk.
    expect(journal.match(/\(disk review\): \$ lsblk -J -b -O\n/g)).toHaveLength(1);
    expect(journal.match(/\(disk review\): \$ ls -l \/dev\/disk\/by-id\/\n/g)).toHaveLength(1);
    expect(journal.match(/\(disk review\): \$ wipefs -n --json \/dev\/vd[bf]\n/g)).toHaveLength(2);
    expect(journal.match(/\(disk re-probe before wiping\): \$ lsblk -J -b -O\n/g)).toHaveLength(1);
    expect(journal).toMatch(/node1 node1\/raid \(disk re-probe before wiping\): \$ wipefs -n --json \/dev\/vdb\n  exit 0 in \d+ ms\n  stdout:\n[\s\S]*linux_raid_member/);
    expect(out.kind).toBe('refused');
    if (out.kind === 'refused') {
      expect(out.reason).toMatch(/node1:\/dev\/vdb changed since it was reviewed/);
      expect(out.reason).toMatch(/gained a holder: md0/);
      expect(out.reason).toMatch(/gained a signature: linux_raid_member/);
    }
    // mdadm --create never ran.
    expect(node1.history.some((x) => x[0] === 'mdadm')).toBe(false);
  });

  it('an unconfirmed wipe is refused before anything runs', async () => {
    const a = await answers('demo-answers.yaml');
    const recs = createDemoRunners('bare').map((r) => new Recording(r));
    const { engine } = setup(a, recs, { confirmWipe: async () => false });
    const out = await engine.run();
    expect(out.kind).toBe('refused');
    const ro = readOnlyArgv(a);
    const ran = recs.flatMap((r) => r.seen.map((x) => JSON.stringify(x)));
    expect(ran.filter((x) => !ro.has(x) && !x.startsWith('["wipefs","-n","--json","/dev/vd'))).toEqual([]);
  });
});

describe('a full initial sync', () => {
  it('waits until both are UpToDate, reporting progress from drbdadm status and /proc/drbd', async () => {
    const base = await answers('done-answers.yaml');
    const a: Answers = { ...base, drbd: { ...base.drbd, initialSync: 'full' } };
    const steps = planSteps(a).filter((s) => s.id === 'cluster/initial-sync');
    const ro = readOnlyArgv(a);
    const node1 = new FakeNode(join(FIX, 'full-sync', 'node1'), 'node1', ro);
    const sleeps: number[] = [];
    const { engine, events } = setup(a, [node1, node1], { steps, sleep: async (ms) => void sleeps.push(ms) });
    const out = await engine.run();
    expect(out).toMatchObject({ kind: 'done', ran: ['cluster/initial-sync'] });
    expect(node1.mutations).toEqual([['drbdadm', 'primary', '--force', 'r0']]);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress).toHaveLength(1);
    expect(progress[0]).toMatchObject({ percent: 92.02, rateKiBs: 19456, etaSec: 8, what: 'DRBD initial sync' });
    expect(sleeps).toEqual([2000]);
  });
});

describe('interrupted and resumed', () => {
  it('Ctrl-C mid-step stops the run; the next run continues from the nodes\' state to the same end', async () => {
    const a = await answers('done-answers.yaml');
    const controller = new AbortController();
    const ro = readOnlyArgv(a);
    // The interruption lands while node2 writes its nfs.conf drop-in (with the files written together
    // with it): that command comes back aborted.
    const nfsConf = '/etc/nfs.conf.d/hanfs.conf';
    const writes = (argv: Argv) => (argv[2] === WRITE_AND_RECORD_FILE_SCRIPT && argv[4] === nfsConf) || (argv[2] === WRITE_AND_RECORD_FILES_SCRIPT && argv.includes(nfsConf));
    const interrupt = (argv: Argv): RunResult | null => {
      if (argv[0] === 'sh' && writes(argv) && !controller.signal.aborted) {
        controller.abort();
        return { argv, exitCode: null, stdout: '', stderr: '', timedOut: false, aborted: true, durationMs: 5 };
      }
      return null;
    };
    const nodes = [new FakeNode(join(FIX, 'done', 'node1'), 'node1', ro), new FakeNode(join(FIX, 'done', 'node2'), 'node2', ro, interrupt)];
    const secrets = generateSecrets(a);
    const first = await setup(a, nodes, { signal: controller.signal }, secrets).engine.run();
    expect(first.kind).toBe('interrupted');
    expect(nodes.some((n) => n.mutations.some((x) => x[0] === 'cibadmin'))).toBe(false);
    const doneBefore = new Set(nodes.flatMap((n) => [...n.record.keys()].map((k) => `${n.label}:${k}`)));
    expect(doneBefore.has('node1:/etc/drbd.d/r0.res')).toBe(true);
    for (const n of nodes) n.mutations.length = 0;
    const second = await setup(a, nodes, {}, secrets).engine.run();
    expect(second.kind).toBe('done');
    if (second.kind !== 'done') return;
    // Files finished before the interruption are not written again; the interrupted one is.
    expect(second.ran).not.toContain('node1/file:/etc/drbd.d/r0.res');
    expect(second.ran).toContain('node2/file:/etc/nfs.conf.d/hanfs.conf');
    expect(second.ran).toContain('cluster/cib');
    const third = await setup(a, nodes, {}, secrets).engine.run();
    expect(third.kind === 'done' && planSteps(a).filter((s) => third.ran.includes(s.id) && s.commands.length > 0)).toEqual([]);
  });
});

describe('round trips', () => {
  it('a repeatable step found to do is not checked again before it runs, and a written file is read back from its record', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a).map((n) => new Recording(n));
    const { engine } = setup(a, nodes);
    const out = await engine.run();
    expect(out.kind).toBe('done');
    if (out.kind !== 'done') return;
    const steps = planSteps(a);
    const written = steps.filter((s) => out.ran.includes(s.id) && s.check?.kind === 'file');
    // Else this test says nothing: the done cluster's fixture has files to write.
    expect(written.length).toBeGreaterThan(1);
    for (const s of written) {
      const n = nodes.find((x) => x.label === s.node)!;
      const reads = n.seen.filter((x) => JSON.stringify(x) === JSON.stringify(s.check!.argv));
      // The assessment's one read; no second one before the write, none after it.
      expect(reads, s.id).toHaveLength(1);
    }
    // A step that is not repeatable (a restart of the NFS server) is checked again right before it runs.
    const restart = steps.find((s) => s.id === 'node1/nfs-restart')!;
    expect(out.ran).toContain(restart.id);
    const seen = nodes[0]!.seen.map((x) => JSON.stringify(x));
    const before = seen.slice(0, seen.indexOf(JSON.stringify(restart.commands[0])));
    expect(before.filter((x) => x === JSON.stringify(restart.check!.argv))).toHaveLength(2);
  });

  it('plain file writes that follow one another go to a node in one command, each step started, read back and done', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a).map((n) => new Recording(n));
    const { engine, events, log } = setup(a, nodes);
    const out = await engine.run();
    expect(out.kind).toBe('done');
    if (out.kind !== 'done') return;
    // The NFS and snapshot files (group 13) follow one another on each node with nothing else to run.
    const nfsFiles = (node: string) => planSteps(a).filter((s) => s.node === node && s.parallelGroup === '13-nfs' && s.check?.kind === 'file' && s.file?.reload === null);
    // The one with its own reload (fsidd's drop-in, last) is not a plain write: it runs alone, after them.
    const reloading = (node: string) => planSteps(a).filter((s) => s.node === node && s.parallelGroup === '13-nfs' && s.file !== undefined && s.file.reload !== null);
    for (const n of nodes) {
      expect(reloading(n.label).map((s) => s.file!.target)).toEqual(['/etc/systemd/system/fsidd.service.d/hanfs.conf']);
      expect(n.seen.some((x) => x[2] === WRITE_RUN_AND_RECORD_FILE_SCRIPT && x[4] === '/etc/systemd/system/fsidd.service.d/hanfs.conf' && x.includes('daemon-reload'))).toBe(true);
      const files = nfsFiles(n.label);
      expect(files.length).toBeGreaterThan(3);
      const batches = n.seen.filter((x) => x[2] === WRITE_AND_RECORD_FILES_SCRIPT).map((x) => x.slice(4).filter((_, i) => i % 2 === 0));
      // Corosync's key and mdadm.conf (group 02, before the cluster starts), then the NFS files.
      expect(batches).toEqual([['/etc/corosync/authkey', '/etc/mdadm/mdadm.conf'], files.map((s) => (s.check as { target: string }).target)]);
      // None of them written on its own as well.
      expect(n.seen.filter((x) => x[2] === WRITE_AND_RECORD_FILE_SCRIPT && files.some((s) => x[4] === (s.check as { target: string }).target))).toEqual([]);
      for (const s of files) {
        expect(out.ran).toContain(s.id);
        expect(events.some((e) => e.type === 'step-start' && e.step.id === s.id)).toBe(true);
        expect(events.some((e) => e.type === 'step-done' && e.step.id === s.id)).toBe(true);
      }
    }
    expect(readFileSync(log, 'utf8')).toMatch(new RegExp(`node1 node1/files: ${nfsFiles('node1').length} written together: \\$ sh -c`));
    // A second run finds every one of them done.
    const again = await setup(a, nodes).engine.run();
    expect(again.kind === 'done' && again.ran.filter((id) => nfsFiles('node1').some((s) => s.id === id))).toEqual([]);
  });

  it('a file of the batch that does not read back as written fails as its own step, with its path', async () => {
    const a = await answers('done-answers.yaml');
    const target = '/etc/systemd/system/hanfs-snapshot.service';
    // node2 answers the batch with a wrong sha256 on that file's line (a short write would read back so).
    const [n1, n2] = fakes(a);
    const bad: Runner = {
      label: n2!.label,
      run: async (argv: Argv, o?: RunOptions) => {
        const r = await n2!.run(argv, o);
        if (argv[2] !== WRITE_AND_RECORD_FILES_SCRIPT) return r;
        const i = argv.slice(4).filter((_, j) => j % 2 === 0).indexOf(target);
        if (i < 0) return r;
        const lines = r.stdout.trimEnd().split('\n');
        lines[i] = lines[i]!.replace(/ [0-9a-f]{64} /, ` ${'0'.repeat(64)} `);
        return { ...r, stdout: `${lines.join('\n')}\n` };
      },
      stream: (argv: Argv, o: StreamOptions) => n2!.stream(argv, o),
      close: () => n2!.close(),
    };
    const { engine } = setup(a, [n1!, bad]);
    const out = await engine.run();
    expect(out.kind).toBe('failed');
    if (out.kind !== 'failed') return;
    expect(out.step).toBe(`node2/file:${target}`);
    expect(out.failure.stderr).toMatch(/read back: \/etc\/systemd\/system\/hanfs-snapshot\.service does not hold the generated bytes/);
  });
});
