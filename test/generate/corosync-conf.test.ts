import { describe, expect, it } from 'vitest';
import { hostAddress } from '../../src/answers/derived.js';
import { COROSYNC_CONSENSUS_MS, COROSYNC_TOKEN_MS, renderCorosyncConf } from '../../src/generate/corosync-conf.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { corosyncRingAddresses, validateCorosyncConf } from '../helpers/validators/corosync.js';

describe.each(EXAMPLE_FILES)('renderCorosyncConf(%s)', (file) => {
  it('passes corosync -t as each node, in private namespaces', async () => {
    const { answers: a } = await loadExample(file);
    const text = renderCorosyncConf(a);
    for (const node of a.nodes) {
      const v = validateCorosyncConf(text, node.name);
      expect(v.ok, v.output).toBe(true);
    }
  });

  it('puts link 0 on the replication address and link 1 on the service address, nodeids 1 and 2', async () => {
    const { answers: a } = await loadExample(file);
    const text = renderCorosyncConf(a);
    a.nodes.forEach((n, i) => {
      expect(corosyncRingAddresses(text, n.name)).toEqual([hostAddress(n.replication.address), hostAddress(n.service.address)]);
      expect(text).toMatch(new RegExp(`name: ${n.name}\\n\\s+nodeid: ${i + 1}\\n`));
    });
    expect(text).toContain(`cluster_name: ${a.cluster.name}`);
    expect(text).toMatch(/transport: knet/);
    expect(text).toMatch(/crypto_cipher: aes256\n\s+crypto_hash: sha256/);
    expect(text).toMatch(/two_node: 1/);
    expect(text).toMatch(/linknumber: 0[\s\S]*linknumber: 1/);
  });
});

describe('corosync validation bites', () => {
  it('rejects a cipher without hash and a duplicate nodeid (so a pass means something)', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const text = renderCorosyncConf(a);
    expect(validateCorosyncConf(text.replace('crypto_hash: sha256', 'crypto_hash: none'), 'nfs1').ok).toBe(false);
    expect(validateCorosyncConf(text.replace('nodeid: 2', 'nodeid: 1'), 'nfs1').ok).toBe(false);
    expect(validateCorosyncConf(text.replace('transport: knet', 'transport: carrier-pigeon'), 'nfs1').ok).toBe(false);
  });

  it('keeps consensus at 1.2 x token', () => {
    expect(COROSYNC_CONSENSUS_MS).toBeGreaterThanOrEqual(COROSYNC_TOKEN_MS * 1.2);
  });
});
