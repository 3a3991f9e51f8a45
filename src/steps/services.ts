// What the wizard needs from the rest of hanfs-wizard, as one interface: the screens call these and never
// import runners, ssh2 or generators themselves. src/commands/wizard.ts provides the real ones (loaded
// after the first frame); tests provide the same ones on the demo lab.
import type { Answers } from '../answers/schema.js';
import type { Problem } from '../answers/semantic.js';
import type { ExportFile, WriteResult } from '../generate/export-layout.js';
import type { NodeFacts } from '../probes/types.js';
import type { Draft, HostKeyQuestion } from './basics.js';

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: string };

export interface WizardServices {
  /** Where the draft is saved after every step. */
  answersPath: string;
  demo: boolean;
  /**
   * Probes the two nodes (targets as in nodes[].ssh: "local" or user@host[:port]) and returns their facts in
   * that order. An unknown SSH host key is put to confirmHostKey before anything runs on that host.
   */
  probe(targets: [string, string], confirmHostKey: (q: HostKeyQuestion) => Promise<boolean>, signal: AbortSignal): Promise<Outcome<{ facts: NodeFacts[] }>>;
  save(draft: Draft): Promise<Outcome<object>>;
  /**
   * The export tree for these answers; secrets are made once per wizard session, so what the review shows is
   * what export writes. mask() replaces the secrets in a text for showing it.
   */
  buildExport(a: Answers, warnings: Problem[]): Promise<Outcome<{ files: ExportFile[]; mask: (text: string) => string }>>;
  writeExport(dir: string, files: ExportFile[], force: boolean): Promise<WriteResult>;
  /** The failover rehearsal as a table of the given width. */
  rehearse(a: Answers, width: number, signal: AbortSignal): Promise<Outcome<{ table: string }>>;
  /** null when apply can run from the wizard; otherwise the sentence that says why not and what to do. */
  applyUnavailable: string | null;
  /**
   * Asks for `hanfs-wizard apply --answers FILE` (a dry run in the demo) once the wizard has closed: apply
   * shows its plan and asks its own typed confirmation before changing anything.
   */
  requestApply(): void;
}
