// cib.xml: the whole Pacemaker configuration, loadable with `cibadmin --replace --xml-file cib.xml`
// (or checked offline with crm_verify / played with crm_simulate). Pure: answers in, text out.
import type { Answers } from '../answers/schema.js';
import { buildCibModel, type CibModel, type Clone, type Constraint, type Primitive } from './cib-model.js';

/**
 * pacemaker-3.7 is the oldest schema that accepts the Promoted/Unpromoted role names (Pacemaker 2.1.0):
 * the oldest we can name keeps the file loadable on every 2.1 and 3.x release; each upgrades it on load.
 */
export const CIB_SCHEMA = 'pacemaker-3.7';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

type Attrs = Record<string, string | undefined>;

function tag(name: string, attrs: Attrs, children?: string[], indent = ''): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (!children || children.length === 0) return `${indent}<${name}${a}/>`;
  return `${indent}<${name}${a}>\n${children.join('\n')}\n${indent}</${name}>`;
}

function nvpairs(setTag: string, id: string, pairs: [string, string][], indent: string): string[] {
  if (pairs.length === 0) return [];
  return [
    tag(
      setTag,
      { id },
      pairs.map(([k, v]) => tag('nvpair', { id: `${id}-${k}`, name: k, value: v }, undefined, `${indent}  `)),
      indent,
    ),
  ];
}

function primitiveXml(p: Primitive, indent: string): string {
  const ops = p.ops.map((o) =>
    tag(
      'op',
      {
        id: `${p.id}-${o.name}-${o.interval}${o.role ? `-${o.role}` : ''}`,
        name: o.name,
        interval: o.interval,
        timeout: o.timeout,
        role: o.role,
      },
      undefined,
      `${indent}    `,
    ),
  );
  return tag(
    'primitive',
    { id: p.id, class: p.class, provider: p.provider, type: p.type },
    [...nvpairs('instance_attributes', `${p.id}-instance_attributes`, p.params, `${indent}  `), tag('operations', {}, ops, `${indent}  `)],
    indent,
  );
}

function cloneXml(c: Clone, indent: string): string {
  return tag('clone', { id: c.id }, [...nvpairs('meta_attributes', `${c.id}-meta_attributes`, c.meta, `${indent}  `), primitiveXml(c.primitive, `${indent}  `)], indent);
}

/** The resources a constraint names. */
function constraintRefs(c: Constraint): string[] {
  switch (c.kind) {
    case 'colocation':
      return [c.rsc, c.withRsc];
    case 'order':
      return [c.first, c.then];
    case 'location':
    case 'location-rule':
      return [c.rsc];
  }
}

function constraintXml(c: Constraint, indent: string): string {
  switch (c.kind) {
    case 'colocation':
      return tag('rsc_colocation', { id: c.id, rsc: c.rsc, 'with-rsc': c.withRsc, 'with-rsc-role': c.withRscRole, score: c.score }, undefined, indent);
    case 'order':
      return tag('rsc_order', { id: c.id, first: c.first, 'first-action': c.firstAction, then: c.then, 'then-action': c.thenAction, kind: c.type }, undefined, indent);
    case 'location':
      return tag('rsc_location', { id: c.id, rsc: c.rsc, node: c.node, score: c.score }, undefined, indent);
    case 'location-rule': {
      const exprs = c.expressions.map((e, i) =>
        tag(
          'expression',
          {
            id: `${c.ruleId}-expr-${i + 1}`,
            attribute: e.attribute,
            operation: e.operation,
            value: 'value' in e ? e.value : undefined,
            type: 'type' in e ? e.type : undefined,
          },
          undefined,
          `${indent}    `,
        ),
      );
      const score = 'score' in c.score ? { score: c.score.score } : { 'score-attribute': c.score.scoreAttribute };
      // The role goes on the rule: Pacemaker ignores rsc_location's own role when the constraint has a
      // rule (Pacemaker 2.1 and 3.0; the maintainers' words in ClusterLabs/pacemaker#3409). On the
      // constraint it would apply to every role: DRBD could not even start before reporting a score.
      // The rehearsal's cold-start scenario catches exactly that.
      return tag('rsc_location', { id: c.id, rsc: c.rsc }, [tag('rule', { id: c.ruleId, role: c.role, ...score, 'boolean-op': c.booleanOp }, exprs, `${indent}  `)], indent);
    }
  }
}

