// The CIB sections apply owns, compared with and merged into the live CIB: pure text functions of the
// CIB's XML (cibadmin -Q). The engine's CIB load (src/apply/cib-load.ts) and the plan's checks use them.
/** The CIB sections apply owns, as a set of element signatures: equal sets = nothing to change. */
export function cibSection(xml: string, section: string): string | null {
  const self = new RegExp(`<${section}\\s*/>`).exec(xml);
  const m = new RegExp(`<${section}(\\s[^>]*)?>[\\s\\S]*?</${section}>`).exec(xml);
  if (m) return m[0];
  return self ? self[0] : null;
}

export function elementSignatures(section: string): string[] {
  const out: string[] = [];
  for (const m of section.matchAll(/<([A-Za-z_][\w-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*\/?>/g)) {
    const attrs = [...m[2]!.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)].map((x) => `${x[1]}=${x[2]}`).sort();
    out.push(`${m[1]} ${attrs.join(' ')}`);
  }
  return out.sort();
}

/**
 * The constraints DRBD's fence-peer handler placed (crm-fence-peer.sh / crm-fence-peer.9.sh of drbd-utils,
 * default id prefix "drbd-fence-by-handler", ids "drbd-fence-by-handler-<resource>-<promotable clone>"):
 * while the peer is outdated they forbid promoting it, and the handler removes them after its resync. Not
 * ours to compare or replace: an apply that dropped one during a replication outage would let Pacemaker
 * promote the outdated node if the Primary then failed.
 */
export function fenceHandlerConstraints(constraints: string): string[] {
  return [...constraints.matchAll(/<rsc_location\b[^>]*\bid="drbd-fence-by-handler-[^"]*"[^>]*(?<!\/)>[\s\S]*?<\/rsc_location>/g)].map((m) => m[0]);
}

function withoutFenceHandlerConstraints(constraints: string): string {
  let out = constraints;
  for (const c of fenceHandlerConstraints(constraints)) out = out.replace(c, '');
  return out;
}

/** Sections whose elements differ between the live CIB and ours (crm_config/rsc_defaults: ours must be contained). */
export function cibDifferences(live: string, ours: string): string[] {
  const diffs: string[] = [];
  for (const s of CIB_SECTIONS) {
    const liveSection = cibSection(live, s.name) ?? '';
    const l = elementSignatures(withoutEmptySets(s.name === 'constraints' ? withoutFenceHandlerConstraints(liveSection) : liveSection));
    const o = elementSignatures(withoutEmptySets(cibSection(ours, s.name) ?? ''));
    const same = s.merge ? o.every((x) => x.startsWith(`${s.name} `) || l.includes(x)) : l.join('\n') === o.join('\n');
    if (!same) diffs.push(s.name);
  }
  return diffs;
}

/**
 * An attribute set with no nvpair in it means nothing to Pacemaker, and Pacemaker's own tools leave them
 * behind: `crm_resource --restart` (which apply runs after an NFS configuration change) sets target-role in
 * a new `<meta_attributes id="<rsc>-meta_attributes">`, then deletes the nvpair and keeps the empty set.
 * Counted, it made the next apply of an unchanged cluster rewrite the CIB (seen on the lab).
 */
export function withoutEmptySets(section: string): string {
  return section.replace(/<(meta_attributes|instance_attributes|utilization)\b[^>]*?(?:\/>|>\s*<\/\1>)/g, '');
}

/** crm_config and rsc_defaults are merged (Pacemaker keeps its own properties there); the rest replaced. */
export const CIB_SECTIONS = [
  { name: 'crm_config', merge: true },
  { name: 'rsc_defaults', merge: true },
  { name: 'resources', merge: false },
  { name: 'constraints', merge: false },
] as const;

/** Does this CIB (a whole one, or its resources section) hold any resource? */
export function cibHasResources(cib: string): boolean {
  return /<primitive\b/.test(cibSection(cib, 'resources') ?? '');
}

/** The ids of every resource in this CIB's resources section: primitives, clones, groups, bundles. */
export function cibResourceIds(cib: string): string[] {
  const res = cibSection(cib, 'resources') ?? '';
  return [...res.matchAll(/<(?:primitive|clone|master|group|bundle)\b[^>]*?\bid="([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * The live CIB's <configuration> with ours merged in: resources, constraints and rsc_defaults replaced by
 * ours (constraints keep the DRBD fence-peer handler's, if any); crm_config keeps Pacemaker's own
 * properties (dc-version, cluster-infrastructure...) and gets ours (same name: ours wins); nodes and every
 * other section stay as they are.
 */
export function mergeCibConfiguration(live: string, ours: string): string | null {
  const cfg = cibSection(live, 'configuration');
  if (cfg === null) return null;
  let out = cfg.endsWith('/>') ? '<configuration>\n</configuration>' : cfg;
  const put = (name: string, xml: string) => {
    const cur = cibSection(out, name);
    // Replacer functions: the XML (fence agents' passwords included) may hold "$&" and the like.
    out = cur !== null ? out.replace(cur, () => xml) : out.replace('</configuration>', () => `${xml}\n</configuration>`);
  };
  // The fence-peer handler's constraints stay (fenceHandlerConstraints): its own unfence removes them.
  const fences = fenceHandlerConstraints(cibSection(out, 'constraints') ?? '');
  const oursCons = cibSection(ours, 'constraints') ?? '<constraints/>';
  const constraints = fences.length === 0 ? oursCons
    : oursCons.endsWith('/>') ? `<constraints>\n${fences.join('\n')}\n</constraints>`
    : oursCons.replace(/<\/constraints>$/, () => `${fences.join('\n')}\n</constraints>`);
  put('resources', cibSection(ours, 'resources') ?? '<resources/>');
  put('constraints', constraints);
  put('rsc_defaults', cibSection(ours, 'rsc_defaults') ?? '<rsc_defaults/>');
  const ourSet = /<cluster_property_set id="cib-bootstrap-options">([\s\S]*?)<\/cluster_property_set>/.exec(cibSection(ours, 'crm_config') ?? '');
  if (ourSet) {
    const ourPairs = [...ourSet[1]!.matchAll(/<nvpair\b[^>]*\/>/g)].map((m) => m[0]);
    const names = new Set(ourPairs.map((p) => /\bname="([^"]*)"/.exec(p)?.[1]));
    const crm = cibSection(out, 'crm_config');
    const liveSet = crm ? /<cluster_property_set\b[^>]*\bid="cib-bootstrap-options"[^>]*>([\s\S]*?)<\/cluster_property_set>/.exec(crm) : null;
    let nextCrm: string;
    if (crm && liveSet) {
      const kept = [...liveSet[1]!.matchAll(/<nvpair\b[^>]*\/>/g)].map((m) => m[0]).filter((p) => !names.has(/\bname="([^"]*)"/.exec(p)?.[1]));
      const open = /^<cluster_property_set\b[^>]*>/.exec(liveSet[0])![0];
      nextCrm = crm.replace(liveSet[0], () => `${open}\n${[...kept, ...ourPairs].join('\n')}\n</cluster_property_set>`);
    } else {
      const inner = ourSet[0];
      nextCrm = crm && !crm.endsWith('/>') ? crm.replace('</crm_config>', () => `${inner}\n</crm_config>`) : `<crm_config>\n${inner}\n</crm_config>`;
    }
    put('crm_config', nextCrm);
  }
  return `${out}\n`;
}
