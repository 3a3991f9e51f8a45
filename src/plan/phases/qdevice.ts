// Phase: the quorum device (issue 26, point 6), when the answers configure one and give the qnetd host's
// SSH target (cluster.quorumDevice.ssh): corosync-qnetd installed and running there, and the certificate
// setup of corosync-qdevice-net-certutil(8) in its documented order, each file carried by apply between
// the hosts (base64 over the run's own SSH connections, never an ssh of the nodes' own): the qnetd CA to
// both nodes, their databases initialised, the first node's request signed by qnetd for the cluster's
// name, imported there and exported with its key to the second node. corosync.conf's device section is
// the config files' (corosync-conf.ts); corosync-qdevice is enabled and started after the cluster.
import type { NodeAnswers } from '../../answers/schema.js';
import type { Argv } from '../../exec/runner.js';
import { INCOMING, NODE_CRQ, NODE_P12, QNETD_CA, clusterCertificate, qnetdLane } from '../../generate/qdevice.js';
import type { PlanContext } from '../context.js';
import { ok } from '../judges.js';
import { oneLine } from '../sh.js';
import haveProgramsSh from '../sh/have-programs.sh';
import installExtraPackagesSh from '../sh/install-extra-packages.sh';
import writeCarriedSh from '../sh/write-carried.sh';
import { step, type PlanStep, type ProbeCheck } from '../types.js';

const NODE_DB = '/etc/corosync/qdevice/net/nssdb';
/** The nickname corosync-qdevice-net-certutil gives the cluster's certificate in a node's database. */
const CLUSTER_NICKNAME = 'Cluster Cert';

const exists = (path: string, describe: string): ProbeCheck => ({ kind: 'probe', argv: ['test', '-e', path], describe, judge: ok });
const hasClusterCert: ProbeCheck = {
  kind: 'probe', argv: ['certutil', '-L', '-d', `sql:${NODE_DB}`, '-n', CLUSTER_NICKNAME], describe: `the node's qdevice database holds the "${CLUSTER_NICKNAME}" certificate`, judge: ok,
};
const active = (unit: string): ProbeCheck => ({ kind: 'probe', argv: ['systemctl', 'is-active', unit], describe: `${unit} is active`, judge: (r) => r.stdout.trim() === 'active' });

/** Write a file read on another host of the run, then run `then` (both in one step). */
function carried(from: string, path: string, dest: string, what: string, then: Argv): Pick<PlanStep, 'commands' | 'stdin' | 'script'> {
  return {
    commands: [['sh', '-c', oneLine(writeCarriedSh), '--', dest], then],
    stdin: { 0: { kind: 'from-node', node: from, argv: ['base64', '-w0', path], what } },
    script: { commands: [then], stdin: {}, note: `first copy ${path} from ${from} to ${dest} here (apply carries it over its SSH connections)` },
  };
}

/** The qnetd host's own steps: its package, its database and CA, its daemon. Before anything else of the device. */
export function qnetdHost(ctx: PlanContext): PlanStep[] {
  const q = ctx.a.cluster.quorumDevice;
  if (!q?.ssh) return [];
  const host = qnetdLane(q);
  return [
    step({
      id: `${host}/packages`, node: host, title: 'install corosync-qnetd', consent: true, parallelGroup: '01-packages',
      why: `${q.host} arbitrates between the two nodes: the third vote`,
      commands: [['sh', '-c', oneLine(installExtraPackagesSh), '--', 'corosync-qnetd/corosync-qnetd']],
      check: { kind: 'probe', argv: ['sh', '-c', oneLine(haveProgramsSh), '--', 'corosync-qnetd', 'corosync-qnetd-certutil'], describe: 'corosync-qnetd is installed', judge: ok },
    }),
    step({
      id: `${host}/qnetd-ca`, node: host, title: 'create the qnetd CA', parallelGroup: '02-qnetd',
      why: 'the nodes trust certificates of this CA only (Debian\'s package creates it at install: then nothing to do)',
      commands: [['corosync-qnetd-certutil', '-i']],
      check: exists(QNETD_CA, `${QNETD_CA} exists on ${q.host}`),
    }),
    step({
      repeatable: true, id: `${host}/qnetd-start`, node: host, title: 'start corosync-qnetd', parallelGroup: '02-qnetd',
      why: `the nodes' corosync-qdevice connects to it on port ${q.port}`,
      commands: [['systemctl', 'enable', '--now', 'corosync-qnetd.service']],
      check: active('corosync-qnetd.service'),
      verify: { ...active('corosync-qnetd.service'), waitMs: 30_000 },
    }),
  ];
}

