import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadAnswersFile } from '../../src/answers/load.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { existingSecrets, mergeSecrets } from '../../src/apply/existing-secrets.js';
import { Journal } from '../../src/apply/journal.js';
import { Redactor } from '../../src/apply/redact.js';
import { FakeNode } from './fake-node.js';

const FIX = join(import.meta.dirname, '../fixtures/apply');

describe('existingSecrets', () => {
  it('reuses what a previous apply installed on both nodes, so a second run rolls no key', async () => {
    const r = await loadAnswersFile(join(FIX, 'done-answers.yaml'));
    if (!r.ok) throw new Error('answers');
    const a = r.answers;
    const first = generateSecrets(a);
    const nodes = a.nodes.map((n) => new FakeNode(join(FIX, 'done', n.name), n.name, new Set()));
    for (const [i, n] of a.nodes.entries()) {
      for (const f of buildExportFiles(a, [], first).filter((x) => x.node === n.name && x.secret)) {
        nodes[i]!.files.set(f.target!, { content: Buffer.from(f.content), mode: f.mode.toString(8) });
      }
    }
    const journal = new Journal([], new Redactor([]));
    const found = await existingSecrets(a, nodes, a.nodes.map((n) => n.name), journal);
    expect(found.problems).toEqual([]);
    const merged = mergeSecrets(a, found.secrets);
    expect(merged.drbdSecret).toBe(first.drbdSecret);
    expect(merged.corosyncAuthkey.equals(first.corosyncAuthkey)).toBe(true);
    // The reads are journaled with their output withheld.
    expect(journal.entries.every((e) => e.stdout === '[withheld: contains a secret]')).toBe(true);

    // Different keys on the two nodes (a package's own, say): not a cluster's key, a new one is made.
    nodes[1]!.files.set('/etc/corosync/authkey', { content: randomBytes(256), mode: '400' });
    const again = mergeSecrets(a, (await existingSecrets(a, nodes, a.nodes.map((n) => n.name), journal)).secrets);
    expect(again.corosyncAuthkey.equals(first.corosyncAuthkey)).toBe(false);
    expect(again.corosyncAuthkey).toHaveLength(256);
  });
});
