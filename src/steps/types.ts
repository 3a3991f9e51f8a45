// The wizard's steps are data: an id, a title, a help text, a validation of the draft, and the screen that
// edits it. The app walks this list through the reducer; nothing else knows the order of the steps.
import type { ComponentType } from 'react';
import type { NodeFacts } from '../probes/types.js';

/** The answers being built: the answers file's shape (ANSWERS.md), any part still missing. */
export type Draft = { [key: string]: unknown };

/** Field path (as the answers file spells it: nodes[1].replication.address) -> one error message. */
export type FieldErrors = Record<string, string>;

export type ProbeState =
  | { status: 'waiting' }
  | { status: 'running'; labels: string[] }
  | { status: 'done'; facts: NodeFacts[] }
  | { status: 'failed'; error: string };

/** What every step sees besides the draft. */
export interface StepContext {
  demo: boolean;
  probe: ProbeState;
  /** Probe facts in nodes[] order once probing is done. */
  facts: NodeFacts[] | null;
}

/** A choice of a select field, with the one plain sentence that explains it. */
export interface FieldOption {
  value: string | number;
  label?: string;
  explain: string;
}

export interface FieldDef {
  /** Where the value lives in the draft: drbd.port, nodes[0].replication.address. */
  path: string;
  label: string;
  /** text: a string; number: digits stored as a number; list: comma-separated strings; select: options. */
  kind: 'text' | 'number' | 'list' | 'select';
  options?: FieldOption[];
  /** One sentence shown while the field has the focus. */
  hint?: string;
  /** A password: shown as dots on screen (it is still stored in the answers file; exports redact it). */
  secret?: boolean;
  /** Custom reading/writing when the value is not simply at path (e.g. STONITH: "none" or an object). */
  read?: (d: Draft) => unknown;
  write?: (d: Draft, value: unknown) => Draft;
}

/** An SSH host key the user must accept before the peer is probed (from the SSH runner's callback). */
export interface HostKeyQuestion {
  label: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** OpenSSH's warning when keys of other types are already known for this host. */
  otherKeysWarning?: string;
}

export interface StepScreenProps {
  step: Step;
  draft: Draft;
  ctx: StepContext;
  errors: FieldErrors;
  /** Warnings and notes that do not block Next, shown on the screen. */
  notes: string[];
  /** Changes the draft (kept when going back). */
  update: (fn: (d: Draft) => Draft) => void;
  /** Asks for the next step; the app refuses while errors is not empty. */
  next: () => void;
  back: () => void;
  /** False while an overlay (help, quit, host key) takes the keys. */
  active: boolean;
  /** The app's services (probing, export, rehearsal, apply); screens never import runners themselves. */
  services: import('./services.js').WizardServices;
  /** Reads both nodes again (after installing packages, changing a disk...); answers are kept. */
  reprobe: () => void;
  /** Ends the wizard with this exit code. */
  exit: (code: number) => void;
  /** Tells the app whether a text input has the focus, so q/j/k are typed instead of acted on. */
  setTyping: (typing: boolean) => void;
}

export interface Step {
  id: string;
  title: string;
  /** The `?` text for this step: what it decides and why it matters. */
  help: string;
  /** Form steps: the fields, computed from the draft and the probe facts. */
  fields?: (draft: Draft, ctx: StepContext) => FieldDef[];
  /** Fills missing answers with defaults (from the probes) when the step is entered; never overwrites. */
  prefill?: (draft: Draft, ctx: StepContext) => Draft;
  /** Field errors; an empty object lets Next through. */
  validate: (draft: Draft, ctx: StepContext) => FieldErrors;
  /** Non-blocking notes (warnings, size mismatches) for the screen. */
  notes?: (draft: Draft, ctx: StepContext) => string[];
  /** True when the draft already holds this step's answers (used to reopen at the first unfinished step). */
  isComplete: (draft: Draft, ctx: StepContext) => boolean;
  Screen: ComponentType<StepScreenProps>;
}
