// /etc/corosync/corosync.conf: the membership layer Pacemaker stands on. knet with two links, so that
// losing one cable is not losing the peer: link 0 on the replication NIC (usually a direct cable, the
// same path DRBD uses) and link 1 on the service NIC. crypto on; the authkey is a separate 0400 file.
import type { Answers } from '../answers/schema.js';
import { hostAddress } from '../answers/derived.js';
import { renderQuorumDevice } from './qdevice.js';

/**
 * Token timeout in ms. Corosync 3's default (1000 ms for two nodes) declares a peer dead after one second
 * of silence: a short network delay or a hypervisor pause is enough for a needless failover (and, with
 * STONITH, a reboot). 3000 ms is what Red Hat made the default of pcs-generated clusters (RHEL 8.4, for
 * exactly that reason) and rides out such blips; detection is token + consensus, about 6.6 s, the first
 * part of every failover. The lab ran 5000 ms before 2026-11-26 (4.4 s more per failover); its e2e
 * timelines record corosync's "Token has not been received" warning, to show whether the emulated VMs
 * come near the limit (docs/ha-tuning.md).
 */
export const COROSYNC_TOKEN_MS = 3000;
/** Corosync requires consensus >= 1.2 x token; written out so a later token change is visibly paired. */
export const COROSYNC_CONSENSUS_MS = Math.round(COROSYNC_TOKEN_MS * 1.2);

/** Corosync nodeid of nodes[i]: 1 and 2 (0 is not allowed). */
export function corosyncNodeId(index: number): number {
  return index + 1;
}

export function renderCorosyncConf(a: Answers): string {
  const nodes = a.nodes
    .map((n, i) =>
      [
        '    node {',
        `        # link 0: replication NIC ${n.replication.interface}; link 1: service NIC ${n.service.interface}`,
        `        ring0_addr: ${hostAddress(n.replication.address)}`,
        `        ring1_addr: ${hostAddress(n.service.address)}`,
        `        name: ${n.name}`,
        `        nodeid: ${corosyncNodeId(i)}`,
        '    }',
      ].join('\n'),
    )
    .join('\n');
  return `# Corosync configuration for hanfs-wizard cluster ${a.cluster.name}.
# Identical on both nodes: /etc/corosync/corosync.conf, with the shared /etc/corosync/authkey (0400).
totem {
    version: 2
    cluster_name: ${a.cluster.name}
    transport: knet
    # Encrypt and authenticate cluster traffic with the authkey.
    crypto_cipher: aes256
    crypto_hash: sha256
    # A peer is declared lost after ${COROSYNC_TOKEN_MS} ms of silence instead of the default 1000 ms: short
    # network blips or stalls must not cause a failover. consensus is 1.2 x token, the minimum corosync allows.
    token: ${COROSYNC_TOKEN_MS}
    consensus: ${COROSYNC_CONSENSUS_MS}

    # Two knet links: the membership survives losing either NIC.
    interface {
        linknumber: 0
    }
    interface {
        linknumber: 1
    }
}

nodelist {
${nodes}
}

${renderQuorumSection(a)}

logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: yes
    timestamp: on
}
`;
}

/**
 * The quorum section. Without a quorum device: two_node (the survivor keeps quorum when its peer dies;
 * two_node implies wait_for_all, so a node booting alone waits for its peer once). With one: the
 * device's vote instead, and no two_node, which votequorum refuses together with a device.
 */
export function renderQuorumSection(a: Answers): string {
  if (a.cluster.quorumDevice) {
    return `quorum {
    provider: corosync_votequorum
${renderQuorumDevice(a.cluster.quorumDevice)}
}`;
  }
  return `quorum {
    provider: corosync_votequorum
    # Two nodes: the survivor keeps quorum when its peer dies (two_node implies wait_for_all, so a node
    # booting alone waits for its peer once before it may run anything).
    two_node: 1
}`;
}
