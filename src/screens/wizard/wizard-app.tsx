// The wizard: the navigation reducer, the probes started after the first frame, the draft saved after
// every step, and the overlays (help, quit, host key). Each step's own screen does the rest.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, useApp, type Key } from 'ink';
import { KeyRouter } from '../common/use-keys.js';
import type { Draft, HostKeyQuestion, ProbeState, Step, StepContext } from '../../steps/types.js';
import type { WizardServices } from '../../steps/services.js';
import { STEP_SCREENS } from './step-screens.js';
import { initialState, wizardReducer } from '../../steps/wizard-reducer.js';
import { getPath, visibleErrors } from '../../steps/draft.js';
import { sshSchema, fieldError } from '../../answers/schema.js';
import { Frame } from './frame.js';
import { HelpPanel } from './help-panel.js';
import { QuitPrompt } from './quit-prompt.js';
import { HostKeyPrompt } from './host-key-prompt.js';

export interface WizardAppProps {
  steps: Step[];
  draft: Draft;
  startIndex: number;
  services: WizardServices;
  onExit: (code: number) => void;
}

export function WizardApp({ steps, draft: initialDraft, startIndex, services, onExit }: WizardAppProps) {
  const app = useApp();
  const [s, dispatch] = useReducer(wizardReducer, initialState(initialDraft, steps.length, startIndex));
  const [probe, setProbe] = useState<ProbeState>({ status: 'waiting' });
  const [probeRound, setProbeRound] = useState(0);
  const [typing, setTyping] = useState(false);
  const [status, setStatus] = useState(`answers: ${services.answersPath}`);
  const [hostKey, setHostKey] = useState<{ q: HostKeyQuestion; answer: (ok: boolean) => void } | null>(null);
  const step = steps[s.index]!;
  const ctx: StepContext = useMemo(() => ({ demo: services.demo, probe, facts: probe.status === 'done' ? probe.facts : null }), [services.demo, probe]);

  // Probing starts after the first frame: at once in the demo, else once the peer is known.
  const targets: [string, string] = [String(getPath(s.draft, 'nodes[0].ssh') ?? 'local'), String(getPath(s.draft, 'nodes[1].ssh') ?? '')];
  const nodesIndex = steps.findIndex((x) => x.id === 'nodes');
  const ready = services.demo || (s.index > nodesIndex && fieldError(sshSchema, targets[1]) === null && targets[1] !== 'local');
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

  // Defaults from the probes fill what is still missing whenever a step is entered or facts arrive.
  useEffect(() => {
    if (step.prefill) dispatch({ type: 'update', fn: (d) => step.prefill!(d, ctx), defaults: true });
  }, [step, ctx]);

  // The defaults show in the step's first frame; the effect above makes them part of the saved draft.
  const draft = step.prefill ? step.prefill(s.draft, ctx) : s.draft;
  const errors = step.validate(draft, ctx);
  const notes = step.notes?.(draft, ctx) ?? [];
  const save = useCallback(
    async (d: Draft) => {
      const r = await services.save(d);
      if (r.ok) dispatch({ type: 'saved' });
      setStatus(r.ok ? `answers saved to ${services.answersPath}` : `could not save ${services.answersPath}: ${r.error}`);
      return r.ok;
    },
    [services],
  );
  const exit = useCallback((code: number) => {
    onExit(code);
    app.exit();
  }, [app, onExit]);
  const next = () => {
    const n = Object.keys(errors).length;
    if (n === 0) void save(draft);
    dispatch({ type: 'next', errors: n });
  };
  const update = useCallback((fn: (d: Draft) => Draft) => dispatch({ type: 'update', fn }), []);
  const back = useCallback(() => dispatch({ type: 'back' }), []);
  const reprobe = useCallback(() => setProbeRound((n) => n + 1), []);

  /** The wizard's own keys; true when the key was taken (screens do not see it). */
  const globalKeys = (input: string, key: Key, typingNow: boolean): boolean => {
    if (hostKey) {
      if (input === 'y' || input === 'n') {
        hostKey.answer(input === 'y');
        setHostKey(null);
      }
      return true;
    }
    if (s.overlay === 'quit') {
      if (input === 'y') void save(s.draft).then((ok) => ok && exit(0));
      else if (input === 'n') exit(0);
      else if (key.escape) dispatch({ type: 'close-overlay' });
      return true;
    }
    if (input === '?' || (s.overlay === 'help' && key.escape)) {
      dispatch({ type: 'help' });
      return true;
    }
    if ((key.ctrl && input === 'c') || (input === 'q' && !typingNow && s.overlay === 'none')) {
      if (s.dirty) dispatch({ type: 'ask-quit' });
      else exit(0);
      return true;
    }
    return s.overlay !== 'none';
  };

  const Screen = STEP_SCREENS[step.screen];
  const overlay = hostKey ? <HostKeyPrompt question={hostKey.q} /> : s.overlay === 'help' ? <HelpPanel title={step.title} text={step.help} /> : s.overlay === 'quit' ? <QuitPrompt file={services.answersPath} /> : null;
  return (
    <KeyRouter global={globalKeys}>
      <Frame
        title={step.title}
        position={s.index + 1}
        count={steps.length}
        demo={services.demo}
        status={s.dirty ? `${status} · unsaved changes` : status}
        typing={typing}
      >
        {overlay}
        <Box display={overlay ? 'none' : 'flex'} flexDirection="column">
          <Screen
            key={step.id}
            step={step}
            draft={draft}
            ctx={ctx}
            errors={s.refused || step.id === 'review' || step.id === 'finish' ? errors : visibleErrors(errors, draft)}
            notes={notes}
            update={update}
            next={next}
            back={back}
            setTyping={setTyping}
            active={overlay === null}
            services={services}
            exit={exit}
            reprobe={reprobe}
          />
        </Box>
      </Frame>
    </KeyRouter>
  );
}
