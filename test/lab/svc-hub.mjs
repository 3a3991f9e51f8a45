#!/usr/bin/env node
// The lab's service network: an Ethernet hub for QEMU `-netdev dgram` NICs, plus one "gateway" address
// that answers ARP and ping. Why it exists: with only two nodes on the service network, cutting one
// node's link makes each node lose the other, so a ping resource cannot tell which node lost its
// network. A third address that stays reachable (as a real router would) lets Pacemaker move the
// service away from the node whose link was cut. It only ever talks to 127.0.0.1.
//
// The virtual BMCs (LAB_BMC=1, issue 26): each --bmc IP=PORT is one more address on the service
// network, as a server's BMC has its own management address. The hub answers ARP for it and relays
// UDP to its port 623 (IPMI over LAN) to 127.0.0.1:PORT, where bmc-up.sh's ipmi_sim listens, and the
// answers back as frames from IP:623. One host socket per guest (NIC, address, port), so each BMC sees
// each client as its own peer, as on a real network. The guests' only other host-facing NIC is
// user-mode with restrict=on (no way out), which is why the BMCs are reached here.
//
// Faults the fencing drills need that a NIC's set_link cannot make (--control PATH, issue 26): a unix
// socket on the host taking one command per line and answering one line (`ok <rules as JSON>` or
// `error: ...`):
//   cut IP IP       drop IPv4 frames between these two addresses, both ways: the nodes' service
//                   addresses, so Corosync's link 1 between them is cut while the service network still
//                   works for everything else (the VIP for clients, the gateway, the BMCs);
//   block-bmc IP    the BMC at IP is unreachable: no ARP answer for it, nothing relayed to or from it;
//   clear           every rule removed;  show   the rules.
// The rules live in this process only: a hub restarted by lab-up.sh starts with none.
//
// usage: node test/lab/svc-hub.mjs --listen PORT --peer PORT --peer PORT --gateway IP [--gateway-mac MAC]
//                                  [--bmc IP=PORT]... [--control PATH]
// Each --peer is the local UDP port of one VM's NIC (QEMU `local.port`); the VMs send to --listen.
import dgram from 'node:dgram';
import net from 'node:net';
import { unlinkSync } from 'node:fs';

