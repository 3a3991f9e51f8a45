// The quorum device (corosync-qdevice, net model, arbitrated by corosync-qnetd on a third host): the
// corosync.conf device section, and the certificate setup between the qnetd host and the nodes as typed
// steps (argv on one host, or a file carried from one host to another). Pure: answers in, data out.
// The steps are not part of apply's plan yet: they need a third host the plan does not reach and a
// file carried between hosts, which the engine cannot do today (docs/answers.md, cluster.quorumDevice).
import type { Answers, QuorumDevice } from '../answers/schema.js';
import type { Argv } from '../exec/runner.js';

/** The qnetd host's CA certificate, written by `corosync-qnetd-certutil -i`. */
export const QNETD_CA = '/etc/corosync/qnetd/nssdb/qnetd-cacert.crt';
/** The node's certificate request, written by `corosync-qdevice-net-certutil -r`. */
export const NODE_CRQ = '/etc/corosync/qdevice/net/nssdb/qdevice-net-node.crq';
/** The certificate and key the first node exports for the others (`-M`). */
export const NODE_P12 = '/etc/corosync/qdevice/net/nssdb/qdevice-net-node.p12';
/** Where a carried file lands on its target host. */
export const INCOMING = '/var/lib/hanfs-wizard/qdevice';

/** The qnetd host as a host of apply's run (its steps' node): never a node name, which has no "@". */
export function qnetdLane(q: Pick<QuorumDevice, 'host'>): string {
  return `qnetd@${q.host}`;
}

export function clusterCertificate(clusterName: string): string {
  return `/etc/corosync/qnetd/nssdb/cluster-${clusterName}.crt`;
}

/**
 * quorum.device for corosync.conf. votes 1: the default for two nodes (nodes - 1), and what ffsplit
 * requires. tls on (the default) with the certificates below. ffsplit (the default) gives the vote to
 * exactly one half of a split (equal halves: qnetd's tie-breakers, see corosync-qdevice(8)); the other
 * half loses quorum, stops its resources (no-quorum-policy=stop) and cannot fence, so a split never ends
 * in a fence race. lms gives it to the half that still reaches qnetd. The heartbeat timeout stays the
 * default (10 s), which the man page asks not to change.
 */
export function renderQuorumDevice(q: QuorumDevice): string {
  return `    # A third vote from corosync-qnetd on ${q.host}: the half of a split that qnetd chooses keeps quorum.
    # No two_node here: votequorum refuses it together with a quorum device.
    device {
        model: net
        votes: 1
        net {
            host: ${q.host}
            port: ${q.port}
            algorithm: ${q.algorithm}
            tls: on
        }
    }`;
}

export type QdeviceStep =
  | { kind: 'run'; host: 'qnetd' | string; argv: Argv; why: string }
  /** Copy a file's bytes from one host to another (the same path on both unless `to` differs). */
  | { kind: 'carry'; from: 'qnetd' | string; to: 'qnetd' | string; path: string; dest: string; why: string };

/**
 * The certificate setup of corosync-qdevice-net-certutil(8) and corosync-qnetd-certutil(8), spelled out
 * (what `corosync-qdevice-net-certutil -Q` does over ssh, without its password prompts): the qnetd CA,
 * the first node's request signed by qnetd for this cluster name, the signed certificate and key
 * exported once and imported on the second node. Every node's certificate carries the cluster name,
 * which qnetd checks against the corosync.conf cluster_name.
 */
export function qdeviceCertificateSteps(a: Pick<Answers, 'cluster' | 'nodes'>): QdeviceStep[] {
  const name = a.cluster.name;
  const [n0, n1] = [a.nodes[0].name, a.nodes[1].name];
  const ca = `${INCOMING}/qnetd-cacert.crt`;
  return [
    { kind: 'run', host: 'qnetd', argv: ['corosync-qnetd-certutil', '-i'], why: 'the qnetd CA and server certificate (once per qnetd host; skip when /etc/corosync/qnetd/nssdb exists)' },
    { kind: 'carry', from: 'qnetd', to: n0, path: QNETD_CA, dest: ca, why: 'the nodes trust certificates of this CA only' },
    { kind: 'carry', from: 'qnetd', to: n1, path: QNETD_CA, dest: ca, why: 'the nodes trust certificates of this CA only' },
    { kind: 'run', host: n0, argv: ['corosync-qdevice-net-certutil', '-i', '-c', ca], why: "the node's certificate database, trusting the qnetd CA" },
    { kind: 'run', host: n0, argv: ['corosync-qdevice-net-certutil', '-r', '-n', name], why: `a certificate request for cluster ${name}` },
    { kind: 'carry', from: n0, to: 'qnetd', path: NODE_CRQ, dest: `${INCOMING}/qdevice-net-node.crq`, why: 'qnetd signs it' },
    { kind: 'run', host: 'qnetd', argv: ['corosync-qnetd-certutil', '-s', '-c', `${INCOMING}/qdevice-net-node.crq`, '-n', name], why: `signed for cluster ${name}` },
    { kind: 'carry', from: 'qnetd', to: n0, path: clusterCertificate(name), dest: `${INCOMING}/cluster-${name}.crt`, why: 'back to the node that asked' },
    { kind: 'run', host: n0, argv: ['corosync-qdevice-net-certutil', '-M', '-c', `${INCOMING}/cluster-${name}.crt`], why: 'imported, and exported with its key for the other node' },
    { kind: 'carry', from: n0, to: n1, path: NODE_P12, dest: `${INCOMING}/qdevice-net-node.p12`, why: 'the same certificate and key on the second node' },
    { kind: 'run', host: n1, argv: ['corosync-qdevice-net-certutil', '-i', '-c', ca], why: "the node's certificate database, trusting the qnetd CA" },
    { kind: 'run', host: n1, argv: ['corosync-qdevice-net-certutil', '-m', '-c', `${INCOMING}/qdevice-net-node.p12`], why: 'imported' },
  ];
}
