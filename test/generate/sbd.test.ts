// SBD (issue 26, point 5): the timeouts from the documented formulas, /etc/default/sbd against the keys
// the sbd package itself ships, the CIB through crm_verify and fence_sbd's metadata, and `sbd create`
// run for real on a loop device, read back with `sbd dump`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import { sbdOf, type Answers } from '../../src/answers/schema.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { FENCE_DELAY_BASE_S, PRIORITY_FENCING_DELAY_S, priorityFencingDelayS } from '../../src/generate/fencing.js';
import { parseSbdDump, parseSbdList, renderSbdDefaults, sbdCreateArgv, sbdDumpArgv, sbdListArgv, sbdDiskTimeouts, sbdTimeouts } from '../../src/generate/sbd.js';
import { descendants, parseXml } from '../../src/probes/xml.js';
import { validateCib } from '../helpers/validators/pacemaker.js';
import { describeRun, runTool } from '../helpers/validators/run.js';

const EXAMPLE = readFileSync('examples/answers.yaml', 'utf8');
const DISK = '/dev/disk/by-id/scsi-36001405sbdshared0001';
const withSbd = (sbd: string, extra = '') => EXAMPLE.replace(/^ {2}fencing: resource-only.*\n/m, '').replace(/^ {2}stonith: none.*$/m, `  stonith: { sbd: ${sbd} }`).replace(/^cluster:\n/m, `cluster:\n${extra}`);

function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}
const props = (xml: string) => Object.fromEntries(descendants(parseXml(xml)!).filter((e) => e.name === 'nvpair' && e.attrs['id']?.startsWith('cib-bootstrap-options-')).map((n) => [n.attrs['name'], n.attrs['value']]));

describe('SBD timeouts', () => {
  it('msgwait is twice the watchdog timeout; stonith-timeout at least twice msgwait (sbd(8)) and msgwait + 20%, plus the fence delays', () => {
    for (const watchdogTimeout of [5, 10, 30]) {
      for (const priority of [PRIORITY_FENCING_DELAY_S, 45]) {
        const t = sbdTimeouts({ device: DISK, watchdog: '/dev/watchdog', watchdogTimeout }, priority);
        expect(t.msgwait).toBe(2 * watchdogTimeout);
        expect(t.stonithTimeout).toBeGreaterThanOrEqual(2 * t.msgwait + priority + FENCE_DELAY_BASE_S);
        expect(t.stonithTimeout).toBeGreaterThanOrEqual(1.2 * t.msgwait);
        expect(t.stonithWatchdogTimeout).toBeNull();
      }
    }
    const diskless = sbdTimeouts({ watchdog: '/dev/watchdog', watchdogTimeout: 5 }, PRIORITY_FENCING_DELAY_S);
    expect(diskless.stonithWatchdogTimeout).toBe(10);
    expect(diskless.stonithTimeout).toBeGreaterThanOrEqual(1.2 * 10);
  });
});

