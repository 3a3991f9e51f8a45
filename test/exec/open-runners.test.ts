// openRunners: the one way every command opens its nodes (local or SSH, with its host-key policy).
import { describe, expect, it } from 'vitest';
import { openRunners } from '../../src/exec/open-runners.js';
import { LocalRunner } from '../../src/exec/local-runner.js';
import { SshRunner } from '../../src/exec/ssh-runner.js';
import { parseNodeTarget } from '../../src/exec/node-target.js';

const target = (s: string) => {
  const t = parseNodeTarget(s, { defaultUser: 'root' });
  if (!t.ok) throw new Error(t.error);
  return t.target;
};

describe('openRunners', () => {
  it('opens a LocalRunner for local and an SshRunner for a host, labelled by the node name when given', async () => {
    const [l, s] = openRunners([{ target: target('local'), label: 'nfs1' }, { target: target('admin@10.0.0.2:2222'), label: 'nfs2' }], { hostKeys: 'known-only' });
    expect(l).toBeInstanceOf(LocalRunner);
    expect(l!.label).toBe('nfs1');
    expect(s).toBeInstanceOf(SshRunner);
    expect(s!.label).toBe('nfs2');
    expect((await l!.run(['true'])).exitCode).toBe(0);
    await Promise.all([l!.close(), s!.close()]);
  });

  it('labels an unnamed SSH node by its target', async () => {
    const [s] = openRunners([{ target: target('10.0.0.3') }], { hostKeys: ['SHA256:x'] });
    expect(s!.label).toBe('root@10.0.0.3');
    await s!.close();
  });
});
