// What the monitor needs from the CIB (`cibadmin -Q`): the topology the cluster declares (DRBD resources,
// filesystems, exports, virtual IPs, ping targets), the location constraints a move/ban or DRBD's
// fence-peer handler left, and each resource's migration-threshold. Pure: XML text in, facts out. Only
// the configuration section is read; the status section (operation history) is crm_mon's business.
import { childEl, childEls, descendants, parseXml, type XmlEl } from './xml.js';

export interface CibPrimitive {
  id: string;
  /** class:provider:type, e.g. ocf:linbit:drbd. */
  agent: string;
  params: Record<string, string>;
  meta: Record<string, string>;
}

export interface CibLocation {
  id: string;
  rsc: string | null;
  node: string | null;
  score: string | null;
  /** cli-prefer (crm_resource --move), cli-ban (--ban), drbd-fence (DRBD's fence-peer handler), other. */
  kind: 'cli-prefer' | 'cli-ban' | 'drbd-fence' | 'other';
}

export interface CibFacts {
  primitives: CibPrimitive[];
  locations: CibLocation[];
  /** rsc_defaults meta attributes (migration-threshold, resource-stickiness...). */
  rscDefaults: Record<string, string>;
  clusterOptions: Record<string, string>;
}

export type CibFactsResult = { ok: true; facts: CibFacts } | { ok: false; error: string };

function nvpairs(el: XmlEl | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!el) return out;
  for (const set of el.children) {
    for (const nv of childEls(set, 'nvpair')) if (nv.attrs['name'] !== undefined) out[nv.attrs['name']] = nv.attrs['value'] ?? '';
  }
  return out;
}

function kindOf(id: string): CibLocation['kind'] {
  if (id.startsWith('cli-prefer-')) return 'cli-prefer';
  if (id.startsWith('cli-ban-')) return 'cli-ban';
  // crm-fence-peer.sh / crm-fence-peer.9.sh name their constraint drbd-fence-by-handler-<resource>-<id>.
  if (id.startsWith('drbd-fence-by-handler-')) return 'drbd-fence';
  return 'other';
}

export function parseCibFacts(xml: string): CibFactsResult {
  const doc = parseXml(xml);
  if (doc === null || doc.name !== 'cib') return { ok: false, error: 'not a CIB (cibadmin -Q output)' };
  const conf = childEl(doc, 'configuration');
  if (!conf) return { ok: false, error: 'CIB without a configuration section' };
  const primitives: CibPrimitive[] = descendants(childEl(conf, 'resources') ?? { name: '', attrs: {}, children: [], text: '' })
    .filter((e) => e.name === 'primitive')
    .map((p) => ({
      id: p.attrs['id'] ?? '',
      agent: [p.attrs['class'], p.attrs['provider'], p.attrs['type']].filter((x) => x !== undefined).join(':'),
      params: nvpairs({ ...p, children: childEls(p, 'instance_attributes') }),
      meta: nvpairs({ ...p, children: childEls(p, 'meta_attributes') }),
    }));
  const locations: CibLocation[] = childEls(childEl(conf, 'constraints'), 'rsc_location').map((l) => {
    const id = l.attrs['id'] ?? '';
    // A rule-based constraint (the fence-peer handler's) names the node in its expression.
    const expr = descendants(l).find((e) => e.name === 'expression' && e.attrs['attribute'] === '#uname');
    const rule = childEl(l, 'rule');
    return { id, rsc: l.attrs['rsc'] ?? null, node: l.attrs['node'] ?? expr?.attrs['value'] ?? null, score: l.attrs['score'] ?? rule?.attrs['score'] ?? null, kind: kindOf(id) };
  });
  return {
    ok: true,
    facts: {
      primitives,
      locations,
      rscDefaults: nvpairs(childEl(conf, 'rsc_defaults')),
      clusterOptions: nvpairs(childEl(conf, 'crm_config')),
    },
  };
}

/** What the CIB says should exist: the same shape the answers give (expected.ts). */
export function cibTopology(f: CibFacts): { drbdResources: string[]; mounts: string[]; exports: string[]; vips: string[]; pingTargets: string[] } {
  const by = (suffix: string) => f.primitives.filter((p) => p.agent.endsWith(suffix));
  return {
    drbdResources: by(':drbd').map((p) => p.params['drbd_resource']).filter((x): x is string => !!x),
    mounts: by(':Filesystem').map((p) => p.params['directory']).filter((x): x is string => !!x),
    exports: by(':exportfs').map((p) => p.params['directory']).filter((x): x is string => !!x),
    vips: by(':IPaddr2').map((p) => p.params['ip']).filter((x): x is string => !!x),
    pingTargets: by(':ping').flatMap((p) => (p.params['host_list'] ?? '').split(/\s+/)).filter((x) => x !== ''),
  };
}
