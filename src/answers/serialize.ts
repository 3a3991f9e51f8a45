// Writing answers back as YAML: the export's normalized answers.yaml (secrets redacted) and the
// wizard's saved file. Field order follows docs/answers.md because the schema builds objects in that order.
import { stringify } from 'yaml';
import { isAgentStonith, type Answers } from './schema.js';

export const REDACTED = '<redacted>';

/** Fence-agent parameters whose values are credentials (ipmi password, SNMP community...). */
export const SECRET_PARAMETER = /pass|secret|key|token|community/i;

/** The values of the fence agents' credential parameters (to hide them on screen). */
export function fenceSecrets(a: Answers): string[] {
  const st = a.pacemaker.stonith;
  if (!isAgentStonith(st)) return [];
  const out = new Set<string>();
  for (const params of Object.values(st.nodes)) {
    for (const [key, value] of Object.entries(params)) if (SECRET_PARAMETER.test(key) && String(value) !== '') out.add(String(value));
  }
  return [...out];
}

export function answersToYaml(a: Answers, options: { redactSecrets: boolean }): string {
  const copy = structuredClone(a) as Answers;
  if (options.redactSecrets && copy.drbd.secret !== 'generate') copy.drbd.secret = REDACTED;
  const st = copy.pacemaker.stonith;
  if (options.redactSecrets && isAgentStonith(st)) {
    for (const params of Object.values(st.nodes)) {
      for (const key of Object.keys(params)) if (SECRET_PARAMETER.test(key)) params[key] = REDACTED;
    }
  }
  return stringify(copy, { lineWidth: 0, flowCollectionPadding: false });
}
