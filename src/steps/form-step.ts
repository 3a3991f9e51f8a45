// Builds a form step from its fields: validation is the answers file's own (schemaErrors) plus any
// step-specific checks, and the step is complete when every field holds a valid answer.
import { getPath, schemaErrors } from './draft.js';
import type { Draft, FieldDef, FieldErrors, Step, StepContext } from './types.js';

export interface FormStepDef {
  id: string;
  title: string;
  help: string;
  fields: (d: Draft, ctx: StepContext) => FieldDef[];
  prefill?: Step['prefill'];
  notes?: Step['notes'];
  /** Checks the schema cannot make (e.g. against the probe facts). */
  extraErrors?: (d: Draft, ctx: StepContext) => FieldErrors;
}

export function formStep(def: FormStepDef): Step {
  const validate = (d: Draft, ctx: StepContext): FieldErrors => {
    const fields = def.fields(d, ctx);
    const errors = { ...(def.extraErrors?.(d, ctx) ?? {}), ...schemaErrors(d, fields.map((f) => f.path)) };
    // A field left empty says so, instead of a format message about an empty string.
    for (const f of fields) {
      const v = f.read ? f.read(d) : getPath(d, f.path);
      if (v === undefined || v === '') errors[f.path] = 'is required';
    }
    return errors;
  };
  return {
    id: def.id,
    title: def.title,
    help: def.help,
    fields: def.fields,
    ...(def.prefill ? { prefill: def.prefill } : {}),
    ...(def.notes ? { notes: def.notes } : {}),
    validate,
    isComplete: (d, ctx) => Object.keys(validate(d, ctx)).length === 0,
    screen: 'form',
  };
}
