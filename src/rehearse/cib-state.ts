// Edits of a rehearsal's CIB files and the names of the attributes that model a state in them. Pure.

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A node that boots again has no resource history and no transient attributes (the controller wipes
 * both on join; agents publish again once started). crm_simulate keeps them, so they are removed here.
 */
export function forgetNodeStatus(cibXml: string, node: string): string {
  const open = new RegExp(`<node_state\\b[^>]*\\buname="${escapeRe(node)}"[^>]*>`).exec(cibXml);
  // A self-closing node_state (a fenced node, for one) holds nothing to forget.
  if (!open || open[0].endsWith('/>')) return cibXml;
  const bodyStart = open.index + open[0].length;
  const bodyEnd = cibXml.indexOf('</node_state>', bodyStart);
  if (bodyEnd < 0) return cibXml;
  const body = cibXml
    .slice(bodyStart, bodyEnd)
    .replace(/<lrm\b[\s\S]*?<\/lrm>/, '')
    .replace(/<transient_attributes\b[\s\S]*?<\/transient_attributes>/, '');
  return cibXml.slice(0, bodyStart) + body + cibXml.slice(bodyEnd);
}

/**
 * The node attribute that models "this resource already failed N times here" in a CIB file, for the
 * scheduler that plays it (its version as its crm_simulate reported it, a probed fact, never a guess).
 * Measured on the same generated CIB, a monitor failure injected (-i) on the active node on top of a
 * fail count at migration-threshold: Pacemaker 2.1.5 (Debian 12) moves the service with the
 * resource-wide `fail-count-<rsc>` and keeps it in place with the per-operation form; 3.0.0 (Debian 13)
 * moves it with the per-operation `fail-count-<rsc>#monitor_<interval ms>` (the controller's own form
 * since 1.1.17) and keeps it in place with the resource-wide one. test/trixie/rehearse.test.ts plays it.
 */
export function failCountAttribute(schedulerVersion: string, rsc: string, intervalMs: number): string {
  const major = Number(/^(\d+)\./.exec(schedulerVersion)?.[1] ?? '0');
  return major >= 3 ? `fail-count-${rsc}#monitor_${intervalMs}` : `fail-count-${rsc}`;
}