/** A node's certificate steps, in corosync-qdevice-net-certutil(8)'s order (the groups keep it across hosts). */
export function qdeviceCertificates(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const q = ctx.a.cluster.quorumDevice;
  if (!q?.ssh) return [];
  const host = qnetdLane(q);
  const name = ctx.a.cluster.name;
  const first = n === ctx.first;
  const ca = `${INCOMING}/qnetd-cacert.crt`;
  // The qnetd host's steps go with the first node's (the plan lists each group where it first runs).
  const out: PlanStep[] = [
    ...(first ? qnetdHost(ctx) : []),
    step({
      id: `${n.name}/qdevice-db`, node: n.name, title: 'create the qdevice certificate database', parallelGroup: '02-qdevice-db',
      why: `trusting the CA of qnetd on ${q.host}`,
      ...carried(host, QNETD_CA, ca, 'the qnetd CA certificate', ['corosync-qdevice-net-certutil', '-i', '-c', ca]),
      check: exists(`${NODE_DB}/cert9.db`, `${NODE_DB} exists`),
    }),
  ];
  if (first) {
    const crt = `${INCOMING}/cluster-${name}.crt`;
    out.push(
      step({
        id: `${n.name}/qdevice-request`, node: n.name, title: `request the certificate of cluster ${name}`, parallelGroup: '02-qdevice-request',
        why: 'qnetd signs it for this cluster name, which it checks against corosync.conf\'s cluster_name',
        commands: [['corosync-qdevice-net-certutil', '-r', '-n', name]],
        check: exists(NODE_CRQ, `${NODE_CRQ} exists`),
        doneIf: [`${n.name}/qdevice-import`],
      }),
      step({
        id: `${host}/qnetd-sign`, node: host, title: `sign the certificate of cluster ${name}`, parallelGroup: '02-qnetd-sign',
        why: `the request ${n.name} made`,
        ...carried(n.name, NODE_CRQ, `${INCOMING}/qdevice-net-node.crq`, `${n.name}'s certificate request`, ['corosync-qnetd-certutil', '-s', '-c', `${INCOMING}/qdevice-net-node.crq`, '-n', name]),
        check: exists(clusterCertificate(name), `${clusterCertificate(name)} exists on ${q.host}`),
      }),
      step({
        id: `${n.name}/qdevice-import`, node: n.name, title: 'import the signed certificate', parallelGroup: '02-qdevice-import',
        why: 'and export it with its key for the other node (qdevice-net-node.p12)',
        ...carried(host, clusterCertificate(name), crt, 'the signed cluster certificate', ['corosync-qdevice-net-certutil', '-M', '-c', crt]),
        check: hasClusterCert,
      }),
    );
    // The second node's import, listed here: its group first runs after the first node's import.
    const second = ctx.second.name;
    const p12 = `${INCOMING}/qdevice-net-node.p12`;
    out.push(step({
      id: `${second}/qdevice-import`, node: second, title: 'import the cluster certificate', parallelGroup: '02-qdevice-import-peer',
      why: `the same certificate and key as ${n.name}`,
      ...carried(n.name, NODE_P12, p12, `${n.name}'s exported certificate and key`, ['corosync-qdevice-net-certutil', '-m', '-c', p12]),
      check: hasClusterCert,
    }));
  }
  return out;
}

/** After the cluster start: corosync-qdevice on each node (it needs Corosync running). */
export function qdeviceRunning(ctx: PlanContext, n: NodeAnswers): PlanStep[] {
  const q = ctx.a.cluster.quorumDevice;
  if (!q?.ssh) return [];
  return [step({
    repeatable: true, id: `${n.name}/qdevice-start`, node: n.name, title: 'start corosync-qdevice', parallelGroup: '02-cluster-start',
    why: `the third vote: the half of a split that qnetd on ${q.host} chooses keeps quorum`,
    commands: [['systemctl', 'enable', '--now', 'corosync-qdevice.service']],
    check: active('corosync-qdevice.service'),
    verify: {
      ...active('corosync-qdevice.service'), waitMs: 30_000,
      advice: () => `corosync-qdevice did not start on ${n.name}: journalctl -u corosync-qdevice says why (qnetd on ${q.host}:${q.port} unreachable, or a certificate for another cluster name); corosync-qdevice-tool -s shows its state.`,
    },
  })];
}
