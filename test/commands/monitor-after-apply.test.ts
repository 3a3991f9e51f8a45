// The line the monitor shows after apply: what was just set up, from the answers (the demo flow's file).
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import { justSetUpLine } from '../../src/commands/monitor-after-apply.js';

const FILE = new URL('../fixtures/wizard/demo-flow-answers.yaml', import.meta.url).pathname;

describe('justSetUpLine', () => {
  it('names the exports, the virtual IP without its prefix and both nodes; the demo says nothing changed', async () => {
    const loaded = await loadAnswersFile(FILE);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const a = loaded.answers;
    const line = justSetUpLine(a, false);
    const vip = a.virtualIp.address.split('/')[0]!;
    expect(line).toBe(`just set up: ${a.nfs.exports.map((e) => e.path).join(', ')} on ${vip}, served by node1 or node2; the RAID resync and the DRBD sync go on in the background`);
    expect(justSetUpLine(a, true)).toMatch(/^demo: the dry run changed nothing; .* \(.* on 192\.168\.100\.100, served by node1 or node2\)$/);
  });
});
