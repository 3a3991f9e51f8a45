// The one way a command opens its nodes: a LocalRunner for "local", an SshRunner otherwise, with the
// command's host-key policy. Every command (apply, probe, monitor, the wizard) opens its runners here,
// so a node is reached the same way, and its host key verified the same way, whatever asks for it.
import type { Runner } from './runner.js';
import { LocalRunner } from './local-runner.js';
import type { NodeTarget } from './node-target.js';
import { SshRunner, type HostKeyPrompt } from './ssh-runner.js';

/**
 * What to do with a host key known_hosts does not hold: 'known-only' refuses it (saying how to check it),
 * 'ask' asks OpenOptions.ask (refused without one), a list of SHA256 fingerprints accepts exactly those.
 */
export type HostKeyPolicy = 'ask' | 'known-only' | readonly string[];

export interface OpenTarget {
  target: NodeTarget;
  /** The runner's label (the node's name); default: the target's own label (local runners: none). */
  label?: string;
}

export interface OpenOptions {
  /** One policy for every node, or one per node. */
  hostKeys: HostKeyPolicy | ((t: OpenTarget) => HostKeyPolicy);
  /** Asked for an unknown key under 'ask'; the caller serialises the questions. */
  ask?: (p: HostKeyPrompt) => Promise<boolean>;
  identityFile?: string;
  knownHostsPath?: string;
  /** Under 'known-only': what the refusal of an unknown key tells the user to do (default: the runner's own). */
  unknownHostKeyAdvice?: (t: OpenTarget) => string;
}

export function openRunners(targets: readonly OpenTarget[], o: OpenOptions): Runner[] {
  return targets.map((t) => {
    if (t.target.kind === 'local') return new LocalRunner(t.label !== undefined ? { label: t.label } : {});
    const policy = typeof o.hostKeys === 'function' ? o.hostKeys(t) : o.hostKeys;
    const ask = o.ask;
    return new SshRunner({
      host: t.target.host, port: t.target.port, username: t.target.user, label: t.label ?? t.target.label,
      ...(o.identityFile !== undefined ? { identityFile: o.identityFile } : {}),
      ...(o.knownHostsPath !== undefined ? { knownHostsPath: o.knownHostsPath } : {}),
      ...(typeof policy !== 'string' ? { expectedFingerprint: [...policy] } : {}),
      ...(policy === 'ask' && ask ? { confirmHostKey: (p: HostKeyPrompt) => ask(p) } : {}),
      ...(o.unknownHostKeyAdvice ? { unknownHostKeyAdvice: () => o.unknownHostKeyAdvice!(t) } : {}),
    });
  });
}