function parseArgs(argv) {
  const out = { peers: [], gatewayMac: '52:54:00:4c:02:fe', bmcs: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k}: missing value`);
    if (k === '--listen') out.listen = Number(v);
    else if (k === '--peer') out.peers.push(Number(v));
    else if (k === '--gateway') out.gateway = v;
    else if (k === '--gateway-mac') out.gatewayMac = v;
    else if (k === '--control') out.control = v;
    else if (k === '--bmc') {
      const m = /^(\d+\.\d+\.\d+\.\d+)=(\d+)$/.exec(v);
      if (!m) throw new Error(`--bmc ${v}: expected IP=PORT`);
      out.bmcs.push({ ip: m[1], port: Number(m[2]) });
    }
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

/** The answer to an ARP request for ip, from mac; null when the frame is not one. */
function arpReply(frame, ip, mac) {
  if (frame.length < 42 || frame.readUInt16BE(12) !== 0x0806) return null;
  if (frame.readUInt16BE(20) !== 1 || !frame.subarray(38, 42).equals(ip)) return null;
  const r = Buffer.alloc(42);
  frame.copy(r, 0, 6, 12); // to the asker
  mac.copy(r, 6);
  r.writeUInt16BE(0x0806, 12);
  r.writeUInt16BE(1, 14); // Ethernet
  r.writeUInt16BE(0x0800, 16); // IPv4
  r[18] = 6;
  r[19] = 4;
  r.writeUInt16BE(2, 20); // reply
  mac.copy(r, 22);
  ip.copy(r, 28);
  frame.copy(r, 32, 22, 32); // asker's MAC and IP
  return r;
}

/** The gateway's answer to one frame, or null when the frame is not an ARP request or ping for it. */
function gatewayReply(frame, gwIp, gwMac) {
  if (frame.length < 42) return null;
  const type = frame.readUInt16BE(12);
  if (type === 0x0806 && frame.readUInt16BE(20) === 1 && frame.subarray(38, 42).equals(gwIp)) {
    return arpReply(frame, gwIp, gwMac);
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

/** A UDP datagram to one of the BMCs (unfragmented IPv4, destination port 623), or null. */
function udpToBmc(frame, bmcs) {
  if (frame.length < 42 || frame.readUInt16BE(12) !== 0x0800 || frame[23] !== 17) return null;
  const bmc = bmcs.find((b) => frame.subarray(0, 6).equals(b.mac) && frame.subarray(30, 34).equals(b.ipBytes));
  if (!bmc) return null;
  if ((frame.readUInt16BE(20) & 0x3fff) !== 0) return null; // a fragment (IPMI packets never are)
  const ihl = (frame[14] & 0x0f) * 4;
  const udp = 14 + ihl;
  if (frame.length < udp + 8 || frame.readUInt16BE(udp + 2) !== 623) return null;
  const len = frame.readUInt16BE(udp + 4);
  if (len < 8 || frame.length < udp + len) return null;
  return {
    bmc,
    guestMac: Buffer.from(frame.subarray(6, 12)),
    guestIp: Buffer.from(frame.subarray(26, 30)),
    guestPort: frame.readUInt16BE(udp),
    payload: Buffer.from(frame.subarray(udp + 8, udp + len)),
  };
}

/** The BMC's answer as a frame on the service network: from BMC-IP:623 to the guest. */
function udpFromBmc(s, payload) {
  const f = Buffer.alloc(14 + 20 + 8 + payload.length);
  s.guestMac.copy(f, 0);
  s.bmc.mac.copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  const ip = f.subarray(14, 34);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64;
  ip[9] = 17;
  s.bmc.ipBytes.copy(ip, 12);
  s.guestIp.copy(ip, 16);
  ip.writeUInt16BE(checksum(ip), 10);
  f.writeUInt16BE(623, 34);
  f.writeUInt16BE(s.guestPort, 36);
  f.writeUInt16BE(8 + payload.length, 38);
  // UDP checksum 0: "none", allowed over IPv4 (RFC 768); the hub carries frames on loopback only.
  payload.copy(f, 42);
  return f;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIpv4 = (s) => IPV4.test(s) && s.split('.').every((o) => Number(o) <= 255);

/** The fault rules (--control): address pairs cut, BMC addresses blocked. */
const rules = { cuts: [], blockedBmcs: [] };

/** Whether the frame is IPv4 between two addresses of a cut pair (either way). */
function isCut(frame) {
  if (rules.cuts.length === 0 || frame.length < 34 || frame.readUInt16BE(12) !== 0x0800) return false;
  const src = frame.subarray(26, 30).join('.');
  const dst = frame.subarray(30, 34).join('.');
  return rules.cuts.some(([a, b]) => (src === a && dst === b) || (src === b && dst === a));
}

/** One control command; returns the answer line. */
function control(line) {
  const [verb, ...args] = line.trim().split(/\s+/);
  const ok = () => `ok ${JSON.stringify(rules)}`;
  if (verb === 'show') return ok();
  if (verb === 'clear' && args.length === 0) {
    rules.cuts = [];
    rules.blockedBmcs = [];
    return ok();
  }
  if (verb === 'cut' && args.length === 2 && args.every(isIpv4) && args[0] !== args[1]) {
    const [a, b] = args;
    if (!rules.cuts.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) rules.cuts.push([a, b]);
    return ok();
  }
  if (verb === 'block-bmc' && args.length === 1) {
    if (!bmcs.some((b) => b.ip === args[0])) return `error: ${args[0]} is not a BMC address of this hub (${bmcs.map((b) => b.ip).join(', ') || 'none'})`;
    if (!rules.blockedBmcs.includes(args[0])) rules.blockedBmcs.push(args[0]);
    return ok();
  }
  return `error: unknown command "${line.trim()}" (cut IP IP | block-bmc IP | clear | show)`;
}

const opts = parseArgs(process.argv.slice(2));
// Each BMC's MAC: locally administered like the lab's others, 52:54:00:4c:02:c1 for the first.
const bmcs = opts.bmcs.map((b, i) => ({ ...b, ipBytes: ipBytes(b.ip), mac: macBytes(`52:54:00:4c:02:${(0xc1 + i).toString(16)}`) }));
/** Relay sockets by guest (hub peer port, guest address and port, BMC): key -> { sock, last, ... }. */
const relays = new Map();
function relay(d, qemuPort) {
  const key = `${qemuPort}/${d.guestIp.join('.')}:${d.guestPort}/${d.bmc.ip}`;
  let s = relays.get(key);
  if (!s) {
    s = { ...d, qemuPort, sock: dgram.createSocket('udp4'), last: Date.now() };
    const mine = s;
    s.sock.on('message', (payload, from) => {
      if (from.address !== '127.0.0.1' || from.port !== mine.bmc.port) return;
      if (rules.blockedBmcs.includes(mine.bmc.ip)) return;
      mine.last = Date.now();
      sock.send(udpFromBmc(mine, payload), mine.qemuPort, '127.0.0.1');
    });
    s.sock.on('error', (e) => console.error(`svc-hub: relay ${key}: ${e.message}`));
    s.sock.bind(0, '127.0.0.1');
    relays.set(key, s);
  }
  s.last = Date.now();
  s.sock.send(d.payload, d.bmc.port, '127.0.0.1');
}
// An IPMI session lasts seconds; a relay socket idle for 2 minutes is closed.
setInterval(() => {
  for (const [k, s] of relays) {
    if (Date.now() - s.last > 120_000) {
      s.sock.close();
      relays.delete(k);
    }
  }
}, 30_000).unref();
const gwIp = ipBytes(opts.gateway);
const gwMac = macBytes(opts.gatewayMac);
const sock = dgram.createSocket('udp4');
sock.on('message', (frame, from) => {
  if (from.address !== '127.0.0.1' || !opts.peers.includes(from.port)) return;
  if (!isCut(frame)) for (const p of opts.peers) if (p !== from.port) sock.send(frame, p, '127.0.0.1');
  const reachable = bmcs.filter((b) => !rules.blockedBmcs.includes(b.ip));
  const reply = gatewayReply(frame, gwIp, gwMac) ?? reachable.map((b) => arpReply(frame, b.ipBytes, b.mac)).find((r) => r !== null);
  if (reply) sock.send(reply, from.port, '127.0.0.1');
  const toBmc = udpToBmc(frame, reachable);
  if (toBmc) relay(toBmc, from.port);
});
sock.on('error', (e) => {
  console.error(`svc-hub: ${e.message}`);
  process.exit(1);
});
let controlServer = null;
if (opts.control) {
  // A socket left by a hub that was killed: nothing listens on it any more.
  try {
    unlinkSync(opts.control);
  } catch {
    // none there
  }
  controlServer = net.createServer((c) => {
    let buf = '';
    c.on('data', (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const answer = control(line);
        console.log(`svc-hub: control "${line.trim()}": ${answer}`);
        c.write(`${answer}\n`);
      }
    });
    c.on('error', () => undefined);
  });
  controlServer.listen(opts.control);
}
sock.bind(opts.listen, '127.0.0.1', () => {
  console.log(`svc-hub: listening on 127.0.0.1:${opts.listen}, peers ${opts.peers.join(',')}, gateway ${opts.gateway}${bmcs.map((b) => `, BMC ${b.ip} -> 127.0.0.1:${b.port}`).join('')}${opts.control ? `, control ${opts.control}` : ''}`);
});
for (const s of ['SIGTERM', 'SIGINT']) {
  process.on(s, () => {
    // server.close() unlinks the unix socket.
    controlServer?.close();
    sock.close(() => process.exit(0));
  });
}
