// What the fencing drills share (issue 26 point 4: fence-paused.ts, fence-links-cut.ts, fence-race.ts,
// fence-bmc-unreachable.ts): DRBD's own role read on both nodes during the whole drill (the "never two
// Primaries" evidence), the fencer's own record of a fence, the fence delays read from the running
// cluster's CIB, the faults (a NIC's set_link, the service hub's controls), the wait for a settled
// cluster before each fault, and the wait for a fenced node to come back as Secondary.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFenceDelays, predictRace, type RacePrediction } from '../fence-delay.js';
import { hubControl } from '../hub-control.js';
import { LAB_RUN, qemuPid, run, setLink, sleep, ssh, waitFor, type NodeName } from '../lab.js';
import { hasAddress, parseCrmMonXml, parseProcDrbd84 } from '../truth.js';

export interface RoleSample {
  at: number;
  roles: Record<NodeName, string | null>;
}

/** The local DRBD role of the node's first resource from /proc/drbd, or null when the node does not answer. */
export async function drbdRole(node: NodeName): Promise<string | null> {
  // Its own connection with a short timeout: a paused node never answers, and the shared connection
  // master to it would hang every later command.
  const r = await ssh(node, 'cat /proc/drbd', { timeoutMs: 8_000, mux: false });
  if (r.code !== 0) return null;
  return parseProcDrbd84(r.stdout)[0]?.role ?? 'none';
}

/**
 * Reads both nodes with `read` every 2 s until stopped, one sample per round made by `make` (`at` when the
 * reads started, `doneAt` when both had answered) and kept at once: the evidence the fencing drills judge.
 */
