// The shape of the help records (help-source.ts, help-actions.ts): pure types, no imports.

export type ActionCommandName = 'cleanup' | 'switchover' | 'standby' | 'online' | 'maintenance' | 'snapshot' | 'grow' | 'split-brain' | 'disk' | 'restore';

export type CommandName = 'wizard' | 'export' | 'rehearse' | 'probe' | 'apply' | 'monitor' | ActionCommandName;

/** What the shell completes after an option: its value kind. */
export type ValueKind = 'file' | 'dir' | 'scenario' | 'node' | 'none';

export interface HelpOption {
  /** The long option, e.g. "--answers". */
  flag: string;
  /** Its value's name, e.g. "FILE"; absent for a switch. */
  arg?: string;
  /** The value may only be attached with "=" (--demo=SCENARIO) and may be left out. */
  optionalArg?: boolean;
  /** May be given more than once. */
  repeat?: boolean;
  /** What completes the value (default: a FILE or DIR arg completes paths, anything else nothing). */
  value?: ValueKind;
  text: string;
}

export interface CommandHelp {
  name: CommandName;
  /** What follows "hanfs-wizard" on the usage line (the wizard has no command word). */
  usage: string;
  /** One line for the command list and the man page. */
  summary: string;
  /** Paragraphs of what it does. */
  description: string[];
  options: HelpOption[];
  /** Paragraphs after the options (keys, defaults). */
  notes?: string[];
  exitCodes: [number, string][];
}

