#!/usr/bin/env node
// The lab's service network: an Ethernet hub for QEMU `-netdev dgram` NICs, plus one "gateway" address
// that answers ARP and ping. Why it exists: with only two nodes on the service network, cutting one
// node's link makes each node lose the other, so a ping resource cannot tell which node lost its
// network. A third address that stays reachable (as a real router would) lets Pacemaker move the
// service away from the node whose link was cut. It only ever talks to 127.0.0.1.
//
// usage: node test/lab/svc-hub.mjs --listen PORT --peer PORT --peer PORT --gateway IP [--gateway-mac MAC]
// Each --peer is the local UDP port of one VM's NIC (QEMU `local.port`); the VMs send to --listen.
import dgram from 'node:dgram';

function parseArgs(argv) {
  const out = { peers: [], gatewayMac: '52:54:00:4c:02:fe' };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k}: missing value`);
    if (k === '--listen') out.listen = Number(v);
    else if (k === '--peer') out.peers.push(Number(v));
    else if (k === '--gateway') out.gateway = v;
    else if (k === '--gateway-mac') out.gatewayMac = v;
    else throw new Error(`unknown option ${k}`);
  }
  if (!Number.isInteger(out.listen) || out.peers.length < 2 || !out.gateway) {
    throw new Error('usage: svc-hub.mjs --listen PORT --peer PORT --peer PORT --gateway IP');
  }
  return out;
}

const ipBytes = (ip) => Buffer.from(ip.split('.').map(Number));
const macBytes = (mac) => Buffer.from(mac.split(':').map((h) => parseInt(h, 16)));

function checksum(buf) {
  let sum = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) sum += buf.readUInt16BE(i);
  if (buf.length % 2) sum += buf[buf.length - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/** The gateway's answer to one frame, or null when the frame is not an ARP request or ping for it. */
function gatewayReply(frame, gwIp, gwMac) {
  if (frame.length < 42) return null;
  const type = frame.readUInt16BE(12);
  if (type === 0x0806 && frame.readUInt16BE(20) === 1 && frame.subarray(38, 42).equals(gwIp)) {
    const r = Buffer.alloc(42);
    frame.copy(r, 0, 6, 12); // to the asker
    gwMac.copy(r, 6);
    r.writeUInt16BE(0x0806, 12);
    r.writeUInt16BE(1, 14); // Ethernet
    r.writeUInt16BE(0x0800, 16); // IPv4
    r[18] = 6;
    r[19] = 4;
    r.writeUInt16BE(2, 20); // reply
    gwMac.copy(r, 22);
    gwIp.copy(r, 28);
    frame.copy(r, 32, 22, 32); // asker's MAC and IP
    return r;
  }
  if (type !== 0x0800 || !frame.subarray(0, 6).equals(gwMac)) return null;
  const ihl = (frame[14] & 0x0f) * 4;
  const total = frame.readUInt16BE(16);
  if (frame[23] !== 1 || !frame.subarray(30, 34).equals(gwIp) || frame.length < 14 + total) return null;
  if (frame[14 + ihl] !== 8) return null; // echo request only
  const r = Buffer.from(frame.subarray(0, 14 + total));
  frame.copy(r, 0, 6, 12);
  gwMac.copy(r, 6);
  const ip = r.subarray(14, 14 + ihl);
  frame.copy(ip, 12, 30, 34); // source = gateway
  frame.copy(ip, 16, 26, 30); // destination = the pinger
  ip[8] = 64;
  ip.writeUInt16BE(0, 10);
  ip.writeUInt16BE(checksum(ip), 10);
  const icmp = r.subarray(14 + ihl, 14 + total);
  icmp[0] = 0; // echo reply
  icmp.writeUInt16BE(0, 2);
  icmp.writeUInt16BE(checksum(icmp), 2);
  return r;
}

const opts = parseArgs(process.argv.slice(2));
const gwIp = ipBytes(opts.gateway);
const gwMac = macBytes(opts.gatewayMac);
const sock = dgram.createSocket('udp4');
sock.on('message', (frame, from) => {
  if (from.address !== '127.0.0.1' || !opts.peers.includes(from.port)) return;
  for (const p of opts.peers) if (p !== from.port) sock.send(frame, p, '127.0.0.1');
  const reply = gatewayReply(frame, gwIp, gwMac);
  if (reply) sock.send(reply, from.port, '127.0.0.1');
});
sock.on('error', (e) => {
  console.error(`svc-hub: ${e.message}`);
  process.exit(1);
});
sock.bind(opts.listen, '127.0.0.1', () => {
  console.log(`svc-hub: listening on 127.0.0.1:${opts.listen}, peers ${opts.peers.join(',')}, gateway ${opts.gateway}`);
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => sock.close(() => process.exit(0)));
