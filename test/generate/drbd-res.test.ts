import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { hostAddress, lvPath } from '../../src/answers/derived.js';
import { renderDrbdRes } from '../../src/generate/drbd-res.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { dumpDrbdRes, validateDrbdRes } from '../helpers/validators/drbd.js';

const SECRET = 'kJ8_test-secret-not-real-3fQ';

function withDrbd(a: Answers, drbd: Partial<Answers['drbd']>): Answers {
  return { ...a, drbd: { ...a.drbd, ...drbd } };
}

describe.each(EXAMPLE_FILES)('renderDrbdRes(%s)', (file) => {
  // Every example in both syntaxes: the one it asks for, and the other version.
  it.each(['8.4', '9'] as const)('drbdadm (DRBD %s) parses it and brings it up as each node', async (version) => {
    const { answers } = await loadExample(file);
    const a = withDrbd(answers, { version });
    const text = renderDrbdRes(a, SECRET);
    for (const [i, node] of a.nodes.entries()) {
      const v = validateDrbdRes(text, node.name, version);
      expect(v.ok, v.output).toBe(true);
      const peer = a.nodes[1 - i]!;
      const up = v.upCommands;
      // What drbdadm would run: this node's address, the peer's, the LV as backing disk, the secret.
      expect(up).toContain(`${hostAddress(node.replication.address)}:${a.drbd.port}`);
      expect(up).toContain(`${hostAddress(peer.replication.address)}:${a.drbd.port}`);
      expect(up).toContain(lvPath(a));
      expect(up).toContain(`--shared-secret=${SECRET}`);
      expect(up).toContain('--cram-hmac-alg=sha256');
      expect(up).toContain(`--protocol=${a.drbd.protocol}`);
      expect(up).toContain(`--after-sb-0pri=${a.drbd.splitBrain.afterSb0pri}`);
      expect(up).toContain(`--after-sb-1pri=${a.drbd.splitBrain.afterSb1pri}`);
      expect(up).toContain(`--after-sb-2pri=${a.drbd.splitBrain.afterSb2pri}`);
      expect(up).toContain(`--resync-rate=${a.drbd.resyncRate}`);
      expect(up).toContain(`--c-max-rate=${a.drbd.resyncRate}`);
      // Dead-peer detection within ~6 s (docs/ha-tuning.md), as drbdadm hands it to the kernel.
      expect(up).toContain('--ping-int=5');
      expect(up).toContain('--ping-timeout=10');
      if (a.drbd.fencing !== 'none') expect(up).toContain(`--fencing=${a.drbd.fencing}`);
      if (version === '9') expect(up).toContain(`--_name=${peer.name}`);
    }
  });

  it('keeps the handlers the parser understood: fencing per version, LVM snapshot around resync', async () => {
    const { answers } = await loadExample(file);
    for (const version of ['8.4', '9'] as const) {
      const a = withDrbd(answers, { version, fencing: 'resource-only' });
      const dump = dumpDrbdRes(renderDrbdRes(a, SECRET), version);
      expect(dump.ok, dump.output).toBe(true);
      expect(dump.output).toMatch(/before-resync-target\s+"\/usr\/lib\/drbd\/snapshot-resync-target-lvm\.sh -p 15 -- -c 16k";/);
      if (version === '9') {
        expect(dump.output).toMatch(/fence-peer\s+\/usr\/lib\/drbd\/crm-fence-peer\.9\.sh;/);
        expect(dump.output).toMatch(/unfence-peer\s+\/usr\/lib\/drbd\/crm-unfence-peer\.9\.sh;/);
        expect(dump.output).toMatch(/after-resync-target\s+\/usr\/lib\/drbd\/unsnapshot-resync-target-lvm\.sh;/);
        expect(dump.output).toMatch(/node-id\s+0;/);
        expect(dump.output).toMatch(/node-id\s+1;/);
      } else {
        expect(dump.output).toMatch(/fence-peer\s+\/usr\/lib\/drbd\/crm-fence-peer\.sh;/);
        // 8.4 has no unfence-peer event: unfence and unsnapshot share after-resync-target, both run.
        expect(dump.output).toMatch(/after-resync-target\s+"\/usr\/lib\/drbd\/crm-unfence-peer\.sh; \/usr\/lib\/drbd\/unsnapshot-resync-target-lvm\.sh";/);
        expect(dump.output).not.toMatch(/unfence-peer\s+\//);
      }
    }
  });
});

describe('renderDrbdRes choices', () => {
  it('without fencing has no fence handlers and only the unsnapshot after resync', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    for (const version of ['8.4', '9'] as const) {
      const text = renderDrbdRes(withDrbd(answers, { version, fencing: 'none' }), SECRET);
      expect(validateDrbdRes(text, answers.nodes[0].name, version).ok).toBe(true);
      expect(text).not.toMatch(/fence-peer|fencing/);
      expect(text).toContain('after-resync-target "/usr/lib/drbd/unsnapshot-resync-target-lvm.sh";');
    }
  });

  it('puts fencing where each version wants it: the v9 parser rejects the 8.4 file, and the reverse', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const v84 = renderDrbdRes(withDrbd(answers, { version: '8.4' }), SECRET);
    const v9 = renderDrbdRes(withDrbd(answers, { version: '9' }), SECRET);
    expect(validateDrbdRes(v84, 'nfs1', '9').ok).toBe(false);
    expect(validateDrbdRes(v9, 'nfs1', '8.4').ok).toBe(false);
  });

  it('is refused by drbdadm for a host that is not in it (the validator really checks the node)', async () => {
    const { answers } = await loadExample('examples/answers.yaml');
    const v = validateDrbdRes(renderDrbdRes(answers, SECRET), 'not-a-node', '8.4');
    expect(v.ok).toBe(false);
  });

  it('uses the minor of drbd.device and resource-and-stonith when asked', async () => {
    const { answers } = await loadExample('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    const a = withDrbd(answers, { device: '/dev/drbd7' });
    const v = validateDrbdRes(renderDrbdRes(a, SECRET), 'nfs2', '8.4');
    expect(v.ok, v.output).toBe(true);
    expect(v.upCommands).toMatch(/new-minor \S+ 7 0/);
    expect(v.upCommands).toContain('--fencing=resource-and-stonith');
  });
});
