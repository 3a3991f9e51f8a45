// The conventions every screen shares: ? help, q quit (asking when answers are unsaved), Esc back with
// answers kept, reopening a saved draft, the SSH host key confirmation, the review's file viewer.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KEY, press, type, waitFor, waitForText } from '../../helpers/ink.js';
import { STEPS, firstUnfinished } from '../../../src/steps/index.js';
import { demoAnswers, renderWizard } from './wizard-harness.js';
import { demoFacts } from '../../steps/demo-facts.js';
import type { HostKeyQuestion } from '../../../src/steps/types.js';

afterEach(() => cleanup());

describe('keys on every screen', () => {
  test('? shows the help of the current step and hides the screen; ? or Esc closes it', async () => {
    const r = renderWizard({ step: 'drbd', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'enp0s9: UP');
    const help = await press(r, '?');
    expect(help).toContain('Help: DRBD replication');
    expect(help).toContain("the only one that loses nothing on failover");
    expect(help).not.toContain('Split brain, no Primary');
    expect(await press(r, '?')).toContain('Split brain, no Primary');
    await press(r, '?');
    expect(await press(r, KEY.escape)).toContain('Split brain, no Primary');
  });

  test('q with nothing typed quits at once', async () => {
    const r = renderWizard({});
    await waitForText(r.lastFrame, 'Start');
    r.stdin.write('q');
    await waitFor(() => r.exit.code === 0);
    expect(existsSync(r.answersPath)).toBe(false);
  });

  test('q with unsaved answers asks; Esc stays; y saves them and quits', async () => {
    const r = renderWizard({ step: 'backups', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'Snapshots kept');
    await press(r, KEY.down);
    await type(r, '0');
    await press(r, KEY.down, 2); // the Next button: q is a command there, not a character
    const asked = await press(r, 'q');
    expect(asked).toContain('Quit with unsaved answers?');
    expect(await press(r, KEY.escape)).not.toContain('Quit with unsaved answers?');
    await press(r, 'q');
    r.stdin.write('y');
    await waitFor(() => r.exit.code === 0);
    expect(parse(readFileSync(r.answersPath, 'utf8')).backups.snapshots.keep).toBe(140);
  });

  test('in a text field q is typed, not a quit', async () => {
    const r = renderWizard({ step: 'lvm', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'volume group ≈ 0.25 GiB');
    const frame = await press(r, 'q');
    expect(frame).toContain('vg_nfsq');
    expect(r.exit.code).toBe(null);
  });

  test('Esc goes back and keeps what was typed; Next brings it back', async () => {
    const r = renderWizard({ step: 'network', draft: { ...demoAnswers(), virtualIp: { address: '' } } });
    await r.settled();
    await waitForText(r.lastFrame, 'enp0s9: UP');
    await press(r, KEY.down, 4);
    await type(r, '192.168.100.50/24');
    const back = await press(r, KEY.escape);
    expect(back).toContain('DRBD replication');
    await press(r, KEY.down, 11);
    const again = await press(r, KEY.enter);
    expect(again).toContain('192.168.100.50/24');
  });
});

describe('reopening', () => {
  test('a saved draft reopens at the first unfinished step with every answer in place', async () => {
    const draft = demoAnswers();
    delete draft.virtualIp;
    const start = firstUnfinished(STEPS, draft, { demo: true, probe: { status: 'waiting' }, facts: null });
    expect(STEPS[start]!.id).toBe('network');
    const r = renderWizard({ step: 'network', draft });
    await r.settled();
    const frame = await waitForText(r.lastFrame, 'enp0s9: UP');
    expect(frame).toContain('10/15 · Service network and virtual IP');
    expect(frame).toContain('192.168.100.12/24');
    expect(frame).toContain('✗ is required');
    await press(r, KEY.escape);
    const back = await waitForText(r.lastFrame, 'DRBD replication');
    expect(back).toContain('10.10.0.11/24');
    expect(back).toContain('10.10.0.12/24');
  });
});

describe('the peer\'s SSH host key', () => {
  const question: HostKeyQuestion = { label: 'root@192.168.100.12', host: '192.168.100.12', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU' };
  const withKeyPrompt = () => ({
    demo: false,
    async probe(_t: [string, string], confirm: (q: HostKeyQuestion) => Promise<boolean>) {
      const ok = await confirm(question);
      return ok ? { ok: true as const, facts: await demoFacts() } : { ok: false as const, error: `${question.label}: host key refused` };
    },
  });

  test('probing waits for the fingerprint to be accepted with y', async () => {
    const r = renderWizard({ step: 'nodes', draft: demoAnswers(), services: withKeyPrompt() });
    await waitForText(r.lastFrame, 'Peer node (SSH)');
    expect(r.lastFrame()).not.toContain('DEMO');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);
    const prompt = await waitForText(r.lastFrame, 'Unknown host key for root@192.168.100.12');
    expect(prompt).toContain('ssh-ed25519 SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU');
    r.stdin.write('y');
    await waitForText(r.lastFrame, 'usable');
  });

  test('n refuses it and the probe fails with the reason', async () => {
    const r = renderWizard({ step: 'nodes', draft: demoAnswers(), services: withKeyPrompt() });
    await waitForText(r.lastFrame, 'Peer node (SSH)');
    await press(r, KEY.down, 3);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'Unknown host key');
    r.stdin.write('n');
    await waitForText(r.lastFrame, '✗ probing failed: root@192.168.100.12: host key refused');
  });
});

describe('probing again', () => {
  test('r on the prerequisites reads both nodes again and keeps the answers', async () => {
    let rounds = 0;
    const base = renderWizard; // the demo services, counting probe calls
    const r = base({
      step: 'prerequisites',
      draft: demoAnswers(),
      services: {
        demo: true,
        async probe() {
          rounds++;
          return { ok: true as const, facts: await demoFacts() };
        },
      },
    });
    await waitForText(r.lastFrame, 'every package is installed');
    expect(rounds).toBe(1);
    r.stdin.write('r');
    await waitFor(() => rounds === 2);
    await waitForText(r.lastFrame, 'every package is installed');
    expect(r.lastFrame()).toContain('4/15 · Prerequisites');
  });
});

describe('NFS exports', () => {
  test('e edits an export, d removes one, v switches the versions', async () => {
    const r = renderWizard({ step: 'exports', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, '/srv/nfs/home → 192.168.100.0/24');
    await press(r, KEY.down);
    await press(r, 'e');
    await waitForText(r.lastFrame, 'Edit export 2');
    await press(r, KEY.down);
    await press(r, KEY.ctrlU);
    await type(r, '192.168.100.7');
    await press(r, KEY.down, 2);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, '/srv/nfs/home → 192.168.100.7 (rw,sync,no_subtree_check)');
    await press(r, KEY.up);
    const removed = await press(r, 'd');
    expect(removed).not.toContain('/srv/nfs/export →');
    expect(removed).toContain('/srv/nfs/home → 192.168.100.7');
    expect(await press(r, 'v')).toContain('NFS versions: 4 (v switches)');
    expect(await press(r, 'v')).toContain('NFS versions: 3 (v switches)');
  });
});

describe('review and finish', () => {
  test('a generated file opens and scrolls; secrets are masked', async () => {
    const r = renderWizard({ step: 'review', draft: demoAnswers() });
    await waitForText(r.lastFrame, 'node1/etc/drbd.d/nfsdata.res');
    await press(r, KEY.down, 3);
    const res = await press(r, KEY.enter);
    expect(res).toContain('node1/etc/drbd.d/nfsdata.res · lines 1-');
    expect(res).not.toMatch(/shared-secret\s+"[A-Za-z0-9_-]{20,}"/);
    await press(r, KEY.escape);
    await press(r, KEY.up, 3);
    await press(r, KEY.enter);
    const readme = await waitForText(r.lastFrame, 'README.md · lines 1-14 of');
    expect(readme).toBeTruthy();
    expect(await press(r, 'j')).toContain('README.md · lines 2-15 of');
    expect(await press(r, KEY.space)).toContain('README.md · lines 16-29 of');
  });

  test('the warnings list every warning of the answers', async () => {
    const r = renderWizard({ step: 'review', draft: demoAnswers() });
    await waitForText(r.lastFrame, 'Warnings (3)');
    await press(r, KEY.right);
    const w = await press(r, KEY.right);
    expect(w).toContain('nodes[0].replication.interface');
    expect(w).toContain('nodes[1].replication.interface');
    expect(w).toContain('pacemaker.stonith');
  });

  test('exporting into a directory that is not empty is refused with the reason', async () => {
    const r = renderWizard({ step: 'finish', draft: demoAnswers() });
    const full = join(r.dir, 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'x');
    await waitForText(r.lastFrame, 'Export the files to a directory');
    await press(r, KEY.enter);
    await press(r, KEY.ctrlU);
    await type(r, full);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, /✗ .*not empty/);
    expect(readFileSync(join(full, 'keep.txt'), 'utf8')).toBe('x');
  });

  test('apply saves the answers and hands over to hanfs-wizard apply when the wizard closes', async () => {
    let requested = false;
    const r = renderWizard({ step: 'finish', draft: demoAnswers(), services: { requestApply: () => (requested = true) } });
    await waitForText(r.lastFrame, 'Apply to both nodes (demo: a dry run)');
    await press(r, KEY.down);
    r.stdin.write(KEY.enter);
    await waitFor(() => r.exit.code === 0);
    expect(requested).toBe(true);
    expect(parse(readFileSync(r.answersPath, 'utf8'))).toEqual(demoAnswers());
  });
});
