// Binds the action overlay's reducer (action-flow-state.ts) to its effects: a key parses its arguments
// and reads the plan; a confirmation starts the run; the engine's lines and the read-back come back as
// actions. State is kept in a ref as well, because Ink can deliver the next key before React re-renders.
// Unmounting (q in the monitor) aborts a run in flight; the service's settled() lets the caller wait.
import { useEffect, useRef, useState } from 'react';
import type { ActionPlan } from '../../apply/action-run.js';
import type { MonitorState } from '../../monitor/model.js';
import { flowReducer, initialFlowState, isOpen, type FlowAction, type FlowKey, type FlowState } from './action-flow-state.js';
import type { ActionKey } from './action-keys.js';
import type { MonitorActionService } from './action-service.js';
import type { Collected } from './flow-prompts.js';
import type { SelectionItem } from './monitor-selection.js';

export interface ActionFlow {
  state: FlowState;
  /** Whether the overlay is open now (read from the ref: a key may come before the re-render). */
  open: () => boolean;
  /** A key of the registry was pressed. */
  start: (k: ActionKey, selected: SelectionItem | null, monitor: MonitorState) => void;
  /** Any key while the overlay is open. */
  input: (input: string, key: FlowKey) => void;
}

export function useActionFlow(service: MonitorActionService | undefined, onFinished: () => void): ActionFlow {
  const [state, setState] = useState<FlowState>(initialFlowState);
  const ref = useRef<FlowState>(initialFlowState);
  const pending = useRef<{ key: ActionKey; positionals: string[] } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      abort.current?.abort();
    };
  }, []);

  const dispatch = (a: FlowAction): FlowState => {
    const prev = ref.current;
    const next = flowReducer(prev, a);
    ref.current = next;
    if (mounted.current) setState(next);
    if (next.phase.kind === 'planning' && prev.phase.kind !== 'planning') void plan(next.got);
    if (next.phase.kind === 'running' && prev.phase.kind !== 'running') void run(next.phase.plan);
    return next;
  };

  async function plan(got: Collected): Promise<void> {
    const p = pending.current;
    if (!p || !service) return;
    const parsed = p.key.def.parse([...p.positionals, ...got.positionals], { ...service.baseFlags, ...got.flags });
    if (!parsed.ok) {
      dispatch({ type: 'bad', label: p.key.label, message: `${parsed.error.field}: ${parsed.error.message}` });
      return;
    }
    try {
      dispatch({ type: 'planned', plan: await service.prepare(p.key.def, parsed.args) });
    } catch (e) {
      dispatch({ type: 'bad', label: p.key.label, message: `could not read the cluster: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  async function run(planned: ActionPlan): Promise<void> {
    if (!service) return;
    const ac = new AbortController();
    abort.current = ac;
    const outcome = await service.execute(planned, (line) => dispatch({ type: 'line', line }), ac.signal);
    abort.current = null;
    dispatch({ type: 'finished', outcome });
    onFinished();
  }

  return {
    state,
    open: () => isOpen(ref.current),
    start(k, selected, monitor) {
      if (!service) return;
      const args = k.positionals(selected, monitor);
      pending.current = args.ok ? { key: k, positionals: args.positionals } : null;
      if (!args.ok) {
        dispatch({ type: 'bad', label: k.label, message: args.why });
        return;
      }
      dispatch({ type: 'open', label: k.label, ...(k.ask ? { ask: k.ask } : {}), ...(args.prompts ? { prompts: args.prompts } : {}) });
    },
    input(input, key) {
      dispatch({ type: 'key', input, key });
    },
  };
}
