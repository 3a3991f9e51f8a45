// The quorum device (issue 26, point 6): corosync.conf with a device section parsed by corosync's own
// parser (`corosync -t`) as each node, no two_node beside it, and the certificate setup run step by step
// with the real corosync-qnetd-certutil / corosync-qdevice-net-certutil, each "host" a private mount
// namespace whose /etc/corosync is its own directory.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import type { Answers } from '../../src/answers/schema.js';
import { renderCorosyncConf } from '../../src/generate/corosync-conf.js';
import { NODE_P12, QNETD_CA, clusterCertificate, qdeviceCertificateSteps } from '../../src/generate/qdevice.js';
import { validateCorosyncConf } from '../helpers/validators/corosync.js';
import { describeRun, runTool } from '../helpers/validators/run.js';

const EXAMPLE = readFileSync('examples/answers.yaml', 'utf8');
const withDevice = (device: string) => EXAMPLE.replace(/^cluster:\n/m, `cluster:\n  quorumDevice: ${device}\n`);

function load(text: string): Answers {
  const r = parseAnswersText(text);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.answers;
}

describe('corosync.conf with a quorum device', () => {
  const a = load(withDevice('{ host: 192.168.1.5, algorithm: lms }'));
  const text = renderCorosyncConf(a);

  it('corosync -t accepts it as each node', () => {
    for (const n of a.nodes) {
      const v = validateCorosyncConf(text, n.name);
      expect(v.ok, v.output).toBe(true);
    }
  });

  it('has the device section and no two_node', () => {
    const quorum = /quorum \{[\s\S]*?\n\}/.exec(text)![0];
    expect(quorum).toMatch(/device \{\s*model: net\s*votes: 1\s*net \{\s*host: 192\.168\.1\.5\s*port: 5403\s*algorithm: lms\s*tls: on/);
    expect(quorum).not.toMatch(/^\s*two_node/m);
  });

  it('defaults to port 5403 and ffsplit, and without a device keeps two_node', () => {
    expect(renderCorosyncConf(load(withDevice('{ host: qnetd.example.com }')))).toMatch(/host: qnetd\.example\.com\s*port: 5403\s*algorithm: ffsplit/);
    expect(renderCorosyncConf(load(EXAMPLE))).toMatch(/two_node: 1/);
  });

  it('refuses a bad host with one error naming the field', () => {
    const r = parseAnswersText(withDevice('{ host: "not a host" }'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['cluster.quorumDevice.host']);
  });
});

describe('qdevice certificate setup', () => {
  const root = mkdtempSync(join(tmpdir(), 'hanfs-qdevice-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const a = load(withDevice('{ host: 192.168.1.5 }'));
  // Every host's /etc/corosync and the directory files are carried to, kept on the host's disk under root.
  const hostDir = (host: string, path: string) => join(root, host, path);

  it('runs with the real certutil frontends and ends with the same signed certificate on both nodes', () => {
    for (const step of qdeviceCertificateSteps(a)) {
      if (step.kind === 'carry') {
        const to = hostDir(step.to, step.dest);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(hostDir(step.from, step.path), to);
        continue;
      }
      for (const d of ['etc/corosync', 'var/lib/hanfs-wizard']) mkdirSync(hostDir(step.host, d), { recursive: true });
      // This host's /etc/corosync and /var/lib/hanfs-wizard, in a private mount namespace.
      const script = 'mount --bind "$1/etc/corosync" /etc/corosync && mkdir -p /var/lib/hanfs-wizard && mount --bind "$1/var/lib/hanfs-wizard" /var/lib/hanfs-wizard && shift && exec "$@"';
      const r = runTool(['unshare', '-m', 'sh', '-c', script, 'sh', join(root, step.host), ...step.argv]);
      expect(r.missing, r.missing).toBeUndefined();
      expect(r.code, describeRun(`${step.host}: ${step.argv.join(' ')}`, r)).toBe(0);
    }
    const file = (host: string, path: string) => readFileSync(hostDir(host, path.replace(/^\//, '')));
    expect(file('qnetd', QNETD_CA).length).toBeGreaterThan(0);
    expect(file('qnetd', clusterCertificate(a.cluster.name)).toString()).toMatch(/BEGIN CERTIFICATE|^[\x00-\xff]/);
    // Both nodes hold the cluster's certificate with its key in their database: certutil lists it.
    for (const n of a.nodes) {
      const r = runTool(['certutil', '-L', '-d', `sql:${hostDir(n.name, 'etc/corosync/qdevice/net/nssdb')}`]);
      expect(r.code, describeRun('certutil -L', r)).toBe(0);
      expect(r.stdout).toMatch(/Cluster Cert/i);
      expect(r.stdout).toMatch(/QNet CA/i);
    }
    expect(file(a.nodes[0].name, NODE_P12).equals(file(a.nodes[1].name, `/var/lib/hanfs-wizard/qdevice/qdevice-net-node.p12`))).toBe(true);
  }, 300_000);
});
