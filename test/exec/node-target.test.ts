import { describe, expect, it } from 'vitest';
import { parseNodeTarget } from '../../src/exec/node-target.js';

const t = (s: string) => parseNodeTarget(s, { defaultUser: 'root' });

describe('parseNodeTarget', () => {
  it.each([
    ['local', { kind: 'local', label: 'local' }],
    ['node2', { kind: 'ssh', user: 'root', host: 'node2', port: 22, label: 'root@node2' }],
    ['admin@192.168.1.12', { kind: 'ssh', user: 'admin', host: '192.168.1.12', port: 22, label: 'admin@192.168.1.12' }],
    ['root@nfs2.example.com:2222', { kind: 'ssh', user: 'root', host: 'nfs2.example.com', port: 2222, label: 'root@nfs2.example.com:2222' }],
    ['[fe80::1]:2200', { kind: 'ssh', user: 'root', host: 'fe80::1', port: 2200, label: 'root@[fe80::1]:2200' }],
    ['u@[2001:db8::5]', { kind: 'ssh', user: 'u', host: '2001:db8::5', port: 22, label: 'u@[2001:db8::5]' }],
    ['2001:db8::5', { kind: 'ssh', user: 'root', host: '2001:db8::5', port: 22, label: 'root@[2001:db8::5]' }],
  ])('%s', (input, expected) => {
    expect(t(input)).toEqual({ ok: true, target: expected });
  });

  it.each([
    ['', /empty/],
    ['root@', /not a valid host/],
    ['-oProxyCommand=x@h', /not a valid user name/],
    ['h:0', /out of range/],
    ['h:65536', /out of range/],
    ['h:ssh', /not a number/],
    ['[fe80::1', /missing "\]"/],
    ['[fe80::1]x', /expected ":port"/],
    ['host name', /not a valid host name/],
    ['-oProxyCommand=touch', /not a valid host name/],
  ])('refuses %j', (input, msg) => {
    const r = t(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });
});
