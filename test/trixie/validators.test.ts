// The files we generate, checked with Debian 13's own tools (Pacemaker 3.0, drbd-utils, Corosync 3.1.9,
// resource-agents 4.16), run in the trixie root: the same answers must give files both releases load.
// The Debian 12 side of each check is in test/generate/* (this machine's tools).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostAddress } from '../../src/answers/derived.js';
import { allPrimitives, buildCibModel } from '../../src/generate/cib-model.js';
import { renderCibXml, renderEarlyCibXml } from '../../src/generate/cib-xml.js';
import { renderCorosyncConf } from '../../src/generate/corosync-conf.js';
import { renderDrbdRes } from '../../src/generate/drbd-res.js';
import { renderNfsConf } from '../../src/generate/nfs-conf.js';
import { childEl, childEls, parseXml } from '../../src/probes/xml.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';
import { runInTrixie, trixiePackageVersion } from '../helpers/trixie.js';
import { corosyncRingAddresses } from '../helpers/validators/corosync.js';

const FILES = [...EXAMPLE_FILES, 'test/lab/lab-answers.yaml'];
const SECRET = 'kJ8_test-secret-not-real-3fQ';

const dir = mkdtempSync(join(tmpdir(), 'hanfs-trixie-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(name: string, text: string): string {
  const p = join(dir, `${++n}-${name}`);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
}
const shown = (r: { code: number | null; stdout: string; stderr: string; missing?: string }) => r.missing ?? `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

const metadata = new Map<string, Set<string>>();
function agentParameters(agent: string): Set<string> {
  let known = metadata.get(agent);
  if (known) return known;
  const r = runInTrixie(['crm_resource', '--show-metadata', agent]);
  expect(r.code, `crm_resource --show-metadata ${agent} in the trixie root: ${shown(r)}`).toBe(0);
  const root = parseXml(r.stdout);
  known = new Set(childEls(childEl(root ?? undefined, 'parameters'), 'parameter').map((p) => p.attrs['name'] ?? ''));
  metadata.set(agent, known);
  return known;
}

describe('the Debian 13 tools root', () => {
  it('holds the releases Debian 13 ships (the versions every check below ran with)', () => {
    // Printed so a CI log says which tools judged the files.
    const versions = ['pacemaker-cli-utils', 'drbd-utils', 'corosync', 'resource-agents', 'nfs-kernel-server'].map((p) => `${p} ${trixiePackageVersion(p)}`);
    console.log(`trixie root: ${versions.join(', ')}`);
    expect(trixiePackageVersion('pacemaker-cli-utils')).toMatch(/^3\.0\./);
    const r = runInTrixie(['crm_verify', '--version']);
    expect(r.stdout.split('\n')[0]).toBe(`Pacemaker ${trixiePackageVersion('pacemaker-cli-utils').replace(/-[^-]+$/, '')}`);
  });
});

describe.each(FILES)('%s with Debian 13 tools', (answersFile) => {
  it('cib.xml: well-formed (xmllint), valid for Pacemaker 3.0 (crm_verify -V: exit 0, nothing printed)', async () => {
    const { answers } = await loadExample(answersFile);
    const cib = file('cib.xml', renderCibXml(answers));
    const lint = runInTrixie(['xmllint', '--noout', cib], { binds: [dir] });
    expect(lint.code, shown(lint)).toBe(0);
    const v = runInTrixie(['crm_verify', '--xml-file', cib, '-V'], { binds: [dir] });
    expect(v.code, shown(v)).toBe(0);
    // -V prints warnings (deprecated syntax included) and errors: there must be none.
    expect(v.stdout + v.stderr, shown(v)).toBe('');
  });

  it("the early CIBs apply loads first (ping clone and fence devices; everything held) pass Pacemaker 3.0's crm_verify", async () => {
    const { answers } = await loadExample(answersFile);
    for (const only of ['ping', 'held'] as const) {
      const v = runInTrixie(['crm_verify', '--xml-file', file(`cib-${only}.xml`, renderEarlyCibXml(answers, only)), '-V'], { binds: [dir] });
      expect(v.code, `${only}: ${shown(v)}`).toBe(0);
      expect(v.stdout + v.stderr, shown(v)).toBe('');
    }
  });

  it('cib.xml: every resource parameter is one its resource-agents 4.16 / drbd-utils agent declares', async () => {
    const { answers } = await loadExample(answersFile);
    const unknown: string[] = [];
    // Fence agents are not in the root (fence-agents is not a validator there): their parameters are
    // checked with Debian 12's fence-agents in test/generate.
    for (const p of allPrimitives(buildCibModel(answers)).filter((x) => x.class === 'ocf')) {
      const known = agentParameters(`${p.class}:${p.provider}:${p.type}`);
      for (const [name] of p.params) if (!known.has(name)) unknown.push(`${p.id}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  it('the DRBD resource file: its drbdadm parses it in the syntax the answers name and brings it up as each node', async () => {
    const { answers: a } = await loadExample(answersFile);
    const res = file('r.res', renderDrbdRes(a, SECRET));
    // DRBD 8.4 syntax (the trixie kernel's in-tree module) goes through drbdadm-84, as on Debian 12.
    const drbdadm = a.drbd.version === '9' ? 'drbdadm' : '/usr/lib/drbd/drbdadm-84';
    const dump = runInTrixie([drbdadm, '-c', res, 'dump', 'all'], { binds: [dir] });
    expect(dump.code, shown(dump)).toBe(0);
    for (const [i, node] of a.nodes.entries()) {
      const up = runInTrixie([drbdadm, '-c', res, '-d', 'up', a.drbd.resource], { binds: [dir], env: { __DRBD_NODE__: node.name } });
      expect(up.code, shown(up)).toBe(0);
      expect(up.stdout).toContain(`${hostAddress(node.replication.address)}:${a.drbd.port}`);
      expect(up.stdout).toContain(`${hostAddress(a.nodes[1 - i]!.replication.address)}:${a.drbd.port}`);
    }
    // Every handler the file names exists in Debian 13's drbd-utils.
    const handlers = [...new Set([...renderDrbdRes(a, SECRET).matchAll(/\/usr\/lib\/drbd\/[A-Za-z0-9._-]+/g)].map((m) => m[0]))];
    expect(handlers.length).toBeGreaterThan(0);
    for (const h of handlers) {
      const t = runInTrixie(['test', '-x', h]);
      expect(t.code, `${h} in Debian 13's drbd-utils`).toBe(0);
    }
  });

  it('corosync.conf: corosync -t (3.1.9) passes as each node, in private namespaces', async () => {
    const { answers: a } = await loadExample(answersFile);
    const conf = file('corosync.conf', renderCorosyncConf(a));
    for (const node of a.nodes) {
      const addrs = corosyncRingAddresses(renderCorosyncConf(a), node.name);
      expect(addrs.length).toBeGreaterThan(0);
      const script = [
        'mount -t tmpfs -o mode=0755 tmpfs /etc/corosync',
        'mkdir -p /var/log/corosync && mount -t tmpfs -o mode=0700 tmpfs /var/log/corosync',
        'corosync-keygen -k /etc/corosync/authkey >/dev/null',
        'ip link set lo up',
        'for addr in "$@"; do ip addr add "$addr/32" dev lo; done',
        'exec corosync -t -c "$0"',
      ].join('\n');
      const r = runInTrixie(['bash', '-euc', script, conf, ...addrs], { binds: [dir], net: true });
      expect(r.code, `corosync -t as ${node.name}: ${shown(r)}`).toBe(0);
    }
  });

  it("nfs.conf: nfs-utils 2.8's nfsconf reads it without a config error", async () => {
    const { answers: a } = await loadExample(answersFile);
    const conf = file('nfs.conf', renderNfsConf(a));
    const r = runInTrixie(['nfsconf', '--file', conf, '--dump'], { binds: [dir] });
    expect(r.code, shown(r)).toBe(0);
    expect(r.stderr, shown(r)).toBe('');
  });
});

describe('the checks bite on Debian 13 too', () => {
  it('crm_verify 3.0 rejects a CIB referring to a resource that does not exist, corosync -t a duplicate nodeid', async () => {
    const { answers: a } = await loadExample('examples/answers.yaml');
    const bad = file('bad-cib.xml', renderCibXml(a).replace('with-rsc="cl_drbd_nfsdata"', 'with-rsc="cl_nowhere"'));
    const v = runInTrixie(['crm_verify', '--xml-file', bad, '-V'], { binds: [dir] });
    expect(v.code).not.toBe(0);
    const conf = file('bad-corosync.conf', renderCorosyncConf(a).replace('nodeid: 2', 'nodeid: 1'));
    const addrs = corosyncRingAddresses(renderCorosyncConf(a), 'nfs1');
    const script = 'mount -t tmpfs tmpfs /etc/corosync; mkdir -p /var/log/corosync; corosync-keygen -k /etc/corosync/authkey >/dev/null; ip link set lo up; for a in "$@"; do ip addr add "$a/32" dev lo; done; exec corosync -t -c "$0"';
    const r = runInTrixie(['bash', '-euc', script, conf, ...addrs], { binds: [dir], net: true });
    expect(r.code).not.toBe(0);
  });
});
