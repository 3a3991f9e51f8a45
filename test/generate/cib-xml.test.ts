// cib.xml for the example and every varied answers file: xmllint, crm_verify and each resource's
// parameters against its agent's metadata (the real tools), then what the file must say for each answer.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { nfsStateDir } from '../../src/answers/derived.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { pingMultiplier } from '../../src/generate/cib-model.js';
import { childEl, childEls, descendants, parseXml, type XmlEl } from '../../src/probes/xml.js';
import { checkParameters, validateCib } from '../helpers/validators/pacemaker.js';

const EXAMPLE_FILES = ['examples/answers.yaml', ...readdirSync('examples/varied').filter((f) => f.endsWith('.yaml')).sort().map((f) => join('examples/varied', f))];

async function load(file: string): Promise<Answers> {
  const r = await loadAnswersFile(file);
  if (!r.ok) throw new Error(`${file}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return r.answers;
}

const byId = (root: XmlEl, id: string) => descendants(root).find((e) => e.attrs['id'] === id);
const params = (p: XmlEl | undefined) => Object.fromEntries(childEls(childEl(p, 'instance_attributes'), 'nvpair').map((n) => [n.attrs['name'], n.attrs['value']]));
const meta = (p: XmlEl | undefined) => Object.fromEntries(childEls(childEl(p, 'meta_attributes'), 'nvpair').map((n) => [n.attrs['name'], n.attrs['value']]));
const primitivesOfType = (root: XmlEl, type: string) => descendants(root).filter((e) => e.name === 'primitive' && e.attrs['type'] === type);

describe.each(EXAMPLE_FILES)('cib.xml for %s', (file) => {
  let a: Answers;
  let xml: string;
  let root: XmlEl;
  beforeAll(async () => {
    a = await load(file);
    xml = renderCibXml(a);
    root = parseXml(xml)!;
  });

  it('passes xmllint, crm_verify and the agents\' parameter metadata', async () => {
    expect(await validateCib(xml)).toEqual([]);
  }, 60_000);

  it('is a promotable DRBD clone with one Promoted instance, in Pacemaker 2.1/3.0 vocabulary only', () => {
    const clone = root && descendants(root).find((e) => e.name === 'clone' && childEl(e, 'primitive')?.attrs['type'] === 'drbd');
    expect(meta(clone)).toMatchObject({ promotable: 'true', 'promoted-max': '1', 'promoted-node-max': '1', 'clone-max': '2', notify: 'true' });
    expect(params(childEl(clone, 'primitive'))).toEqual({ drbd_resource: a.drbd.resource });
    // Removed or deprecated in 3.0: master resources, Master/Slave roles, master-max, per-resource stickiness.
    expect(xml).not.toMatch(/<master\b|"Master"|"Slave"|master-max|master-node-max/);
    const resourceMetas = descendants(root).filter((e) => e.name === 'primitive' || e.name === 'group' || e.name === 'clone').map(meta);
    expect(resourceMetas.some((m) => 'resource-stickiness' in m)).toBe(false);
    expect(root.attrs['validate-with']).toMatch(/^pacemaker-3\.\d+$/);
  });

  it('mounts the DRBD device, runs nfsserver, the exports and the IP as the answers say', () => {
    expect(params(primitivesOfType(root, 'Filesystem')[0])).toEqual({ device: a.drbd.device, directory: a.filesystem.mount, fstype: a.filesystem.type });
    const nfs = params(primitivesOfType(root, 'nfsserver')[0]);
    const vip = a.virtualIp.address.split('/')[0];
    // The state directory on the replicated filesystem for every version: NFSv3's statd monitor list
    // (the clients to notify after a move) lives there as much as NFSv4's client records.
    expect(nfs['nfs_shared_infodir']).toBe(nfsStateDir(a));
    // With NFSv3, nfsserver's own sm-notify is off (it would run before the VIP exists and notify nobody);
    // nfsnotify, after the IP, notifies from the VIP. nfs_ip only fed that notification.
    expect(nfs['nfs_no_notify']).toBe(a.nfs.versions.includes(3) ? 'true' : undefined);
    expect(nfs['nfs_ip']).toBeUndefined();
    // The server scope comes from apply's persistent drop-in (nfs-conf.test.ts), not the agent's
    // parameter, which reloads systemd at every start and stop.
    expect(nfs['nfs_server_scope']).toBeUndefined();
    const notify = primitivesOfType(root, 'nfsnotify');
    expect(notify.length).toBe(a.nfs.versions.includes(3) ? 1 : 0);
    if (notify[0]) expect(params(notify[0])).toEqual({ source_host: vip });
    const exports = primitivesOfType(root, 'exportfs').map(params);
    expect(exports.map((e) => [e['directory'], e['clientspec'], e['options']])).toEqual(a.nfs.exports.map((e) => [e.path, e.clients, e.options]));
    expect(new Set(exports.map((e) => e['fsid'])).size).toBe(exports.length);
    expect(params(primitivesOfType(root, 'IPaddr2')[0])).toEqual({ ip: vip, cidr_netmask: a.virtualIp.address.split('/')[1], nic: a.virtualIp.interface });
  });

  it('starts in the stack\'s order (one group after DRBD\'s promotion) and keeps it with the Promoted instance', () => {
    const group = descendants(root).find((e) => e.name === 'group')!;
    const types = childEls(group, 'primitive').map((p) => p.attrs['type']);
    const expected = ['Filesystem', 'nfsserver', ...a.nfs.exports.map(() => 'exportfs'), 'IPaddr2', ...(a.nfs.versions.includes(3) ? ['nfsnotify'] : [])];
    expect(types).toEqual(expected);
    const cloneId = descendants(root).find((e) => e.name === 'clone' && childEl(e, 'primitive')?.attrs['type'] === 'drbd')!.attrs['id'];
    const col = descendants(root).find((e) => e.name === 'rsc_colocation')!;
    expect(col.attrs).toMatchObject({ rsc: group.attrs['id'], 'with-rsc': cloneId, 'with-rsc-role': 'Promoted', score: 'INFINITY' });
    const ord = descendants(root).find((e) => e.name === 'rsc_order')!;
    expect(ord.attrs).toMatchObject({ first: cloneId, 'first-action': 'promote', then: group.attrs['id'], 'then-action': 'start', kind: 'Mandatory' });
  });

  it('pings the targets and applies the whenAllLost rule', () => {
    const ping = primitivesOfType(root, 'ping')[0];
    // timeout: ping's reply wait, which the agent otherwise derives from the monitor's timeout (cib-ping.test.ts).
    expect(params(ping)).toMatchObject({ host_list: a.ping.targets.join(' '), multiplier: '1000', dampen: '5s', timeout: '2' });
    // Every 10 s: a cut service link is seen within the interval + one ping run + dampen (docs/ha-tuning.md).
    const monitors = childEls(childEl(ping, 'operations'), 'op').filter((o) => o.attrs['name'] === 'monitor');
    expect(monitors.map((o) => o.attrs['interval'])).toEqual(['10s']);
    const group = descendants(root).find((e) => e.name === 'group')!.attrs['id'];
    const rules = descendants(root).filter((e) => e.name === 'rsc_location' && e.attrs['rsc'] === group).map((l) => childEl(l, 'rule')!);
    expect(rules).toHaveLength(1);
    const exprs = childEls(rules[0], 'expression').map((e) => `${e.attrs['operation']} ${e.attrs['attribute']} ${e.attrs['value'] ?? ''}`.trim());
    if (a.ping.whenAllLost === 'stop') {
      expect(rules[0]!.attrs).toMatchObject({ score: '-INFINITY', 'boolean-op': 'or' });
      expect(exprs.sort()).toEqual(['lte pingd 0', 'not_defined pingd']);
    } else {
      expect(rules[0]!.attrs['score-attribute']).toBe('pingd');
      expect(exprs).toEqual(['defined pingd']);
    }
  });

  it('never promotes DRBD without UpToDate data, with the role on the rule where Pacemaker reads it', () => {
    const guard = descendants(root).find((e) => e.name === 'rsc_location' && childEl(e, 'rule')?.attrs['role'] === 'Promoted');
    expect(guard).toBeDefined();
    expect(guard!.attrs['role']).toBeUndefined();
    const rule = childEl(guard, 'rule')!;
    expect(rule.attrs).toMatchObject({ score: '-INFINITY', 'boolean-op': 'or' });
    const attr = `master-${childEl(descendants(root).find((e) => e.name === 'clone' && childEl(e, 'primitive')?.attrs['type'] === 'drbd'), 'primitive')!.attrs['id']}`;
    expect(childEls(rule, 'expression').map((e) => `${e.attrs['operation']} ${e.attrs['attribute']} ${e.attrs['value'] ?? ''}`.trim()).sort()).toEqual([`lte ${attr} 0`, `not_defined ${attr}`]);
  });

  it('fences per answers, never from the node itself, with stickiness and quorum policy set', () => {
    const props = Object.fromEntries(descendants(childEl(childEl(root, 'configuration'), 'crm_config')!).filter((e) => e.name === 'nvpair').map((n) => [n.attrs['name'], n.attrs['value']]));
    const devices = descendants(root).filter((e) => e.name === 'primitive' && e.attrs['class'] === 'stonith');
    if (a.pacemaker.stonith === 'none') {
      expect(props['stonith-enabled']).toBe('false');
      expect(devices).toHaveLength(0);
    } else {
      const sto = a.pacemaker.stonith;
      if (!('nodes' in sto)) throw new Error('the examples fence with an agent');
      expect(props['stonith-enabled']).toBe('true');
      expect(devices.map((d) => params(d)['pcmk_host_list']).sort()).toEqual(a.nodes.map((n) => n.name).sort());
      for (const d of devices) {
        const node = params(d)['pcmk_host_list']!;
        expect(d.attrs['type']).toBe(sto.agent);
        expect(params(d)).toMatchObject(sto.nodes[node]!);
        const ban = descendants(root).find((e) => e.name === 'rsc_location' && e.attrs['rsc'] === d.attrs['id']);
        expect(ban?.attrs).toMatchObject({ node, score: '-INFINITY' });
      }
    }
    expect(props['no-quorum-policy']).toBe('stop');
    // The controller's throttle and start-up wait: the answers' pacemaker.tuning, else Pacemaker's own
    // defaults (docs/ha-tuning.md).
    expect(props['load-threshold']).toBe(a.pacemaker.tuning.loadThreshold);
    expect(props['node-action-limit']).toBe(String(a.pacemaker.tuning.nodeActionLimit));
    expect(props['dc-deadtime']).toBe(a.pacemaker.tuning.dcDeadtime);
    const defaults = Object.fromEntries(descendants(childEl(childEl(root, 'configuration'), 'rsc_defaults')!).filter((e) => e.name === 'nvpair').map((n) => [n.attrs['name'], n.attrs['value']]));
    expect(defaults['resource-stickiness']).toBe(String(a.pacemaker.stickiness));
  });
});

describe('pingMultiplier', () => {
  it('is 1000 until stickiness over the group and DRBD reaches it, then the next thousand above', () => {
    expect(pingMultiplier(0, 5)).toBe(1000);
    expect(pingMultiplier(100, 5)).toBe(1000);
    expect(pingMultiplier(300, 5)).toBe(2000);
    expect(pingMultiplier(1000, 5)).toBe(7000);
  });
});

describe('the Pacemaker validators bite', () => {
  let xml: string;
  beforeAll(async () => {
    xml = renderCibXml(await load('examples/answers.yaml'));
  });
  it('xmllint refuses malformed XML that crm_verify would accept', async () => {
    const problems = await validateCib(xml.replace('</group>', ''));
    expect(problems[0]).toMatch(/^xmllint: exit [1-9]/);
  }, 30_000);
  it('crm_verify refuses a dangling reference', async () => {
    const problems = await validateCib(xml.replace('with-rsc="cl_drbd_nfsdata"', 'with-rsc="cl_nothing"'));
    expect(problems[0]).toMatch(/^crm_verify: exit [1-9]/);
  }, 30_000);
  it('the metadata check finds an unknown parameter and a missing required one', async () => {
    const bad = xml.replace('name="nfs_shared_infodir"', 'name="nfs_ipaddress"').replace(/<nvpair id="[^"]*" name="drbd_resource" value="[^"]*"\/>/, '');
    expect(await checkParameters(bad)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/p_nfsserver .*unknown parameter nfs_ipaddress/),
        expect.stringMatching(/p_drbd_nfsdata .*missing required parameter drbd_resource/),
      ]),
    );
  }, 30_000);
});
