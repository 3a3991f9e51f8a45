// The whole wizard on the demo lab (replay runners over real captures), keypress by keypress, from the
// welcome screen to an export: the saved answers must equal the expected file, and every exported file
// must pass its real validator (drbdadm, corosync, mdadm, crm_verify, systemd-analyze, bash -n).
import { afterAll, describe, expect, test } from 'vitest';
import { render } from 'ink-testing-library';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { WizardApp } from '../../../src/screens/wizard/wizard-app.js';
import { STEPS } from '../../../src/steps/index.js';
import { createWizardServices } from '../../../src/commands/wizard-services.js';
import { loadAnswersFile } from '../../../src/answers/load.js';
import { KEY, press, type, waitForText } from '../../helpers/ink.js';
import { validateDrbdRes } from '../../helpers/validators/drbd.js';
import { validateCorosyncConf } from '../../helpers/validators/corosync.js';
import { validateMdadmConf } from '../../helpers/validators/mdadm.js';
import { validateNfsConf } from '../../helpers/validators/nfsconf.js';
import { validateCib } from '../../helpers/validators/pacemaker.js';
import { validateShellScript } from '../../helpers/validators/shell.js';
import { validateUnits } from '../../helpers/validators/systemd.js';
import { validateExports } from '../../helpers/validators/exportfs.js';

