// What crm_mon's XML says beyond src/probes/crm-mon.ts: the cluster options (stonith-enabled,
// maintenance-mode), each resource's migration-threshold and fail count from node_history, and the
// fence history (stonith-history.ts). A separate
// file so the shared parser stays as the apply engine knows it. Pure.
import { childEl, childEls, parseXml } from './xml.js';
import { fenceEventsOf, type FenceEvent } from './stonith-history.js';

export interface CrmMonExtras {
  stonithEnabled: boolean | null;
  maintenanceMode: boolean | null;
  stopAllResources: boolean | null;
  /** node -> resource id -> migration-threshold (Infinity for INFINITY), as crm_mon prints it. */
  migrationThreshold: Record<string, Record<string, number>>;
  /** crm_mon's summary last_update time, as printed (node's local time). */
  lastUpdate: string | null;
  /** The fencer's history crm_mon carries (fence_history): pending, failed and done fences, newest first. */
  fenceEvents: FenceEvent[];
}

const tri = (v: string | undefined): boolean | null => (v === 'true' ? true : v === 'false' ? false : null);
const num = (v: string): number => (v === 'INFINITY' || v === '+INFINITY' ? Number.POSITIVE_INFINITY : Number(v));

export function parseCrmMonExtras(xml: string): CrmMonExtras | null {
  const doc = parseXml(xml);
  if (doc === null || (doc.name !== 'pacemaker-result' && doc.name !== 'crm_mon')) return null;
  const summary = childEl(doc, 'summary');
  const opts = childEl(summary, 'cluster_options');
  const migrationThreshold: Record<string, Record<string, number>> = {};
  for (const n of childEls(childEl(doc, 'node_history'), 'node')) {
    const per: Record<string, number> = (migrationThreshold[n.attrs['name'] ?? ''] ??= {});
    for (const r of childEls(n, 'resource_history')) {
      const mt = r.attrs['migration-threshold'];
      if (mt !== undefined) per[r.attrs['id'] ?? ''] = num(mt);
    }
  }
  return {
    stonithEnabled: tri(opts?.attrs['stonith-enabled']),
    maintenanceMode: tri(opts?.attrs['maintenance-mode']),
    stopAllResources: tri(opts?.attrs['stop-all-resources']),
    migrationThreshold,
    lastUpdate: childEl(summary, 'last_update')?.attrs['time'] ?? null,
    fenceEvents: fenceEventsOf(doc) ?? [],
  };
}
