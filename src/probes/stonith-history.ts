// The fencer's history: `fence_event` elements, as `stonith_admin --history '*' --verbose --output-as=xml`
// lists them (`<list name="fencing history">`) and as `crm_mon --output-as=xml` carries them
// (`<fence_history>`, which the monitor reads every interval anyway). Without --verbose stonith_admin
// lists successful fences only: a pending or failed one, the two that matter most, needs it. Tested on
// real outputs of Pacemaker 2.1.5 (test/fixtures/monitor/fencing/). Pure.
import type { Argv } from '../exec/runner.js';
import { childEl, childEls, parseXml, type XmlEl } from './xml.js';

/** All recorded and pending operations, machine-readable. */
export const STONITH_HISTORY_ARGV: Argv = ['stonith_admin', '--history', '*', '--verbose', '--output-as=xml'];

export interface FenceEvent {
  /** reboot, off, on. */
  action: string;
  target: string;
  /** success, failed, pending (as Pacemaker prints it). */
  status: string;
  /** Who asked (the controller, or stonith_admin.PID by hand). */
  client: string | null;
  /** The node that asked. */
  origin: string | null;
  /** The node that ran the device; absent while pending. */
  delegate: string | null;
  /** Why it failed ("Fence agent did not complete within 5s"). */
  exitReason: string | null;
  /** When it finished, as printed ("2026-12-07 12:29:38Z"); null while pending. */
  completed: string | null;
}

function event(e: XmlEl): FenceEvent {
  const a = e.attrs;
  return {
    action: a['action'] ?? '',
    target: a['target'] ?? '',
    status: a['status'] ?? '',
    client: a['client'] ?? null,
    origin: a['origin'] ?? null,
    delegate: a['delegate'] ?? null,
    exitReason: a['exit-reason'] ?? null,
    completed: a['completed'] ?? null,
  };
}

/**
 * The events, newest first as Pacemaker lists them (pending ones first); [] when the document has none;
 * null when the text is no such document or the fencer could not be asked (`<status code="102">`).
 */
export function parseFenceHistory(xml: string): FenceEvent[] | null {
  const doc = parseXml(xml);
  return doc === null ? null : fenceEventsOf(doc);
}

/** The same from an already parsed document (crm_mon's, read by crm-mon-extras.ts). */
export function fenceEventsOf(doc: XmlEl): FenceEvent[] | null {
  if (doc.name !== 'pacemaker-result' && doc.name !== 'crm_mon') return null;
  const status = childEl(doc, 'status');
  if (status && status.attrs['code'] !== undefined && status.attrs['code'] !== '0') return null;
  const fromCrmMon = childEl(doc, 'fence_history');
  if (fromCrmMon) return childEls(fromCrmMon, 'fence_event').map(event);
  const list = childEls(doc, 'list').find((l) => l.attrs['name'] === 'fencing history');
  if (list) return childEls(list, 'fence_event').map(event);
  // crm_mon prints no fence_history element when there is nothing to show.
  return childEl(doc, 'summary') ? [] : null;
}
