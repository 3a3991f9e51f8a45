// What crm_simulate prints, read: the actions one run decided and the cluster status it started from.
import { parseCrmMon, type CrmStatus } from '../probes/crm-mon.js';
import { childEl, parseXml } from '../probes/xml.js';

/**
 * What one `crm_simulate --output-as=xml -A` run says: the actions it decided (as crm_simulate's text
 * summary words them: "Move p_vip (nfs1 -> nfs2)") and the cluster status it started from, which is
 * crm_mon's own cluster-status output (same formatter, same parser). Pure.
 */
export function parseSimulation(xml: string): { actions: string[]; status: CrmStatus } | null {
  const root = parseXml(xml);
  if (!root || root.name !== 'pacemaker-result') return null;
  const actions: string[] = [];
  for (const a of childEl(root, 'actions')?.children ?? []) {
    const t = a.attrs;
    if (a.name === 'rsc_action') {
      const verb = (t['action'] ?? '').replace(/^./, (c) => c.toUpperCase());
      const roles = t['next-role'] ? `${t['role']} -> ${t['next-role']} ` : '';
      const where = t['dest'] ? `${t['source']} -> ${t['dest']}` : (t['node'] ?? t['source'] ?? '');
      actions.push(`${verb} ${t['resource']} (${roles}${where})`);
    } else if (a.name === 'node_action') {
      // task reads e.g. "Fence (reboot)"
      actions.push(`${t['task'] ?? 'Fence'} ${t['node']}`);
    }
  }
  const inner = /<cluster_status>([\s\S]*?)<\/cluster_status>/.exec(xml)?.[1];
  const mon = inner === undefined ? null : parseCrmMon(`<pacemaker-result>${inner}</pacemaker-result>`);
  return mon?.ok ? { actions, status: mon } : null;
}
