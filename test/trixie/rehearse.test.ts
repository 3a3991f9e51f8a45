// The rehearsal played by Debian 13's scheduler (Pacemaker 3.0's crm_simulate, crm_attribute, crm_mon),
// through the same runnerHost a node over SSH gets: the argvs run in the trixie root, as on a Debian 13
// node. Every invariant must hold there as with Debian 12's 2.1 (test/rehearse/engine.test.ts), and the
// result must say which scheduler played it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../src/rehearse/engine.js';
import { runnerHost } from '../../src/rehearse/host.js';
import { loadExample } from '../helpers/example-answers.js';
import { TrixieRunner, trixiePackageVersion } from '../helpers/trixie.js';

const tmps: string[] = [];
afterAll(() => tmps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.each(['examples/answers.yaml', 'test/lab/lab-answers.yaml'])('rehearsal of %s on Pacemaker 3.0', (answersFile) => {
  it('holds every invariant, and names Pacemaker 3.0 as the scheduler that played it', async () => {
    const { answers } = await loadExample(answersFile);
    const tmp = mkdtempSync(join(tmpdir(), 'hanfs-trixie-node-'));
    tmps.push(tmp);
    const r = await rehearse(answers, { host: runnerHost(new TrixieRunner(tmp, 'debian13-node')) });
    if (!r.ok) throw new Error(`rehearsal failed: ${r.message}`);
    const broken = r.scenarios.filter((s) => s.violations.length > 0 || s.error !== undefined).map((s) => `${s.id}: ${s.error ?? s.violations.map((v) => v.message).join('; ')}`);
    expect(broken).toEqual([]);
    expect(r.holds).toBe(true);
    expect(trixiePackageVersion('pacemaker-cli-utils').startsWith(`${r.scheduler.version}-`)).toBe(true);
    expect(r.scheduler.where).toBe('debian13-node');
    // The cold start (nothing promoted before DRBD reports) is what the promotion rule's role decides:
    // if 3.0 applied it to every role, DRBD could not even start.
    const cold = r.scenarios.find((s) => s.id === 'cold-start');
    expect(cold?.promoted).toEqual([]);
    expect(cold?.actions.some((x) => /^Start p_drbd_/.test(x))).toBe(true);
    // Failing resources get banned on 3.0 too (its fail-count form: failCountAttribute).
    const fs = r.scenarios.find((s) => s.id === 'p_fs-fails-repeatedly');
    expect(fs?.end).toBe(r.passive);
    // The rehearsal's temporary directory on the "node" is gone.
    expect(readdirSync(tmp).filter((f) => f.startsWith('hanfs-rehearse-'))).toEqual([]);
  });
});
