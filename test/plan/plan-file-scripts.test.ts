// The plan's fixed file scripts run for real with sh on this machine (paths redirected into a temp dir):
// write -> state -> record -> state, and a hand edit shows up as a sha256 different from the record; the
// one-command write-and-record leaves the same state as the two.
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLIED_RECORD, FILE_STATE_SCRIPT, filesInput, RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILE_SCRIPT, WRITE_AND_RECORD_FILES_SCRIPT, WRITE_FILE_SCRIPT } from '../../src/plan/node-files.js';
import { fileState, judgeFile } from '../../src/apply/file-state.js';

/** Runs a file script with sh, its fixed record path pointed into a fresh temp dir (for this test only). */
function scripts() {
  const dir = mkdtempSync(join(tmpdir(), 'plan-files-'));
  const record = join(dir, 'applied.sha256');
  const local = (script: string) => script.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
  const sh = (script: string, args: string[], input?: string) => spawnSync('sh', ['-c', local(script), '--', ...args], { input, encoding: 'utf8' });
  return { dir, record, sh };
}

describe('file scripts', () => {
  it('write, read back, record, detect a hand edit', () => {
    const { dir, record, sh } = scripts();
    const target = join(dir, 'etc dir', 'x.conf');
    const content = 'shared-secret "abc";\n';
    expect(fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)).toEqual({ mode: null, sha256: null, recorded: null });
    expect(sh(WRITE_FILE_SCRIPT, [target, '600'], content).status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(content);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'etc dir')).mode & 0o777).toBe(0o755 & ~process.umask());
    let st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(st.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('outdated');
    expect(sh(RECORD_FILE_SCRIPT, [target]).status).toBe(0);
    st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('same');
    appendFileSync(target, '# by hand\n');
    st = fileState(sh(FILE_STATE_SCRIPT, [target]).stdout)!;
    expect(judgeFile(st, { content, mode: 0o600 }).kind).toBe('edited');
    // Recording again (after a confirmed replace) replaces the old line, never duplicates it.
    writeFileSync(target, content);
    const rec = sh(RECORD_FILE_SCRIPT, [target]);
    // The record ends with the file's state, as FILE_STATE_SCRIPT prints it: apply's read-back.
    expect(rec.stdout).toBe(sh(FILE_STATE_SCRIPT, [target]).stdout);
    expect(judgeFile(fileState(rec.stdout)!, { content, mode: 0o600 }).kind).toBe('same');
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('recording files at once', () => {
  it('keeps every line when a node records many files at the same time (background and foreground steps)', async () => {
    const { dir, record } = scripts();
    const local = RECORD_FILE_SCRIPT.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
    const targets = Array.from({ length: 24 }, (_, i) => join(dir, `f${i}.conf`));
    for (const [i, f] of targets.entries()) writeFileSync(f, `${i}\n`);
    const { spawn } = await import('node:child_process');
    const codes = await Promise.all(
      targets.map((f) => new Promise<number | null>((done) => spawn('sh', ['-c', local, '--', f], { stdio: 'ignore' }).on('close', done))),
    );
    expect(codes.every((c) => c === 0)).toBe(true);
    const lines = readFileSync(record, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.slice(66)).sort()).toEqual([...targets].sort());
  });
});

describe('the NFS server state script', () => {
  it('runs with the real sh, crm_resource, systemctl, date and stat here: no cluster, so no restart; mtimes are read', async () => {
    const { NFS_SERVER_STATE_SCRIPT, nfsRestartNeeded, nfsServerRunsHere } = await import('../../src/plan/nfs-server-state.js');
    const dir = mkdtempSync(join(tmpdir(), 'nfs-state-'));
    const a = join(dir, 'a b.conf');
    const b = join(dir, 'b.conf');
    writeFileSync(a, 'x\n');
    writeFileSync(b, 'y\n');
    const r = spawnSync('sh', ['-c', NFS_SERVER_STATE_SCRIPT, '--', 'p_nfsserver', 'vm', a, b, join(dir, 'absent')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['locate', 'node', 'active', 'started', 'config']);
    // This machine runs no cluster: crm_resource --locate finds nothing.
    expect(lines[0]).toBe('locate: ');
    expect(lines[1]).toBe('node: vm');
    expect(lines[4]).toBe(`config: ${Math.max(...[a, b].map((f) => Math.floor(statSync(f).mtimeMs / 1000)))}`);
    const result = { argv: [], exitCode: 0, stdout: r.stdout, stderr: r.stderr, timedOut: false, aborted: false, durationMs: 1 };
    expect(nfsServerRunsHere(result)).toBe(false);
    expect(nfsRestartNeeded(result)).toBe(false);
  });
});

describe('the one-command write and record', () => {
  it('writes with the mode, records the sha256, keeps the record readable as the two-step record does', () => {
    const one = scripts();
    const two = scripts();
    const content = 'DEVICE /dev/vdb /dev/vdc\n';
    const target = (d: string) => join(d, 'etc', 'mdadm.conf');
    const r = one.sh(WRITE_AND_RECORD_FILE_SCRIPT, [target(one.dir), '644'], content);
    expect(r.status, r.stderr).toBe(0);
    expect(two.sh(WRITE_FILE_SCRIPT, [target(two.dir), '644'], content).status).toBe(0);
    expect(two.sh(RECORD_FILE_SCRIPT, [target(two.dir)]).status).toBe(0);
    expect(readFileSync(target(one.dir), 'utf8')).toBe(content);
    expect(statSync(target(one.dir)).mode & 0o777).toBe(0o644);
    const st = fileState(one.sh(FILE_STATE_SCRIPT, [target(one.dir)]).stdout)!;
    expect(judgeFile(st, { content, mode: 0o644 }).kind).toBe('same');
    // The write's umask 077 stays in its subshell: the record gets the same mode as the two-step one's.
    expect(statSync(one.record).mode & 0o777).toBe(statSync(two.record).mode & 0o777);
    expect(readFileSync(one.record, 'utf8').split('  ')[0]).toBe(readFileSync(two.record, 'utf8').split('  ')[0]);
  });

  it('records nothing when the write fails', () => {
    const { dir, record, sh } = scripts();
    writeFileSync(join(dir, 'file'), 'not a directory\n');
    const r = sh(WRITE_AND_RECORD_FILE_SCRIPT, [join(dir, 'file', 'x.conf'), '644'], 'x\n');
    expect(r.status).not.toBe(0);
    expect(() => readFileSync(record, 'utf8')).toThrow();
  });
});

describe('several files in one command (WRITE_AND_RECORD_FILES_SCRIPT)', () => {
  const shBuf = (dir: string, record: string, args: string[], input: Buffer) => {
    const local = WRITE_AND_RECORD_FILES_SCRIPT.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
    return spawnSync('sh', ['-c', local, '--', ...args], { input, encoding: 'utf8' });
  };

  it('writes each file byte for byte with its mode, records them all, and prints each state as FILE_STATE_SCRIPT does', () => {
    const { dir, record, sh } = scripts();
    const files = [
      { target: join(dir, 'etc dir', 'a.conf'), mode: '644', content: Buffer.from('line 1\nline 2\n') },
      { target: join(dir, 'etc dir', 'empty'), mode: '600', content: Buffer.alloc(0) },
      { target: join(dir, 'sbin', 'tool'), mode: '755', content: Buffer.from('no newline at the end, "quotes" $(x) \\ é') },
      { target: join(dir, 'bin.dat'), mode: '400', content: Buffer.from([0, 10, 255, 10, 10, 0x31, 0x0a]) },
    ];
    // An older line for one of them, and a line of another file, are in the record already.
    writeFileSync(join(dir, 'other'), 'x\n');
    expect(sh(RECORD_FILE_SCRIPT, [join(dir, 'other')]).status).toBe(0);
    writeFileSync(join(dir, 'bin.dat'), 'old\n');
    expect(sh(RECORD_FILE_SCRIPT, [join(dir, 'bin.dat')]).status).toBe(0);
    const r = shBuf(dir, record, files.flatMap((f) => [f.target, f.mode]), filesInput(files.map((f) => f.content)));
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(files.length);
    for (const [i, f] of files.entries()) {
      expect(readFileSync(f.target).equals(f.content), f.target).toBe(true);
      expect((statSync(f.target).mode & 0o777).toString(8)).toBe(f.mode);
      // The same line the check prints, and "same" against the bytes that were sent.
      expect(lines[i]).toBe(sh(FILE_STATE_SCRIPT, [f.target]).stdout.trimEnd());
      expect(judgeFile(fileState(lines[i]!)!, { content: f.content, mode: Number.parseInt(f.mode, 8) }).kind).toBe('same');
    }
    // One line per file: the old one replaced, the other file's kept; no temp files left.
    const rec = readFileSync(record, 'utf8').trim().split('\n');
    expect(rec).toHaveLength(files.length + 1);
    expect(rec.filter((l) => l.endsWith('/other'))).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.includes('hanfs-new') || f.endsWith('.add') || f.endsWith('.new'))).toEqual([]);
  });

  it('fails, and records nothing, when the input has no byte count for a file', () => {
    const { dir, record } = scripts();
    const a = join(dir, 'a.conf');
    const r = shBuf(dir, record, [a, '644', join(dir, 'b.conf'), '644'], Buffer.from('2\nok'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no byte count for .*b\.conf/);
    expect(readFileSync(record, 'utf8')).toBe('');
  });

  it('a short input leaves a file whose read-back is not "same" (the engine then fails the step)', () => {
    const { dir, record } = scripts();
    const a = join(dir, 'a.conf');
    const r = shBuf(dir, record, [a, '644'], Buffer.from('10\nshort'));
    expect(r.status, r.stderr).toBe(0);
    expect(judgeFile(fileState(r.stdout)!, { content: 'shortshort', mode: 0o644 }).kind).not.toBe('same');
  });
});

describe('the one-command write, command and record (a file with a reload)', () => {
  it('writes, runs the given argv as it is with stdin closed, then records; a failing command leaves it unrecorded', async () => {
    const { WRITE_RUN_AND_RECORD_FILE_SCRIPT } = await import('../../src/plan/node-files.js');
    const { dir, sh } = scripts();
    const target = join(dir, 'etc', 'corosync.conf');
    const marker = join(dir, 'it ran');
    const content = 'totem {\n  cluster_name: x\n}\n';
    // The command reads its stdin: it must see none of the file's bytes (they went to the write).
    const run = sh(WRITE_RUN_AND_RECORD_FILE_SCRIPT, [target, '644', 'sh', '-c', 'cat > "$1"; echo "reloaded $2"', '--', marker, 'a b'], content);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(content);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(readFileSync(marker, 'utf8')).toBe('');
    // The command's output, then the state line apply reads back (the last line).
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('reloaded a b');
    expect(lines.at(-1)).toBe(sh(FILE_STATE_SCRIPT, [target]).stdout.trimEnd());
    expect(judgeFile(fileState(lines.at(-1)!)!, { content, mode: 0o644 }).kind).toBe('same');
    // A failing command: the file is written, not recorded, and the script fails.
    const other = join(dir, 'etc', 'r0.res');
    const bad = sh(WRITE_RUN_AND_RECORD_FILE_SCRIPT, [other, '600', 'sh', '-c', 'exit 3'], 'resource r0 {}\n');
    expect(bad.status).not.toBe(0);
    expect(readFileSync(other, 'utf8')).toBe('resource r0 {}\n');
    expect(fileState(sh(FILE_STATE_SCRIPT, [other]).stdout)!.recorded).toBeNull();
  });
});

describe('the applied record is owner-only (it holds the hash of the file with the DRBD secret)', () => {
  it('RECORD_FILE_SCRIPT writes it 0600, and turns an older world-readable record into 0600', () => {
    const { dir, record, sh } = scripts();
    const target = join(dir, 'r0.res');
    writeFileSync(target, 'shared-secret "x";\n');
    expect(sh(RECORD_FILE_SCRIPT, [target]).status).toBe(0);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    chmodSync(record, 0o644);
    expect(sh(RECORD_FILE_SCRIPT, [target]).status).toBe(0);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(statSync(`${record}.lock`).mode & 0o077).toBe(0);
  });

  it('WRITE_AND_RECORD_FILES_SCRIPT writes it 0600 while the files it writes keep their directories 0755', () => {
    const { dir, record } = scripts();
    const local = WRITE_AND_RECORD_FILES_SCRIPT.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
    const target = join(dir, 'new dir', 'a.conf');
    const r = spawnSync('sh', ['-c', local, '--', target, '644'], { input: filesInput(['a\n']), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new dir')).mode & 0o777).toBe(0o755 & ~process.umask());
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });
});
