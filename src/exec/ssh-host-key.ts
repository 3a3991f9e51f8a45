// How the SSH runner judges the host key a server offers during the handshake: a known key passes; a
// revoked or changed one is refused, always; an unknown one passes only with an expected fingerprint
// (--host-key) or the user's "yes", and is then remembered in known_hosts, as ssh does. Apart from the
// connection code (ssh-runner.ts): this is the policy a reviewer of "host keys never accepted blindly"
// must read, and it needs no connection to read.
import { addKnownHost, knownHostsName, otherKeysWarning, type HostKeyStatus } from './host-keys.js';

export interface HostKeyPrompt {
  host: string;
  port: number;
  label: string;
  keyType: string;
  fingerprint: string;
  /** OpenSSH's warning when known_hosts holds keys of other types for this host, else absent. */
  otherKeysWarning?: string;
}

export interface HostKeyJudge {
  host: string;
  port: number;
  /** The runner's label, first word of every refusal. */
  label: string;
  /** The known_hosts file an accepted unknown key is added to. */
  knownPath: string;
  /** SHA256 fingerprints (normalized) accepted for an unknown key; empty: none given. */
  expected: string[];
  remember: boolean;
  confirm?: (prompt: HostKeyPrompt) => Promise<boolean>;
  advice?: (fingerprint: string) => string;
}

/**
 * Calls done(null) to accept the key, done(refusal) to refuse it, saying why and what to do. Synchronous
 * unless the user is asked.
 */
export function judgeHostKey(j: HostKeyJudge, status: HostKeyStatus, key: Buffer, done: (refusal: string | null) => void): void {
  const { host, port, label } = j;
  if (status.status === 'known') return done(null);
  if (status.status === 'revoked') {
    return done(`${label}: host key ${status.fingerprint} is marked @revoked in ${status.file}:${status.line}; refusing to connect`);
  }
  if (status.status === 'changed') {
    return done(
      `${label}: HOST KEY CHANGED: the server offers ${status.keyType} ${status.fingerprint}, but ${status.file} ` +
        `line ${status.lines.join(',')} holds ${status.knownFingerprints.join(', ')}. Someone may be intercepting the ` +
        `connection, or the host was reinstalled. Refusing to connect; if the change is expected, remove the old ` +
        `key with: ssh-keygen -R ${port === 22 ? host : `'[${host}]:${port}'`} -f ${status.file}`,
    );
  }
  const accept = () => {
    if (j.remember) {
      try {
        addKnownHost(j.knownPath, host, port, key);
      } catch {
        // Not being able to remember the key only means the question comes again next time.
      }
    }
    done(null);
  };
  if (j.expected.length > 0) {
    if (j.expected.includes(status.fingerprint)) return accept();
    return done(`${label}: host key is ${status.keyType} ${status.fingerprint}, not the expected ${j.expected.join(' or ')}; refusing to connect`);
  }
  const others = otherKeysWarning(knownHostsName(host, port), status.otherKeys);
  if (j.confirm === undefined) {
    const advice = j.advice?.(status.fingerprint) ?? `pass --host-key ${status.fingerprint}`;
    return done(
      `${label}: ${others ? `WARNING: ${others}; ` : ''}unknown host key ${status.keyType} ${status.fingerprint}; check it on the host ` +
        `(ssh-keygen -lf /etc/ssh/ssh_host_${status.keyType.replace(/^ssh-|^ecdsa-sha2-nistp\d+$/, (m) => (m.startsWith('ecdsa') ? 'ecdsa' : ''))}_key.pub) ` +
        `and ${advice}`,
    );
  }
  j.confirm({ host, port, label, keyType: status.keyType, fingerprint: status.fingerprint, ...(others ? { otherKeysWarning: others } : {}) })
    .then((yes) => {
      if (yes) return accept();
      done(`${label}: host key ${status.fingerprint} not accepted`);
    })
    .catch((e: unknown) => {
      done(`${label}: host key confirmation failed: ${(e as Error).message}`);
    });
}

/**
 * The host key types to ask the server for: a type known_hosts holds for the host first, as OpenSSH does,
 * so a host with several keys is not mistaken for an unknown one. Null when none is known (ssh2's order).
 */
export function hostKeyTypeOrder(known: string[]): string[] | null {
  if (known.length === 0) return null;
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  const want = (t: string) => known.includes(t) || (t.startsWith('rsa-sha2') && known.includes('ssh-rsa'));
  return [...all.filter(want), ...all.filter((t) => !want(t))];
}
