// Parses a node as given on the command line (`--node`): `local`, `host`, `user@host`, `user@host:port`,
// `[v6addr]:port`, `user@[v6addr]`. Bad input is a result naming what is wrong, never an exception.
import { userInfo } from 'node:os';

export type NodeTarget =
  | { kind: 'local'; label: 'local' }
  | { kind: 'ssh'; user: string; host: string; port: number; label: string };

export type ParseTargetResult = { ok: true; target: NodeTarget } | { ok: false; error: string };

const USER = /^[A-Za-z_][A-Za-z0-9._-]*\$?$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;

function defaultUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

/** The label used everywhere (messages, NodeFacts.target): user@host, user@host:port, user@[v6]:port. */
export function targetLabel(user: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === 22 ? `${user}@${h}` : `${user}@${h}:${port}`;
}

export function parseNodeTarget(input: string, options: { defaultUser?: string } = {}): ParseTargetResult {
  const s = input.trim();
  if (s === '') return { ok: false, error: 'empty; give local, host, user@host or user@host:port' };
  if (s === 'local' || s === 'localhost-local') return { ok: true, target: { kind: 'local', label: 'local' } };

  let user = options.defaultUser ?? defaultUser();
  let rest = s;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    rest = s.slice(at + 1);
    if (!USER.test(user)) return { ok: false, error: `"${user}" is not a valid user name` };
  }

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return { ok: false, error: `"${rest}": missing "]" after the IPv6 address` };
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return { ok: false, error: `"${rest}": expected ":port" after "]"` };
      portText = after.slice(1);
    }
    if (!IPV6.test(host) || !host.includes(':')) return { ok: false, error: `"${host}" is not an IPv6 address` };
  } else {
    const colons = (rest.match(/:/g) ?? []).length;
    if (colons > 1) {
      // A bare IPv6 address: no port possible without brackets.
      host = rest;
      if (!IPV6.test(host)) return { ok: false, error: `"${host}" is not an IPv6 address (write [addr]:port for a port)` };
    } else if (colons === 1) {
      host = rest.slice(0, rest.indexOf(':'));
      portText = rest.slice(rest.indexOf(':') + 1);
    } else {
      host = rest;
    }
    if (colons <= 1 && !HOSTNAME.test(host)) return { ok: false, error: `"${host}" is not a valid host name or address` };
  }

  let port = 22;
  if (portText !== undefined) {
    if (!/^[0-9]{1,5}$/.test(portText)) return { ok: false, error: `port "${portText}" is not a number` };
    port = Number(portText);
    if (port < 1 || port > 65535) return { ok: false, error: `port ${port} is out of range 1-65535` };
  }
  return { ok: true, target: { kind: 'ssh', user, host, port, label: targetLabel(user, host, port) } };
}
