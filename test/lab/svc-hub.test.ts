// The service hub's BMC relay (issue 26, LAB_BMC=1), with real UDP sockets: this test plays a guest's
// QEMU NIC (frames over UDP, as `-netdev dgram` sends them) and two BMCs (plain UDP sockets where
// ipmi_sim would listen), and runs the real test/lab/svc-hub.mjs between them. A guest must get an ARP
// answer for a BMC address, its UDP 623 datagrams must reach that BMC's port on 127.0.0.1 (and only
// that one), and the BMC's answers must come back as well-formed frames from BMC-IP:623. The fencing
// drills' controls (--control, hub-control.ts): a cut between two addresses drops exactly their IPv4
// frames, a blocked BMC neither answers ARP nor gets or returns anything, and bad commands change nothing.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubControl } from './hub-control.js';
import { REPO } from './lab.js';

const GUEST_MAC = Buffer.from([0x52, 0x54, 0x00, 0x4c, 0x02, 0x01]);
const BMC1_MAC = Buffer.from([0x52, 0x54, 0x00, 0x4c, 0x02, 0xc1]);
const BMC2_MAC = Buffer.from([0x52, 0x54, 0x00, 0x4c, 0x02, 0xc2]);
const ip = (s: string) => Buffer.from(s.split('.').map(Number));

function ipChecksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < h.length; i += 2) sum += h.readUInt16BE(i);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}
function arpRequest(targetIp: string): Buffer {
  const f = Buffer.alloc(42);
  Buffer.alloc(6, 0xff).copy(f, 0);
  GUEST_MAC.copy(f, 6);
  f.writeUInt16BE(0x0806, 12);
  f.writeUInt16BE(1, 14);
  f.writeUInt16BE(0x0800, 16);
  f[18] = 6;
  f[19] = 4;
  f.writeUInt16BE(1, 20);
  GUEST_MAC.copy(f, 22);
  ip('192.168.101.11').copy(f, 28);
  ip(targetIp).copy(f, 38);
  return f;
}
function udpFrame(dstMac: Buffer, dstIp: string, dstPort: number, srcPort: number, payload: Buffer): Buffer {
  const f = Buffer.alloc(42 + payload.length);
  dstMac.copy(f, 0);
  GUEST_MAC.copy(f, 6);
  f.writeUInt16BE(0x0800, 12);
  const h = f.subarray(14, 34);
  h[0] = 0x45;
  h.writeUInt16BE(28 + payload.length, 2);
  h[8] = 64;
  h[9] = 17;
  ip('192.168.101.11').copy(h, 12);
  ip(dstIp).copy(h, 16);
  h.writeUInt16BE(ipChecksum(h), 10);
  f.writeUInt16BE(srcPort, 34);
  f.writeUInt16BE(dstPort, 36);
  f.writeUInt16BE(8 + payload.length, 38);
  payload.copy(f, 42);
  return f;
}

