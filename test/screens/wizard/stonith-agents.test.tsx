// The Pacemaker screen with a fence agent, keypress by keypress on the demo lab: choosing fence_virsh shows
// its fields per node, the typed parameters end up in the saved answers, and the export of those answers
// passes xmllint, crm_verify and the agents' metadata. Switching agent keeps nothing of the previous one.
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { KEY, press, type, waitFor, waitForText } from '../../helpers/ink.js';
import { exportTo } from '../../helpers/export-cli.js';
import { validateCib } from '../../helpers/validators/pacemaker.js';
import { FENCE_AGENTS } from '../../../src/answers/fence-agents.js';
import { demoAnswers, renderWizard } from './wizard-harness.js';

afterEach(() => cleanup());

const CHOICES = ['none', 'sbd', ...FENCE_AGENTS.map((a) => a.agent)];

/** Presses → (or ←) on the STONITH choice until it shows the agent. */
async function chooseOnScreen(r: ReturnType<typeof renderWizard>, agent: string): Promise<string> {
  // The STONITH row's choice (the quorum device above it is a select too).
  const current = /STONITH\s+‹ (\S+) ›/.exec(r.lastFrame() ?? '')?.[1] ?? 'none';
  const delta = CHOICES.indexOf(agent) - CHOICES.indexOf(current);
  expect(CHOICES.indexOf(agent)).toBeGreaterThanOrEqual(0);
  if (delta !== 0) await press(r, delta > 0 ? KEY.right : KEY.left, Math.abs(delta));
  return waitForText(r.lastFrame, new RegExp(`STONITH\\s+‹ ${agent} ›`));
}

const savedAnswers = (path: string) => parse(readFileSync(path, 'utf8')) as Record<string, any>;