const work = mkdtempSync(join(tmpdir(), 'hanfs-wizard-flow-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const answersPath = join(work, 'answers.yaml');
const outDir = join(work, 'export');
const expected = parse(readFileSync(new URL('../../fixtures/wizard/demo-flow-answers.yaml', import.meta.url), 'utf8'));

describe('the wizard on the demo lab, keypress by keypress', () => {
  test('walks from welcome to an export', async () => {
    const services = createWizardServices({ demo: true, answersPath });
    let exitCode: number | null = null;
    const r = render(<WizardApp steps={STEPS} draft={{}} startIndex={0} services={services} onExit={(c) => (exitCode = c)} />);
    const wait = (t: string | RegExp, ms?: number) => waitForText(r.lastFrame, t, ms);

    await wait('Start');
    expect(r.lastFrame()).toContain('DEMO');
    await press(r, KEY.enter);

    await wait('root@192.168.100.12');
    await press(r, KEY.down, 2);
    await type(r, '-demo');
    await press(r, KEY.down);
    await press(r, KEY.enter);

    await wait('usable');
    expect(r.lastFrame()).toContain('DRBD 8.4.11');
    await press(r, KEY.enter);

    await wait('every package is installed');
    await press(r, KEY.enter);

    for (const node of ['node1', 'node2']) {
      await wait(`${node}: choose exactly two disks`);
      // The second node has the same disks: its step proposes the first node's pair (vdb and vdf).
      if (node === 'node1') {
        await press(r, KEY.down);
        await press(r, KEY.space);
        await press(r, KEY.down, 4);
        await press(r, KEY.space);
      }
      const frame = r.lastFrame() ?? '';
      expect(frame).toContain('2 chosen');
      expect(frame).toMatch(/\[x\] vdb[\s\S]*\[x\] vdf/);
      expect(frame).toMatch(/differ in size \(0\.25 GiB,\s+0\.50 GiB\)/);
      await press(r, KEY.enter);
    }

    await wait('/dev/md0');
    await press(r, KEY.down);
    await press(r, KEY.enter);

    await wait('Volume group');
    await press(r, KEY.down, 2);
    await press(r, KEY.backspace, 5);
    await type(r, '75%VG');
    expect(r.lastFrame()).toMatch(/logical volume 0\.19 GiB, kept free for snapshots\s+0\.06 GiB/);
    await press(r, KEY.down);
    await press(r, KEY.right);
    await press(r, KEY.down, 2);
    await press(r, KEY.enter);

    await wait('Split brain, no Primary');
    await press(r, KEY.down);
    await type(r, '10.10.0.11/24');
    await press(r, KEY.down, 2);
    await type(r, '10.10.0.12/24');
    await press(r, KEY.down, 8);
    await press(r, KEY.enter);

    await wait('Virtual IP');
    await press(r, KEY.down, 4);
    await type(r, '192.168.100.100/24');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);

    await wait('NFS versions: 3 and 4');
    await press(r, 'a');
    await wait('New export');
    await type(r, 'home');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);
    await wait('/srv/nfs/home → 192.168.100.0/24');
    await press(r, KEY.down, 2);
    await press(r, KEY.enter);

    await wait('Stickiness');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);

    await wait('Snapshots kept');
    await press(r, KEY.down);
    await press(r, KEY.backspace);
    await type(r, '14');
    await press(r, KEY.down, 2);
    await press(r, KEY.enter);

    // Review: open answers.yaml, read it, close it; then the rehearsal and the warnings.
    await wait('node1/etc/drbd.d/nfsdata.res');
    await press(r, KEY.down);
    await press(r, KEY.enter);
    const viewer = await wait('answers.yaml · lines 1-');
    expect(viewer).toContain('name: hanfs-demo');
    await press(r, KEY.escape);
    await press(r, KEY.right);
    await wait(/Rehearsal/);
    await press(r, KEY.right);
    const warnings = await wait('pacemaker.stonith');
    expect(warnings).toContain('nodes[0].replication.interface');
    await press(r, KEY.enter);

    await wait('Export the files to a directory');
    await press(r, KEY.enter);
    await press(r, KEY.ctrlU);
    await type(r, outDir);
    await press(r, KEY.enter);
    await wait('exported', 20_000);
    expect(exitCode).toBe(null);
    await press(r, 'q');
    await waitForText(() => String(exitCode), '0');
    // Every frame of the whole walk fits an 80x24 terminal.
    const tooBig = r.frames.filter((f) => f.split('\n').length > 24 || f.split('\n').some((l) => [...l].length > 80));
    expect(tooBig.slice(0, 1)).toEqual([]);
    r.unmount();
  }, 180_000);

  test('the saved answers equal the expected file and load as a valid answers file', async () => {
    expect(parse(readFileSync(answersPath, 'utf8'))).toEqual(expected);
    expect((statSync(answersPath).mode & 0o777).toString(8)).toBe('600');
    const loaded = await loadAnswersFile(answersPath);
    expect(loaded.ok).toBe(true);
  });

  test('every exported file passes its validator', async () => {
    const read = (p: string) => readFileSync(join(outDir, p), 'utf8');
    const loaded = await loadAnswersFile(answersPath);
    if (!loaded.ok) throw new Error('answers do not load');
    for (const node of ['node1', 'node2']) {
      const drbd = validateDrbdRes(read(`${node}/etc/drbd.d/nfsdata.res`), node, '8.4');
      expect(drbd.ok, drbd.output).toBe(true);
      const coro = validateCorosyncConf(read(`${node}/etc/corosync/corosync.conf`), node);
      expect(coro.ok, coro.output).toBe(true);
      const md = validateMdadmConf(read(`${node}/etc/mdadm/mdadm.conf`));
      expect(md.ok, md.output).toBe(true);
      const nfs = validateNfsConf(read(`${node}/etc/nfs.conf.d/hanfs.conf`));
      expect(nfs.ok, nfs.output).toBe(true);
      const units = validateUnits(
        { 'hanfs-snapshot.service': read(`${node}/etc/systemd/system/hanfs-snapshot.service`), 'hanfs-snapshot.timer': read(`${node}/etc/systemd/system/hanfs-snapshot.timer`) },
        { '/usr/local/sbin/hanfs-snapshot': read(`${node}/usr/local/sbin/hanfs-snapshot`) },
      );
      expect(units.ok, units.output).toBe(true);
      const plan = validateShellScript(read(`plan/${node}.sh`));
      expect(plan.ok, plan.output).toBe(true);
      expect((statSync(join(outDir, `${node}/etc/drbd.d/nfsdata.res`)).mode & 0o777).toString(8)).toBe('600');
    }
    expect(await validateCib(read('cluster/cib.xml'))).toEqual([]);
    const exp = validateExports(loaded.answers);
    expect(exp.ok, exp.output).toBe(true);
    expect(read('answers.yaml')).toContain('hanfs-demo');
  }, 120_000);
});
