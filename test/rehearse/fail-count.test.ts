// Which fail-count attribute the rehearsal writes, by the scheduler's reported version. The behaviour
// behind it is played for real: test/rehearse/engine.test.ts (this machine's 2.1.5) and
// test/trixie/rehearse.test.ts (Debian 13's 3.0.0) both need the service to leave a node whose resource
// failed migration-threshold times.
import { describe, expect, it } from 'vitest';
import { failCountAttribute } from '../../src/rehearse/engine.js';

describe('failCountAttribute', () => {
  it('is resource-wide for Pacemaker 2.x and per operation from 3.0 on', () => {
    expect(failCountAttribute('2.1.5', 'p_fs', 20000)).toBe('fail-count-p_fs');
    expect(failCountAttribute('3.0.0', 'p_fs', 20000)).toBe('fail-count-p_fs#monitor_20000');
    expect(failCountAttribute('3.0.1-rc2', 'p_vip', 10000)).toBe('fail-count-p_vip#monitor_10000');
  });
});