describe('disk-based SBD answers', () => {
  const a = load(withSbd(`{ device: ${DISK}, watchdogTimeout: 10 }`));
  const xml = renderCibXml(a);

  it('loads with fencing on by default (DRBD resource-and-stonith)', () => {
    expect(sbdOf(a.pacemaker.stonith)).toEqual({ device: DISK, watchdog: '/dev/watchdog', watchdogTimeout: 10 });
    expect(a.drbd.fencing).toBe('resource-and-stonith');
  });

  it('the CIB passes crm_verify and fence_sbd\'s metadata, with the SBD stonith-timeout', async () => {
    expect(await validateCib(xml)).toEqual([]);
    const p = props(xml);
    expect(p['stonith-enabled']).toBe('true');
    expect(p['stonith-timeout']).toBe(`${sbdTimeouts(sbdOf(a.pacemaker.stonith)!, priorityFencingDelayS(a)).stonithTimeout}s`);
    expect(p['stonith-watchdog-timeout']).toBeUndefined();
    const dev = descendants(parseXml(xml)!).find((e) => e.name === 'primitive' && e.attrs['type'] === 'fence_sbd');
    expect(dev).toBeDefined();
    expect(xml).toContain(`name="devices" value="${DISK}"`);
  }, 60_000);

  it('/etc/default/sbd uses only the keys the sbd package ships, and sh reads it', () => {
    const text = renderSbdDefaults(a);
    const shipped = new Set([...readFileSync('/etc/default/sbd', 'utf8').matchAll(/^#?\s*(SBD_[A-Z_]+)=/gm)].map((m) => m[1]!));
    const ours = [...text.matchAll(/^(SBD_[A-Z_]+)=/gm)].map((m) => m[1]!);
    expect(ours.filter((k) => !shipped.has(k))).toEqual([]);
    expect(text).toContain(`SBD_DEVICE="${DISK}"`);
    expect(text).toMatch(/^SBD_WATCHDOG_TIMEOUT=10$/m);
    expect(text).toMatch(/^SBD_PACEMAKER=yes$/m);
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-sbd-'));
    try {
      writeFileSync(join(dir, 'sbd'), text);
      const r = runTool(['sh', '-c', '. "$1" && printf "%s|%s|%s" "$SBD_DEVICE" "$SBD_WATCHDOG_DEV" "$SBD_WATCHDOG_TIMEOUT"', 'sh', join(dir, 'sbd')]);
      expect(r.stdout, describeRun('sh', r)).toBe(`${DISK}|/dev/watchdog|10`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sbd create writes the header with our timeouts (real sbd, a loop device), and sbd dump reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-sbd-'));
    const img = join(dir, 'shared.img');
    writeFileSync(img, Buffer.alloc(8 * 1024 * 1024));
    const loop = runTool(['losetup', '-f', '--show', img]);
    expect(loop.code, describeRun('losetup', loop)).toBe(0);
    const dev = loop.stdout.trim();
    try {
      const sbd = sbdOf(a.pacemaker.stonith)!;
      const argv = sbdCreateArgv({ ...sbd, device: dev });
      const created = runTool([...argv]);
      expect(created.code, describeRun(argv.join(' '), created)).toBe(0);
      const dump = runTool([...sbdDumpArgv(dev)]);
      expect(dump.code, describeRun('sbd dump', dump)).toBe(0);
      const t = sbdDiskTimeouts(sbd);
      expect(parseSbdDump(dump.stdout)).toEqual({ watchdog: t.watchdog, msgwait: t.msgwait });
    } finally {
      runTool(['losetup', '-d', dev]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parseSbdList reads the slots before and after a poison pill (real sbd list output), and nothing from other text', () => {
    const fx = (name: string) => readFileSync(`test/fixtures/probes/sbd/sbd_d_list.${name}.txt`, 'utf8');
    expect(parseSbdList(fx('allocated'))).toEqual([
      { slot: 0, node: 'lab1', message: 'clear', from: null },
      { slot: 1, node: 'lab2', message: 'clear', from: null },
    ]);
    expect(parseSbdList(fx('lab1-reset'))).toEqual([
      { slot: 0, node: 'lab1', message: 'reset', from: 'vm' },
      { slot: 1, node: 'lab2', message: 'clear', from: null },
    ]);
    expect(parseSbdList(readFileSync('test/fixtures/probes/sbd/sbd_d_dump.created-5-10.txt', 'utf8'))).toEqual([]);
    expect(sbdListArgv(DISK)).toEqual(['sbd', '-d', DISK, 'list']);
  });

  it('parseSbdDump reads a real dump and refuses other text', () => {
    expect(parseSbdDump(readFileSync('test/fixtures/probes/sbd/sbd_d_dump.created-5-10.txt', 'utf8'))).toEqual({ watchdog: 5, msgwait: 10 });
    expect(parseSbdDump('== disk /dev/sdx unreadable!\n')).toBeNull();
  });
});

describe('diskless SBD', () => {
  it('needs the quorum device: without it one error naming the field', () => {
    const r = parseAnswersText(withSbd('{ watchdog: /dev/watchdog0 }'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['pacemaker.stonith.sbd.device']);
  });
  it('with a quorum device: no fence device, stonith-watchdog-timeout 2 x watchdog; the scheduler starts it only knowing the watchdog', async () => {
    const a = load(withSbd('{ watchdog: /dev/watchdog0 }', '  quorumDevice: { host: 192.168.1.5 }\n'));
    const xml = renderCibXml(a);
    // crm_verify (Pacemaker 2.1.5) cannot be told a node has a watchdog: its one complaint is the missing
    // fence device, nothing else.
    const problems = await validateCib(xml);
    expect(problems.join('\n')).toMatch(/no STONITH resources have been defined/);
    expect(problems.join('\n').split('\n').filter((l) => /error:/.test(l) && !/STONITH|Either configure|Clusters with shared data/.test(l))).toEqual([]);
    expect(props(xml)['stonith-watchdog-timeout']).toBe('10s');
    expect(descendants(parseXml(xml)!).filter((e) => e.name === 'primitive' && e.attrs['class'] === 'stonith')).toEqual([]);
    expect(renderSbdDefaults(a)).not.toMatch(/^SBD_DEVICE=/m);
    // crm_simulate with --watchdog=1 (the nodes' sbd) starts DRBD; without it, start-up stays disabled.
    const dir = mkdtempSync(join(tmpdir(), 'hanfs-sbd-'));
    try {
      writeFileSync(join(dir, 'cib.xml'), xml);
      const sim = (extra: string[]) => runTool(['crm_simulate', '-x', join(dir, 'cib.xml'), ...extra, '-S', '-u', a.nodes[0].name, '-u', a.nodes[1].name, '-q', '1']);
      expect(sim(['-w', '1']).stdout).toMatch(/Start\s+p_drbd_nfsdata/);
      expect(sim([]).stdout).not.toMatch(/Start\s+p_drbd_nfsdata/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
