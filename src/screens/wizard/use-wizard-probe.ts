// The wizard's probe of the two nodes: started after the first frame (at once in the demo, else once the
// peer's ssh target is valid), again on request (reprobe), cancelled when the targets change or the
// wizard goes away; an unknown host key becomes a question the wizard shows (hostKey) and answers.
import { useEffect, useState } from 'react';
import type { Draft, HostKeyQuestion, ProbeState, Step } from '../../steps/types.js';
import type { WizardServices } from '../../steps/services.js';
import { getPath } from '../../steps/draft.js';
import { sshSchema, fieldError } from '../../answers/schema.js';

export interface HostKeyAsked {
  q: HostKeyQuestion;
  answer: (ok: boolean) => void;
}

export function useWizardProbe(services: WizardServices, steps: Step[], index: number, draft: Draft) {
  const [probe, setProbe] = useState<ProbeState>({ status: 'waiting' });
  const [probeRound, setProbeRound] = useState(0);
  const [hostKey, setHostKey] = useState<HostKeyAsked | null>(null);
  const targets: [string, string] = [String(getPath(draft, 'nodes[0].ssh') ?? 'local'), String(getPath(draft, 'nodes[1].ssh') ?? '')];
  const nodesIndex = steps.findIndex((x) => x.id === 'nodes');
  const ready = services.demo || (index > nodesIndex && fieldError(sshSchema, targets[1]) === null && targets[1] !== 'local');
  const targetsKey = ready ? JSON.stringify([services.demo ? 'demo' : targets, probeRound]) : '';
  useEffect(() => {
    if (!targetsKey) return;
    const ac = new AbortController();
    setProbe({ status: 'running', labels: targets });
    const confirm = (q: HostKeyQuestion) => new Promise<boolean>((resolve) => setHostKey({ q, answer: resolve }));
    services.probe(targets, confirm, ac.signal).then(
      (r) => !ac.signal.aborted && setProbe(r.ok ? { status: 'done', facts: r.facts } : { status: 'failed', error: r.error }),
      (e: unknown) => !ac.signal.aborted && setProbe({ status: 'failed', error: e instanceof Error ? e.message : String(e) }),
    );
    return () => ac.abort();
    // targets are part of targetsKey.
  }, [targetsKey, services]);
  return { probe, setProbeRound, hostKey, setHostKey };
}
