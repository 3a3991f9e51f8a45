// The plan's fixed file scripts run for real with sh on this machine (paths redirected into a temp dir):
// write -> state -> record -> state, and a hand edit shows up as a sha256 different from the record.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLIED_RECORD, FILE_STATE_SCRIPT, RECORD_FILE_SCRIPT, WRITE_FILE_SCRIPT } from '../../src/generate/plan.js';
import { fileState, judgeFile } from '../../src/apply/file-state.js';

describe('file scripts', () => {
  it('write, read back, record, detect a hand edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-files-'));
    const record = join(dir, 'applied.sha256');
    // The record path is fixed text in the scripts: point it into the temp dir for this test only.
    const local = (script: string) => script.split(APPLIED_RECORD).join(record).split(APPLIED_RECORD.replace(/\/[^/]+$/, '')).join(dir);
    const sh = (script: string, args: string[], input?: string) => spawnSync('sh', ['-c', local(script), '--', ...args], { input, encoding: 'utf8' });
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
    sh(RECORD_FILE_SCRIPT, [target]);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
