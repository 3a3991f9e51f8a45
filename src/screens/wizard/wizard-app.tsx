// The wizard: the navigation reducer, the probes started after the first frame, the draft saved after
// every step, and the overlays (help, quit, host key). Each step's own screen does the rest.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Box, useApp, type Key } from 'ink';
import { KeyRouter } from '../common/use-keys.js';
import type { Draft, Step, StepContext } from '../../steps/types.js';
import type { WizardServices } from '../../steps/services.js';
import { STEP_SCREENS } from './step-screens.js';
import { initialState, wizardReducer } from '../../steps/wizard-reducer.js';
import { visibleErrors } from '../../steps/draft.js';
import { useWizardProbe } from './use-wizard-probe.js';
import { wizardKey } from './wizard-keys.js';
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
  // Probing starts after the first frame: at once in the demo, else once the peer is known.
  const { probe, setProbeRound, hostKey, setHostKey } = useWizardProbe(services, steps, s.index, s.draft);
  const [typing, setTyping] = useState(false);
  const [status, setStatus] = useState(`answers: ${services.answersPath}`);
  const step = steps[s.index]!;
  const ctx: StepContext = useMemo(() => ({ demo: services.demo, probe, facts: probe.status === 'done' ? probe.facts : null }), [services.demo, probe]);

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
  const globalKeys = (input: string, key: Key, typingNow: boolean): boolean =>
    wizardKey(input, key, typingNow, { hostKey, setHostKey, overlay: s.overlay, dirty: s.dirty, dispatch, quit: () => void save(s.draft).then((ok) => ok && exit(0)), exit });

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