export function sampleEvery2s<T, S>(
  nodes: [NodeName, NodeName],
  read: (n: NodeName) => Promise<T | null>,
  make: (at: number, doneAt: number, values: Record<NodeName, T | null>) => S,
): { samples: S[]; stop: () => Promise<void> } {
  const samples: S[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      const [a, b] = await Promise.all(nodes.map((n) => read(n)));
      samples.push(make(at, Date.now(), { [nodes[0]]: a ?? null, [nodes[1]]: b ?? null } as Record<NodeName, T | null>));
      await sleep(Math.max(0, 2_000 - (Date.now() - at)));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Reads both nodes' DRBD roles every 2 s until stopped: the "never two Primaries" evidence. */
export function sampleRoles(nodes: [NodeName, NodeName]): { samples: RoleSample[]; stop: () => Promise<void> } {
  return sampleEvery2s(nodes, drbdRole, (at, _doneAt, roles): RoleSample => ({ at, roles }));
}

export async function dropSshMaster(node: NodeName): Promise<void> {
  await run(['ssh', '-F', join(LAB_RUN, 'ssh_config'), '-O', 'exit', node], { timeoutMs: 5_000 });
}

/** Writes the samples to <logDir>/<name>-roles.txt; returns the rounds where both nodes were Primary. */
export function keepRoles(logDir: string, name: string, nodes: [NodeName, NodeName], samples: RoleSample[]): { file: string; twoPrimaries: RoleSample[] } {
  const file = join(logDir, `${name}-roles.txt`);
  writeFileSync(file, samples.map((s) => `${new Date(s.at).toISOString()} ${nodes.map((n) => `${n}=${s.roles[n] ?? 'no answer'}`).join(' ')}`).join('\n') + '\n');
  return { file, twoPrimaries: samples.filter((s) => s.roles[nodes[0]] === 'Primary' && s.roles[nodes[1]] === 'Primary') };
}

/** Throws when any round shows two Primaries (the drill's first rule). */
export function expectNeverTwoPrimaries(drill: string, logDir: string, nodes: [NodeName, NodeName], samples: RoleSample[]): void {
  const { file, twoPrimaries } = keepRoles(logDir, drill, nodes, samples);
  if (twoPrimaries.length) throw new Error(`${drill}: two Primaries at ${twoPrimaries.map((s) => new Date(s.at).toISOString()).join(', ')} (${file})`);
}

export interface FenceEventXml {
  action: string;
  target: string;
  status: string;
  delegate: string | null;
  exitReason: string | null;
}

/** The fencer's events for the target as `stonith_admin --history T --verbose --output-as=xml` lists them on the node (newest first). */
export async function fenceEvents(on: NodeName, target: NodeName): Promise<{ events: FenceEventXml[]; raw: string }> {
  const r = await ssh(on, `stonith_admin --history ${target} --verbose --output-as=xml`, { timeoutMs: 60_000, mux: false });
  const a = (tag: string, n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(tag)?.[1] ?? null;
  const events = [...r.stdout.matchAll(/<fence_event\s[^>]*>/g)].map((m) => ({
    action: a(m[0], 'action') ?? '',
    target: a(m[0], 'target') ?? '',
    status: a(m[0], 'status') ?? '',
    delegate: a(m[0], 'delegate'),
    exitReason: a(m[0], 'exit-reason'),
  }));
  return { events: events.filter((e) => e.target === target), raw: `$ stonith_admin --history ${target} --verbose --output-as=xml (on ${on}, exit ${r.code})\n${r.stdout}${r.stderr}` };
}

const xmlAttr = (tag: string, n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(tag)?.[1] ?? null;

/** Actions in flight that mean the cluster has not settled (a recurring monitor's "Monitoring" comes and goes and does not count). */
const UNSETTLED_PENDING = /^(Starting|Stopping|Promoting|Demoting|Migrating)$/;

/**
 * What keeps one node's view from being settled, from `crm_mon -1 --output-as=xml`, /proc/drbd and
 * `stonith_admin --history '*' --verbose --output-as=xml` (without --verbose it lists no pending event):
 * [] when settled. Settled: crm_mon connected with a DC, both nodes online, every resource active, not
 * failed, blocked or unmanaged, none with a start/stop/promote/demote pending; no failed action; DRBD
 * Connected, UpToDate/UpToDate; no fence action pending. A fault injected before that lands in the middle
 * of a transition (the first fencing run: a fence race started while the DC was still busy), and then the
 * drill judges the leftovers of the previous one, not the fault.
 */
export function settleProblems(node: NodeName, nodes: readonly NodeName[], crmMonXml: string, procDrbd: string, fenceHistoryXml: string): string[] {
  const out: string[] = [];
  const crm = parseCrmMonXml(crmMonXml);
  if (!crm.connected) return [`${node}: crm_mon cannot reach the cluster`];
  if (crm.dc === null) out.push(`${node}: no DC elected`);
  for (const n of nodes) if (!crm.nodes.find((x) => x.name === n)?.online) out.push(`${node}: ${n} not online`);
  const resources = /<resources>([\s\S]*?)<\/resources>/.exec(crmMonXml)?.[1] ?? '';
  const tags = [...resources.matchAll(/<resource\s[^>]*>/g)].map((m) => m[0]);
  if (tags.length === 0) out.push(`${node}: crm_mon lists no resource`);
  for (const t of tags) {
    const id = xmlAttr(t, 'id') ?? '?';
    const pending = xmlAttr(t, 'pending');
    if (pending !== null && UNSETTLED_PENDING.test(pending)) out.push(`${node}: ${id} ${pending}`);
    if (xmlAttr(t, 'active') !== 'true') out.push(`${node}: ${id} not started (role ${xmlAttr(t, 'role') ?? '?'})`);
    if (xmlAttr(t, 'failed') === 'true') out.push(`${node}: ${id} failed`);
    if (xmlAttr(t, 'blocked') === 'true') out.push(`${node}: ${id} blocked`);
    if (xmlAttr(t, 'managed') === 'false') out.push(`${node}: ${id} unmanaged`);
  }
  if (crm.failures > 0) out.push(`${node}: ${crm.failures} failed action(s) in crm_mon`);
  const d = parseProcDrbd84(procDrbd)[0];
  if (!d) out.push(`${node}: /proc/drbd lists no resource`);
  else if (d.connection !== 'Connected' || d.disk !== 'UpToDate' || d.peerDisk !== 'UpToDate') out.push(`${node}: DRBD ${d.connection} ${d.disk}/${d.peerDisk}`);
  for (const m of fenceHistoryXml.matchAll(/<fence_event\s[^>]*>/g)) {
    if (xmlAttr(m[0], 'status') === 'pending') out.push(`${node}: fence ${xmlAttr(m[0], 'action') ?? '?'} of ${xmlAttr(m[0], 'target') ?? '?'} pending`);
  }
  return out;
}

/**
 * Waits until both nodes see a settled cluster (settleProblems, read on each node) and stay settled for
 * one more read 4 s later; throws after timeoutMs with what still was not settled on each node. Called
 * by every fencing drill right before its pause or cut.
 */
export async function waitSettled(drill: string, nodes: [NodeName, NodeName], timeoutMs: number, transcripts: string[]): Promise<void> {
  const problems = async (): Promise<string[]> => {
    const per = await Promise.all(nodes.map(async (n) => {
      const r = await ssh(n, `crm_mon -1 --output-as=xml; echo '<!--hanfs-split-->'; cat /proc/drbd; echo '<!--hanfs-split-->'; stonith_admin --history '*' --verbose --output-as=xml`, { timeoutMs: 60_000, mux: false });
      const [crm = '', drbd = '', fence = ''] = r.stdout.split('<!--hanfs-split-->\n');
      return r.stdout === '' ? [`${n}: no answer (${r.stderr.trim() || `exit ${r.code}`})`] : settleProblems(n, nodes, crm, drbd, fence);
    }));
    return per.flat();
  };
  const started = Date.now();
  let last: string[] = [];
  await waitFor(`${drill}: a settled cluster before the fault (crm_mon: nothing starting, stopping or pending, every resource started; DRBD Connected UpToDate/UpToDate; no fence pending)`, timeoutMs, 3_000, async () => {
    last = await problems();
    if (last.length) return null;
    await sleep(4_000);
    last = await problems();
    return last.length ? null : true;
  }, async () => `not settled: ${last.join('; ')}`);
  transcripts.push(`${new Date().toISOString()}: ${drill}: cluster settled (${((Date.now() - started) / 1000).toFixed(0)} s of waiting)`);
}

/**
 * Pacemaker's own record that the target was fenced, on the survivor: a successful event in its
 * `stonith_admin --history` (throws otherwise); crm_mon's fence history goes to the transcript. The one
 * check every fencing drill uses.
 */
export async function expectFenceSucceeded(drill: string, on: NodeName, target: NodeName, transcripts: string[]): Promise<FenceEventXml> {
  const h = await ssh(on, `stonith_admin --history ${target} --verbose; crm_mon -1 --fence-history=2`, { timeoutMs: 60_000, mux: false });
  transcripts.push(`$ stonith_admin --history ${target} --verbose; crm_mon -1 --fence-history=2 (on ${on}, exit ${h.code})\n${h.stdout}${h.stderr}`);
  const { events, raw } = await fenceEvents(on, target);
  transcripts.push(raw);
  const ok = events.find((e) => e.status === 'success');
  if (!ok) throw new Error(`${drill}: no successful fence of ${target} in ${on}'s fence history:\n${raw}`);
  return ok;
}

/** The running cluster's fence race, from its CIB (read on `on`) and who is promoted now. */
export async function racePrediction(on: NodeName, nodes: [NodeName, NodeName], promoted: NodeName | null, transcripts: string[]): Promise<RacePrediction> {
  const r = await ssh(on, 'cibadmin -Q', { timeoutMs: 60_000, mux: false });
  if (r.code !== 0) throw new Error(`cibadmin -Q on ${on} exited ${r.code}: ${r.stderr.trim()}`);
  const d = readFenceDelays(r.stdout, nodes);
  const p = predictRace(d, nodes, promoted);
  transcripts.push(`fence delays in ${on}'s CIB: ${JSON.stringify(d)}; promoted: ${promoted ?? 'none'}; ${p ? p.why : 'no designated survivor'}`);
  if (p === null) throw new Error(`the CIB designates no survivor of a fence race (${JSON.stringify(d)}, promoted ${promoted ?? 'none'}): equal delays or a random pcmk_delay_max`);
  return p;
}

/**
 * Waits until a node's QEMU is no longer the one it was (the BMC's power off); returns the nodes that
 * went and when the first was seen gone (the nodes are read again 2 s later, so a second power off right
 * after the first is seen too).
 */
export async function waitFenced(pids: Record<NodeName, number>, timeoutMs: number): Promise<{ nodes: NodeName[]; at: number }> {
  const gone = () => (Object.keys(pids) as NodeName[]).filter((n) => qemuPid(n) !== pids[n]);
  const at = await waitFor(`a node fenced (a QEMU PID of ${JSON.stringify(pids)} gone)`, timeoutMs, 250, async () => (gone().length > 0 ? Date.now() : null));
  await sleep(2_000);
  return { nodes: gone(), at };
}

/** The node's QEMU PIDs now; throws when one does not run. */
export function qemuPids(nodes: readonly NodeName[]): Record<NodeName, number> {
  const out = {} as Record<NodeName, number>;
  for (const n of nodes) {
    const p = qemuPid(n);
    if (p === null) throw new Error(`${n} has no running QEMU`);
    out[n] = p;
  }
  return out;
}

/** The fenced node answers SSH again (the fence's power on), then is Secondary, Connected, UpToDate. */
export async function waitRejoinedSecondary(node: NodeName, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  await waitFor(`${node} answers SSH after the fence`, timeoutMs, 3_000, async () => ((await ssh(node, 'true', { timeoutMs: 15_000, mux: false })).code === 0 ? true : null));
  await waitFor(`${node} Secondary, Connected, UpToDate again`, Math.max(60_000, end - Date.now()), 3_000, async () => {
    const r = await ssh(node, 'cat /proc/drbd', { timeoutMs: 15_000, mux: false });
    const s = r.code === 0 ? parseProcDrbd84(r.stdout)[0] : undefined;
    return s && s.role === 'Secondary' && s.connection === 'Connected' && s.disk === 'UpToDate' && s.peerDisk === 'UpToDate' ? true : null;
  });
}

/** The node is DRBD Primary and holds the VIP (its own view). */
export async function servesHere(node: NodeName, vip: string): Promise<boolean> {
  const role = await drbdRole(node);
  const ip = await ssh(node, 'ip -j addr', { timeoutMs: 15_000, mux: false });
  return role === 'Primary' && ip.code === 0 && hasAddress(ip.stdout, vip);
}

/**
 * What DRBD's kernel log says about split brain on the node since `sinceMs` (host clock, rounded out to
 * whole minutes): the lines, [] when none. "Split-Brain detected" is DRBD 8.4's message when two
 * diverged Primaries meet again.
 */
export async function splitBrainLines(node: NodeName, sinceMs: number): Promise<string[]> {
  const min = Math.ceil((Date.now() - sinceMs) / 60_000) + 1;
  const r = await ssh(node, `journalctl -k --no-pager --since -${min}min | grep -i 'split-brain' || true`, { timeoutMs: 60_000, mux: false });
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** The NICs cutClusterLinks cut, with the QEMU PID each node had then (a fenced node's new QEMU starts with its link up). */
let cutRepl: { node: NodeName; pid: number | null }[] = [];

/**
 * The cluster's links between the nodes: `repl` (DRBD and Corosync's link 0) cut on the given nodes'
 * NICs, as pulling the cable on that side, and Corosync's link 1 on the service network cut in the hub
 * (the IPv4 frames between the two service addresses), while the service network still works for the
 * VIP, the gateway and the BMCs.
 */
export async function cutClusterLinks(replCutOn: NodeName[], svc: Record<NodeName, string>): Promise<void> {
  cutRepl = replCutOn.map((node) => ({ node, pid: qemuPid(node) }));
  await hubControl(`cut ${svc.lab1} ${svc.lab2}`);
  for (const n of replCutOn) await setLink(n, 'repl', false);
}

/**
 * Undoes cutClusterLinks (and any other hub rule); safe to call twice. A NIC is restored on the QEMU that
 * had it cut (an error there is thrown: the survivor's cable must come back); a node powered off since
 * then runs a new QEMU whose NIC starts connected.
 */
export async function restoreLinks(): Promise<void> {
  await hubControl('clear');
  for (const c of [...cutRepl]) {
    if (c.pid !== null && qemuPid(c.node) === c.pid) await setLink(c.node, 'repl', true);
    cutRepl = cutRepl.filter((x) => x !== c);
  }
}