describe('STONITH with a fence agent', () => {
  test('fence_virsh: fields per node, typed in, saved, exported, accepted by crm_verify', async () => {
    const r = renderWizard({ step: 'pacemaker', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'Stickiness');
    await press(r, KEY.down, 2); // past the quorum device to STONITH
    const chosen = await chooseOnScreen(r, 'fence_virsh');
    expect(chosen).toContain('fence_virsh: for KVM/libvirt guests');
    for (const n of ['node1', 'node2']) {
      for (const label of ['KVM host', 'host SSH user', 'host password', 'host SSH key file', 'libvirt domain']) expect(chosen).toContain(`${n} ${label}`);
    }
    // The domain name starts as the node name, what Pacemaker would pass.
    expect(chosen).toMatch(/node1 libvirt domain\s+node1/);

    // node1: a password; node2: an SSH key file. Both domain names differ from the node names.
    await press(r, KEY.down);
    expect(await type(r, '192.168.100.1')).toContain("The libvirt host that runs node1");
    await press(r, KEY.down);
    await type(r, 'root');
    await press(r, KEY.down);
    // A password shows as dots while typed (it is stored in the answers file, redacted in exports).
    const typed = await type(r, 'virsh-pw-1');
    expect(typed).not.toContain('virsh-pw-1');
    expect(typed).toMatch(/node1 host password\s+•{10}/);
    await press(r, KEY.down, 2);
    await press(r, KEY.ctrlU);
    await type(r, 'demo-vm-1');
    await press(r, KEY.down);
    await type(r, 'kvm2.example.net');
    await press(r, KEY.down);
    await type(r, 'fence');
    // Until node2 has a password or a key file, Next is blocked, saying which.
    expect(r.lastFrame()).toMatch(/node2 host password\s+✗ this or host SSH key file is required/);
    await press(r, KEY.down, 2);
    await type(r, '/root/.ssh/id_fence');
    expect(r.lastFrame()).not.toContain('✗');
    await press(r, KEY.down);
    await press(r, KEY.ctrlU);
    await type(r, 'demo-vm-2');
    await press(r, KEY.down);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'Snapshots kept');
    // Ten parameter fields, their errors and the agent's sentence still fit an 80x24 terminal.
    const tooBig = r.frames.filter((f) => f.split('\n').length > 24 || f.split('\n').some((l) => [...l].length > 80));
    expect(tooBig.slice(0, 1)).toEqual([]);

    await waitFor(() => savedAnswers(r.answersPath).pacemaker?.stonith?.agent === 'fence_virsh');
    const saved = savedAnswers(r.answersPath);
    expect(saved.pacemaker.stonith).toEqual({
      agent: 'fence_virsh',
      nodes: {
        node1: { plug: 'demo-vm-1', ip: '192.168.100.1', username: 'root', password: 'virsh-pw-1' },
        node2: { plug: 'demo-vm-2', ip: 'kvm2.example.net', username: 'fence', identity_file: '/root/.ssh/id_fence' },
      },
    });

    // The saved answers exported by the CLI: the fence devices in the CIB, accepted by the real tools.
    const out = join(mkdtempSync(join(tmpdir(), 'hanfs-stonith-screen-')), 'out');
    const e = exportTo(r.answersPath, out);
    expect(e.status, e.stderr).toBe(0);
    const cib = readFileSync(join(out, 'cluster/cib.xml'), 'utf8');
    expect(cib).toMatch(/<primitive id="st_node1" class="stonith" type="fence_virsh">/);
    expect(cib).toContain('name="plug" value="demo-vm-2"');
    expect(await validateCib(cib)).toEqual([]);
    expect(readFileSync(join(out, 'answers.yaml'), 'utf8')).not.toContain('virsh-pw-1');
  }, 60_000);

  test('fence_redfish after fence_ipmilan: nothing typed for IPMI stays, on screen or in the answers', async () => {
    const r = renderWizard({ step: 'pacemaker', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'Stickiness');
    await press(r, KEY.down, 2); // past the quorum device to STONITH
    await chooseOnScreen(r, 'fence_ipmilan');
    await press(r, KEY.down);
    await type(r, '10.0.9.11');
    await press(r, KEY.down, 3);
    await press(r, KEY.left); // lanplus: no
    expect(r.lastFrame()).toMatch(/node1 IPMI 2\.0 \(lanplus\)\s+‹ no ›/);
    await press(r, KEY.up, 4);
    const frame = await chooseOnScreen(r, 'fence_redfish');
    expect(frame).not.toContain('lanplus');
    expect(frame).not.toContain('10.0.9.11');
    expect(frame).toMatch(/node1 Skip TLS check\s+‹ no ›/);
    // Filling redfish's fields for both nodes lets Next through; the answers hold redfish's only.
    for (const [i, ip] of ['10.0.9.11', '10.0.9.12'].entries()) {
      await press(r, KEY.down);
      await type(r, ip);
      await press(r, KEY.down);
      await type(r, 'admin');
      await press(r, KEY.down);
      await type(r, `pw-${i}`);
      await press(r, KEY.down);
    }
    await press(r, KEY.left); // node2: skip the TLS check (yes)
    await press(r, KEY.down);
    await press(r, KEY.enter);
    await waitForText(r.lastFrame, 'Snapshots kept');
    await waitFor(() => savedAnswers(r.answersPath).pacemaker?.stonith?.agent === 'fence_redfish');
    expect(savedAnswers(r.answersPath).pacemaker.stonith.nodes).toEqual({
      node1: { ssl_insecure: '0', ip: '10.0.9.11', username: 'admin', password: 'pw-0' },
      node2: { ssl_insecure: '1', ip: '10.0.9.12', username: 'admin', password: 'pw-1' },
    });
  }, 60_000);

  test('back to none: the fields go, the risk is explained again', async () => {
    const r = renderWizard({ step: 'pacemaker', draft: demoAnswers() });
    await r.settled();
    await waitForText(r.lastFrame, 'Stickiness');
    await press(r, KEY.down, 2); // past the quorum device to STONITH
    await chooseOnScreen(r, 'fence_xvm');
    expect(r.lastFrame()).toMatch(/node2 libvirt domain\s+node2/);
    const frame = await chooseOnScreen(r, 'none');
    expect(frame).not.toContain('libvirt domain');
    expect(frame).toContain('a split brain');
    expect(frame).toContain('STONITH none is risky with two nodes');
  }, 60_000);
});
