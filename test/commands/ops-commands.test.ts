// switchover, standby, online and maintenance as subcommands (their src/commands/<name>.ts), in-process on
// the demo lab's recordings: the plan printed, the exit codes (0 dry run, 2 bad input, 3 refused), one
// error line naming the bad argument, nothing run.
import { describe, expect, it } from 'vitest';
import type { ActionCommandIo } from '../../src/commands/action-command.js';
import { run as switchover } from '../../src/commands/switchover.js';
import { run as standby } from '../../src/commands/standby.js';
import { run as online } from '../../src/commands/online.js';
import { run as maintenance } from '../../src/commands/maintenance.js';

async function call(cmd: (argv: string[], io?: ActionCommandIo) => Promise<number>, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cmd(argv, { out: (l) => out.push(l), err: (l) => err.push(l), ask: null });
  return { code, out, err };
}

describe('the operations as subcommands, on the demo lab (dry run)', () => {
  it('switchover: the plan and the dry run, exit 0', async () => {
    const r = await call(switchover, ['--demo', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('switchover: move the service from node1 to node2');
    expect(r.out.join('\n')).toContain('$ crm_resource --move --resource g_nfs --node node2 --lifetime PT30M');
    expect(r.out.join('\n')).toContain('$ crm_resource --clear --resource g_nfs');
    expect(r.out.at(-1)).toMatch(/nothing was changed$/);
  });

  it('switchover on the failed-over demo (the peer is offline): refused, exit 3', async () => {
    const r = await call(switchover, ['--demo=failed-over', '--dry-run']);
    expect(r.code).toBe(3);
    expect(r.err[0]).toBe('error: switchover: node1 is offline in Pacemaker: it cannot take the service');
  });

  it('bad input: one line naming it, exit 2', async () => {
    for (const [cmd, argv, line] of [
      [switchover, ['--to', 'node9', '--demo', '--dry-run'], 'error: --to: "node9" is no node of this cluster; its nodes: node1, node2'],
      [standby, ['node9', '--demo', '--dry-run'], 'error: NODE: "node9" is no node of this cluster; its nodes: node1, node2'],
      [online, ['--demo', '--dry-run'], 'error: NODE: online takes one node name (got none); crm_node -l lists them'],
      [maintenance, ['maybe', '--demo', '--dry-run'], 'error: on|off: maintenance takes on or off (got maybe)'],
    ] as const) {
      const r = await call(cmd, [...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([line]);
    }
  });

  it('standby, online, maintenance: their plans on the running demo', async () => {
    const s = await call(standby, ['node1', '--demo', '--dry-run']);
    expect(s.code).toBe(0);
    expect(s.out.join('\n')).toContain('$ crm_attribute --node node1 --name standby --update on');
    const o = await call(online, ['node1', '--demo', '--dry-run']);
    expect(o.code).toBe(0);
    expect(o.out[0]).toBe('online: nothing to do: node1 is not in standby');
    const m = await call(maintenance, ['on', '--demo', '--dry-run']);
    expect(m.code).toBe(0);
    expect(m.out.join('\n')).toContain('$ crm_attribute --type crm_config --name maintenance-mode --update true');
  });

  it('the demo lab is a recording: a real switchover on it is bad input (exit 2)', async () => {
    const r = await call(switchover, ['--demo']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/^error: --demo: only with --dry-run/);
  });
});