/** A crm_config section holding only these cluster properties (what `cibadmin --modify` merges in). */
export function renderCrmConfigXml(pairs: [string, string][]): string {
  return `${tag('crm_config', {}, nvpairs('cluster_property_set', 'cib-bootstrap-options', pairs, '  '))}\n`;
}
/**
 * What a fresh cluster is given before the whole configuration (plan.ts): 'ping', the ping clone and the
 * fence devices, once both nodes are online; 'held', everything, the NFS group held stopped
 * (target-role=Stopped), once DRBD is handed over.
 */
export type EarlyCib = 'ping' | 'held';

export function renderCibModelXml(m: CibModel, only?: EarlyCib): string {
  const i2 = '    ';
  const held = only === 'held' ? nvpairs('meta_attributes', `${m.group.id}-meta_attributes`, [['target-role', 'Stopped']], `${i2}    `) : [];
  const resources = [
    ...m.stonith.map((p) => primitiveXml(p, `${i2}  `)),
    ...(only === 'ping' ? [] : [
      cloneXml(m.drbd, `${i2}  `),
      tag('group', { id: m.group.id }, [...held, ...m.group.members.map((p) => primitiveXml(p, `${i2}    `))], `${i2}  `),
    ]),
    cloneXml(m.ping, `${i2}  `),
  ];
  // Only the constraints among the resources given: early, the fence devices' "never on the node it
  // fences" (with stonith-enabled Pacemaker starts nothing, the ping clone included, while no fence device
  // is defined).
  const given = new Set([...m.stonith.map((p) => p.id), ...(only === 'ping' ? [] : [m.drbd.id, m.group.id]), m.ping.id]);
  const constraints = m.constraints.filter((c) => constraintRefs(c).every((id) => given.has(id)));
  const configuration = [
    tag('crm_config', {}, nvpairs('cluster_property_set', 'cib-bootstrap-options', m.properties, `${i2}  `), i2),
    // Empty: Pacemaker adds each node as it joins, under the name corosync.conf gives it.
    tag('nodes', {}, undefined, i2),
    tag('resources', {}, resources, i2),
    tag('constraints', {}, constraints.map((c) => constraintXml(c, `${i2}  `)), i2),
    tag('rsc_defaults', {}, nvpairs('meta_attributes', 'rsc-options', m.rscDefaults, `${i2}  `), i2),
  ];
  return (
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- Generated by hanfs-wizard from the answers file: regenerate it rather than editing it by hand. -->',
      tag('cib', { 'validate-with': CIB_SCHEMA, epoch: '1', num_updates: '0', admin_epoch: '0' }, [tag('configuration', {}, configuration, '  '), tag('status', {}, undefined, '  ')]),
    ].join('\n') + '\n'
  );
}

/**
 * The configuration a fresh cluster gets before the whole one (EarlyCib), with the same cluster properties
 * and resource defaults and the constraints among the resources given: plan.ts, cluster/cib-ping and
 * cluster/cib-held.
 */
export function renderEarlyCibXml(a: Answers, only: EarlyCib): string {
  return renderCibModelXml(buildCibModel(a), only);
}

/** The complete CIB for these answers. */
export function renderCibXml(a: Answers): string {
  return renderCibModelXml(buildCibModel(a));
}

/**
 * One configuration's CIB as an export (and the plan in it) uses it: the model built once, and the whole
 * and the early XML rendered from that one model. The files, setup scripts and plan of one export are
 * given this instead of the answers, so an export builds the model once (test/generate/export-layout.test.ts).
 */
export interface CibRender {
  model: CibModel;
  /** The whole CIB (cluster/cib.xml, cluster/cib). */
  xml: string;
  early: Record<EarlyCib, string>;
}

export function renderCib(a: Answers, model: CibModel = buildCibModel(a)): CibRender {
  return { model, xml: renderCibModelXml(model), early: { ping: renderCibModelXml(model, 'ping'), held: renderCibModelXml(model, 'held') } };
}
