// `hanfs-wizard probe [--node user@host[:port]]... [--demo [--scenario NAME]] [--json] [--identity FILE]
//  [--host-key [NODE=]SHA256:...]...`: what the wizard knows about each node, probed in parallel.
import { createInterface } from 'node:readline/promises';
import type { Runner } from '../exec/runner.js';
import type { HostKeyPrompt } from '../exec/ssh-runner.js';
import { openRunners } from '../exec/open-runners.js';
import { parseNodeTarget, type NodeTarget } from '../exec/node-target.js';
import { normalizeFingerprint } from '../exec/host-keys.js';
import { tryCreateDemoRunners } from '../exec/demo-lab.js';
import { probeNodes, reached } from '../probes/probe-node.js';
import { formatAllFacts } from '../probes/format-facts.js';
import { renderCommandHelp } from './help-source.js';

export interface ProbeArgs {
  nodes: NodeTarget[];
  demo: boolean;
  scenario: string;
  json: boolean;
  identity: string | undefined;
  /** Fingerprints for any node (key "*") or for one node (key = the --node text or host). */
  hostKeys: { node: string; fingerprint: string }[];
}

export type ParseArgsResult = { ok: true; args: ProbeArgs } | { ok: false; error: string } | { ok: true; help: true };

export const USAGE = renderCommandHelp('probe');

/** Pure: argv to arguments, or the one-line error. */
export function parseProbeArgs(argv: string[]): ParseArgsResult {
  const args: ProbeArgs = { nodes: [], demo: false, scenario: 'bare', json: false, identity: undefined, hostKeys: [] };
  let scenarioGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string | null => {
      if (inline !== undefined) return inline;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return null;
      i++;
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return { ok: true, help: true };
      case '--json':
        args.json = true;
        break;
      case '--demo':
        // --demo=SCENARIO, as monitor takes it; --scenario NAME says the same.
        args.demo = true;
        if (inline !== undefined) {
          if (inline === '') return { ok: false, error: '--demo: needs a scenario name after = (e.g. --demo=bare)' };
          args.scenario = inline;
          scenarioGiven = true;
        }
        break;
      case '--scenario': {
        const v = value();
        if (v === null || v === '') return { ok: false, error: `${flag}: needs a scenario name (e.g. --scenario bare)` };
        args.scenario = v;
        scenarioGiven = true;
        break;
      }
      case '--node': {
        const v = value();
        if (v === null) return { ok: false, error: `${flag}: needs a node, e.g. --node root@192.168.1.12 or --node local` };
        const t = parseNodeTarget(v);
        if (!t.ok) return { ok: false, error: `${flag}: ${t.error}` };
        args.nodes.push(t.target);
        break;
      }
      case '--identity': {
        const v = value();
        if (v === null || v === '') return { ok: false, error: `${flag}: needs a private key file, e.g. --identity ~/.ssh/id_ed25519` };
        args.identity = v;
        break;
      }
      case '--host-key': {
        const v = value();
        if (v === null) return { ok: false, error: `${flag}: needs a fingerprint, e.g. --host-key SHA256:...` };
        const at = v.search(/=SHA256:/i);
        const node = at > 0 ? v.slice(0, at) : '*';
        const fp = normalizeFingerprint(at > 0 ? v.slice(at + 1) : v);
        if (fp === null) return { ok: false, error: `${flag}: "${v}" is not a SHA256 fingerprint (as ssh-keygen -lf prints: SHA256: and 43 characters)` };
        args.hostKeys.push({ node, fingerprint: fp });
        break;
      }
      default:
        return { ok: false, error: `${flag}: unknown option (see hanfs-wizard probe --help)` };
    }
  }
  if (args.demo && args.nodes.length > 0) return { ok: false, error: '--demo: cannot be combined with --node (the demo lab has its own nodes)' };
  if (scenarioGiven && !args.demo) return { ok: false, error: '--scenario: only with --demo' };
  if (!args.demo && args.nodes.length === 0) args.nodes.push({ kind: 'local', label: 'local' });
  return { ok: true, args };
}

/** Host key prompts, one at a time even when nodes connect in parallel. */
export function makeConfirm(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): (p: HostKeyPrompt) => Promise<boolean> {
  let chain = Promise.resolve(true);
  return (p) => {
    const next = chain.then(async () => {
      const rl = createInterface({ input, output, terminal: false });
      try {
        output.write(`The authenticity of ${p.label} cannot be established.\n${p.keyType} key fingerprint is ${p.fingerprint}.\n`);
        const answer = await rl.question('Accept it and remember it in known_hosts? (yes/no) ');
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    });
    chain = next.catch(() => false);
    return next;
  };
}

function runnersFor(args: ProbeArgs): Runner[] {
  // A fingerprint given for a node (--host-key) is the one accepted; else asked at a terminal, else refused.
  const confirm = process.stdin.isTTY ? makeConfirm() : undefined;
  return openRunners(args.nodes.map((target) => ({ target })), {
    hostKeys: ({ target: t }) => {
      if (t.kind === 'local') return 'known-only';
      const fps = args.hostKeys.filter((h) => h.node === '*' || h.node === t.label || h.node === t.host || h.node === `${t.user}@${t.host}`).map((h) => h.fingerprint);
      return fps.length > 0 ? fps : 'ask';
    },
    ...(confirm ? { ask: confirm } : {}),
    ...(args.identity !== undefined ? { identityFile: args.identity } : {}),
  });
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseProbeArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(`error: ${parsed.error}\n`);
    return 2;
  }
  if ('help' in parsed) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { args } = parsed;
  let runners: Runner[];
  if (args.demo) {
    const demo = tryCreateDemoRunners(args.scenario);
    if (!demo.ok) {
      process.stderr.write(`error: --scenario: ${demo.error}\n`);
      return 2;
    }
    runners = demo.runners;
  } else {
    runners = runnersFor(args);
  }
  try {
    const facts = await probeNodes(runners);
    process.stdout.write(args.json ? JSON.stringify(facts, null, 2) + '\n' : formatAllFacts(facts));
    return facts.every(reached) ? 0 : 1;
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}