/** A bound UDP socket that queues what it receives. */
async function endpoint() {
  const sock = dgram.createSocket('udp4');
  const got: { msg: Buffer; port: number }[] = [];
  const waiters: (() => void)[] = [];
  sock.on('message', (msg, from) => {
    got.push({ msg, port: from.port });
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  const port = sock.address().port;
  /** The next received message that matches, within 5 s (null when none came). */
  const next = async (match: (m: Buffer) => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    for (;;) {
      const i = got.findIndex((g) => match(g.msg));
      if (i >= 0) return got.splice(i, 1)[0]!;
      if (Date.now() > end) return null;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  return { sock, port, got, next };
}
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

describe('svc-hub.mjs relays IPMI (UDP 623) between the guests and the BMCs on 127.0.0.1', () => {
  let guest: Awaited<ReturnType<typeof endpoint>>;
  let peer2: Awaited<ReturnType<typeof endpoint>>;
  let bmc1: Awaited<ReturnType<typeof endpoint>>;
  let bmc2: Awaited<ReturnType<typeof endpoint>>;
  let hubPort = 0;
  let hub: ReturnType<typeof spawn> | undefined;
  const toHub = (f: Buffer) => new Promise<void>((r) => guest.sock.send(f, hubPort, '127.0.0.1', () => r()));

  beforeAll(async () => {
    [guest, peer2, bmc1, bmc2] = await Promise.all([endpoint(), endpoint(), endpoint(), endpoint()]);
    hubPort = await freeUdpPort();
    hub = spawn(
      'nice',
      ['-n', '19', process.execPath, join(REPO, 'test/lab/svc-hub.mjs'), '--listen', String(hubPort), '--peer', String(guest.port), '--peer', String(peer2.port),
        '--gateway', '192.168.101.1', '--bmc', `192.168.101.201=${bmc1.port}`, '--bmc', `192.168.101.202=${bmc2.port}`],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => hub!.stdout!.once('data', () => r()));
  });
  afterAll(() => {
    hub?.kill('SIGTERM'); // nice exec()s node: this PID is the hub
    for (const e of [guest, peer2, bmc1, bmc2]) e?.sock.close();
  });

  it('answers ARP for each BMC address with that BMC\'s own MAC', async () => {
    await toHub(arpRequest('192.168.101.202'));
    const r = await guest.next((m) => m.readUInt16BE(12) === 0x0806 && m.readUInt16BE(20) === 2);
    expect(r).not.toBeNull();
    expect(r!.msg.subarray(0, 6)).toEqual(GUEST_MAC);
    expect(r!.msg.subarray(22, 28)).toEqual(BMC2_MAC);
    expect(r!.msg.subarray(28, 32)).toEqual(ip('192.168.101.202'));
    expect(r!.msg.subarray(32, 38)).toEqual(GUEST_MAC);
    expect(r!.msg.subarray(38, 42)).toEqual(ip('192.168.101.11'));
  });

  it('does not answer ARP for an address that is neither the gateway nor a BMC', async () => {
    await toHub(arpRequest('192.168.101.203'));
    expect(await guest.next((m) => m.readUInt16BE(12) === 0x0806 && m.readUInt16BE(20) === 2, 1000)).toBeNull();
  });

  it('a datagram to BMC 1 port 623 reaches BMC 1\'s port (not BMC 2), and its answer comes back as a frame from 192.168.101.201:623', async () => {
    await toHub(udpFrame(BMC1_MAC, '192.168.101.201', 623, 40123, Buffer.from('rmcp-request')));
    const req = await bmc1.next((m) => m.toString() === 'rmcp-request');
    expect(req).not.toBeNull();
    expect(await bmc2.next(() => true, 500)).toBeNull();
    // The BMC answers to whatever host port the relay used.
    await new Promise<void>((r) => bmc1.sock.send(Buffer.from('rmcp-answer'), req!.port, '127.0.0.1', () => r()));
    const back = await guest.next((m) => m.readUInt16BE(12) === 0x0800 && m.subarray(42).toString() === 'rmcp-answer');
    expect(back).not.toBeNull();
    const f = back!.msg;
    expect(f.subarray(0, 6)).toEqual(GUEST_MAC);
    expect(f.subarray(6, 12)).toEqual(BMC1_MAC);
    const h = f.subarray(14, 34);
    expect(h[9]).toBe(17);
    expect(h.subarray(12, 16)).toEqual(ip('192.168.101.201'));
    expect(h.subarray(16, 20)).toEqual(ip('192.168.101.11'));
    expect(h.readUInt16BE(2)).toBe(f.length - 14);
    expect(ipChecksum(h)).toBe(0); // a valid header sums to 0xffff, whose complement is 0
    expect(f.readUInt16BE(34)).toBe(623);
    expect(f.readUInt16BE(36)).toBe(40123);
    expect(f.readUInt16BE(38)).toBe(f.length - 34);
  });

  it('the same guest port keeps the same relay socket (one IPMI session, one peer for the BMC)', async () => {
    await toHub(udpFrame(BMC2_MAC, '192.168.101.202', 623, 40200, Buffer.from('a')));
    await toHub(udpFrame(BMC2_MAC, '192.168.101.202', 623, 40200, Buffer.from('b')));
    const a = await bmc2.next((m) => m.toString() === 'a');
    const b = await bmc2.next((m) => m.toString() === 'b');
    expect(a && b).toBeTruthy();
    expect(a!.port).toBe(b!.port);
    expect(await bmc1.next(() => true, 500)).toBeNull();
  });

  it('relays nothing but UDP to port 623 of a BMC address', async () => {
    await toHub(udpFrame(BMC1_MAC, '192.168.101.201', 624, 40300, Buffer.from('not-ipmi')));
    await toHub(udpFrame(BMC1_MAC, '192.168.101.12', 623, 40301, Buffer.from('wrong-ip')));
    expect(await bmc1.next(() => true, 1000)).toBeNull();
  });
});

/** An IPv4 UDP frame between two addresses (MACs: the lab's svc0 NICs), as a guest's NIC sends it. */
function nodeFrame(srcIp: string, dstIp: string, payload: string): Buffer {
  const f = udpFrame(Buffer.from([0x52, 0x54, 0x00, 0x4c, 0x02, 0x02]), dstIp, 5405, 5405, Buffer.from(payload));
  ip(srcIp).copy(f, 26);
  const h = f.subarray(14, 34);
  h.writeUInt16BE(0, 10);
  h.writeUInt16BE(ipChecksum(h), 10);
  return f;
}

describe('svc-hub.mjs --control: the fencing drills\' faults (cut two addresses, block a BMC)', () => {
  let guest: Awaited<ReturnType<typeof endpoint>>;
  let peer2: Awaited<ReturnType<typeof endpoint>>;
  let bmc1: Awaited<ReturnType<typeof endpoint>>;
  let bmc2: Awaited<ReturnType<typeof endpoint>>;
  let hubPort = 0;
  let hub: ReturnType<typeof spawn> | undefined;
  let dir = '';
  let control = '';
  const fromGuest = (f: Buffer) => new Promise<void>((r) => guest.sock.send(f, hubPort, '127.0.0.1', () => r()));
  const fromPeer2 = (f: Buffer) => new Promise<void>((r) => peer2.sock.send(f, hubPort, '127.0.0.1', () => r()));
  const payloadIs = (s: string) => (m: Buffer) => m.length > 42 && m.subarray(42).toString() === s;

  beforeAll(async () => {
    [guest, peer2, bmc1, bmc2] = await Promise.all([endpoint(), endpoint(), endpoint(), endpoint()]);
    hubPort = await freeUdpPort();
    dir = mkdtempSync(join(tmpdir(), 'hanfs-svc-hub-'));
    control = join(dir, 'hub.sock');
    hub = spawn(
      'nice',
      ['-n', '19', process.execPath, join(REPO, 'test/lab/svc-hub.mjs'), '--listen', String(hubPort), '--peer', String(guest.port), '--peer', String(peer2.port),
        '--gateway', '192.168.101.1', '--bmc', `192.168.101.201=${bmc1.port}`, '--bmc', `192.168.101.202=${bmc2.port}`, '--control', control],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((r) => hub!.stdout!.once('data', () => r()));
    hub.stdout!.resume();
  });
  afterAll(async () => {
    const exited = hub && hub.exitCode === null && hub.signalCode === null ? new Promise<void>((r) => hub!.once('exit', () => r())) : Promise.resolve();
    hub?.kill('SIGTERM'); // nice exec()s node: this PID is the hub
    await exited;
    for (const e of [guest, peer2, bmc1, bmc2]) e?.sock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cut A B drops the frames between the two addresses both ways, and only those; clear brings them back', async () => {
    expect(await hubControl('cut 192.168.101.11 192.168.101.12', control)).toEqual({ cuts: [['192.168.101.11', '192.168.101.12']], blockedBmcs: [] });
    await fromGuest(nodeFrame('192.168.101.11', '192.168.101.12', 'cluster-1'));
    await fromPeer2(nodeFrame('192.168.101.12', '192.168.101.11', 'cluster-2'));
    // The service still works: a client of the VIP, and the VIP's answers, pass.
    await fromGuest(nodeFrame('192.168.101.11', '192.168.101.100', 'to-vip'));
    await fromPeer2(nodeFrame('192.168.101.100', '192.168.101.11', 'from-vip'));
    expect(await peer2.next(payloadIs('to-vip'))).not.toBeNull();
    expect(await guest.next(payloadIs('from-vip'))).not.toBeNull();
    expect(await peer2.next(payloadIs('cluster-1'), 500)).toBeNull();
    expect(await guest.next(payloadIs('cluster-2'), 500)).toBeNull();
    // ARP between the nodes is not IPv4: it passes (a cut link does not make the address unknown).
    await fromGuest(arpRequest('192.168.101.12'));
    expect(await peer2.next((m) => m.readUInt16BE(12) === 0x0806)).not.toBeNull();

    expect(await hubControl('clear', control)).toEqual({ cuts: [], blockedBmcs: [] });
    await fromGuest(nodeFrame('192.168.101.11', '192.168.101.12', 'cluster-3'));
    expect(await peer2.next(payloadIs('cluster-3'))).not.toBeNull();
  });

  it('block-bmc IP: no ARP answer and nothing relayed to or from that BMC; the other BMC still answers; clear unblocks', async () => {
    // A relay socket for the guest first, so the blocked BMC's late answer has a way back to be dropped.
    await fromGuest(udpFrame(BMC1_MAC, '192.168.101.201', 623, 41000, Buffer.from('before')));
    const before = await bmc1.next((m) => m.toString() === 'before');
    expect(before).not.toBeNull();

    expect(await hubControl('block-bmc 192.168.101.201', control)).toEqual({ cuts: [], blockedBmcs: ['192.168.101.201'] });
    await fromGuest(arpRequest('192.168.101.201'));
    expect(await guest.next((m) => m.readUInt16BE(12) === 0x0806 && m.readUInt16BE(20) === 2, 1000)).toBeNull();
    await fromGuest(udpFrame(BMC1_MAC, '192.168.101.201', 623, 41000, Buffer.from('blocked')));
    expect(await bmc1.next((m) => m.toString() === 'blocked', 1000)).toBeNull();
    await new Promise<void>((r) => bmc1.sock.send(Buffer.from('late-answer'), before!.port, '127.0.0.1', () => r()));
    expect(await guest.next(payloadIs('late-answer'), 1000)).toBeNull();
    // The peer's BMC is another machine's: it still answers.
    await fromGuest(arpRequest('192.168.101.202'));
    expect(await guest.next((m) => m.readUInt16BE(12) === 0x0806 && m.readUInt16BE(20) === 2 && m.subarray(28, 32).equals(ip('192.168.101.202')))).not.toBeNull();
    await fromGuest(udpFrame(BMC2_MAC, '192.168.101.202', 623, 41001, Buffer.from('other-bmc')));
    expect(await bmc2.next((m) => m.toString() === 'other-bmc')).not.toBeNull();

    await hubControl('clear', control);
    await fromGuest(udpFrame(BMC1_MAC, '192.168.101.201', 623, 41000, Buffer.from('after')));
    const after = await bmc1.next((m) => m.toString() === 'after');
    expect(after).not.toBeNull();
    await new Promise<void>((r) => bmc1.sock.send(Buffer.from('answer-after'), after!.port, '127.0.0.1', () => r()));
    expect(await guest.next(payloadIs('answer-after'))).not.toBeNull();
  });

  it('a bad command is refused with an error line and changes nothing', async () => {
    await hubControl('cut 192.168.101.11 192.168.101.12', control);
    for (const bad of ['block-bmc 192.168.101.203', 'cut 192.168.101.11', 'cut 192.168.101.11 192.168.101.300', 'cut 192.168.101.11 192.168.101.11', 'open-all']) {
      await expect(hubControl(bad, control), bad).rejects.toThrow(/svc-hub control .*: error: /);
    }
    expect(await hubControl('show', control)).toEqual({ cuts: [['192.168.101.11', '192.168.101.12']], blockedBmcs: [] });
    await hubControl('clear', control);
  });

  it('the control socket is gone once the hub stopped (SIGTERM)', async () => {
    expect(existsSync(control)).toBe(true);
    const exited = new Promise<void>((r) => hub!.once('exit', () => r()));
    hub!.kill('SIGTERM');
    await exited;
    expect(existsSync(control)).toBe(false);
  });
});
