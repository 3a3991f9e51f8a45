// The e2e harness's own, deliberately small readers of the lab's ground truth: /proc/drbd (DRBD 8.4,
// the lab kernel's module), crm_mon XML and `ip -j addr`. They are independent of src/ on purpose: the
// harness judges what the wizard did and what its monitor reports, so it must not share their parsers.
// Checked on real captures by truth.test.ts.

export interface Drbd84State {
  minor: number;
  /** cs: Connected, WFConnection, StandAlone, SyncSource, ... */
  connection: string;
  role: string;
  peerRole: string;
  disk: string;
  peerDisk: string;
  /** Out-of-sync KiB (oos:), null when the line is missing. */
  outOfSyncKiB: number | null;
  /** The resync's "sync'ed: N%" while one runs, else null. */
  syncedPercent: number | null;
}

/** Parses `cat /proc/drbd` of DRBD 8.4; [] when no resource is up (only the version lines). */
export function parseProcDrbd84(text: string): Drbd84State[] {
  const out: Drbd84State[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(\d+): cs:(\S+) ro:([^/\s]+)\/(\S+) ds:([^/\s]+)\/(\S+)/.exec(lines[i]!);
    if (!m) continue;
    const oos = /\boos:(\d+)/.exec(lines[i + 1] ?? '');
    // The progress line follows the counters, before the next device's line.
    const synced = [lines[i + 2], lines[i + 3]].map((l) => /sync'ed:\s*([\d.]+)%/.exec(l ?? '')).find((m) => m !== null);
    out.push({
      minor: Number(m[1]),
      connection: m[2]!,
      role: m[3]!,
      peerRole: m[4]!,
      disk: m[5]!,
      peerDisk: m[6]!,
      outOfSyncKiB: oos ? Number(oos[1]) : null,
      syncedPercent: synced ? Number(synced[1]) : null,
    });
  }
  return out;
}

export interface CrmResource {
  id: string;
  agent: string;
  role: string;
  active: boolean;
  failed: boolean;
  nodes: string[];
}

export interface CrmState {
  /** false when crm_mon could not reach the cluster (the XML then holds only a status element). */
  connected: boolean;
  nodes: { name: string; online: boolean; standby: boolean }[];
  resources: CrmResource[];
  failures: number;
  dc: string | null;
}

const attr = (tag: string, name: string): string | null => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;

/** Reads `crm_mon -1 --output-as=xml` (Pacemaker 2.1). */
export function parseCrmMonXml(xml: string): CrmState {
  const nodesBlock = /<nodes>([\s\S]*?)<\/nodes>/.exec(xml)?.[1] ?? '';
  const nodes = [...nodesBlock.matchAll(/<node\s[^>]*>/g)].map((m) => ({
    name: attr(m[0], 'name') ?? '',
    online: attr(m[0], 'online') === 'true',
    standby: attr(m[0], 'standby') === 'true',
  }));
  const resBlock = /<resources>([\s\S]*?)<\/resources>/.exec(xml)?.[1] ?? '';
  const resources: CrmResource[] = [];
  for (const m of resBlock.matchAll(/<resource\s([^>]*?)(\/>|>([\s\S]*?)<\/resource>)/g)) {
    const tag = ` ${m[1]!}`;
    resources.push({
      id: attr(tag, 'id') ?? '',
      agent: attr(tag, 'resource_agent') ?? '',
      role: attr(tag, 'role') ?? '',
      active: attr(tag, 'active') === 'true',
      failed: attr(tag, 'failed') === 'true',
      nodes: [...(m[3] ?? '').matchAll(/<node\s[^>]*>/g)].map((n) => attr(n[0], 'name') ?? ''),
    });
  }
  const failuresBlock = /<failures>([\s\S]*?)<\/failures>/.exec(xml)?.[1] ?? '';
  const dcTag = /<current_dc\s[^>]*>/.exec(xml)?.[0] ?? '';
  return {
    connected: /<summary>/.test(xml),
    nodes,
    resources,
    failures: [...failuresBlock.matchAll(/<failure\s/g)].length,
    dc: attr(dcTag, 'present') === 'true' ? attr(dcTag, 'name') : null,
  };
}

/** Whether `ip -j addr` lists the address (without prefix) on any interface. */
export function hasAddress(ipJson: string, address: string): boolean {
  const ifaces = JSON.parse(ipJson) as { addr_info?: { local?: string }[] }[];
  return ifaces.some((i) => (i.addr_info ?? []).some((a) => a.local === address));
}

/** The interface's IPv4 addresses with prefix from `ip -j addr`, e.g. ["192.168.101.11/24"]. */
export function addressesOf(ipJson: string, ifname: string): string[] {
  const ifaces = JSON.parse(ipJson) as { ifname?: string; addr_info?: { family?: string; local?: string; prefixlen?: number }[] }[];
  const i = ifaces.find((x) => x.ifname === ifname);
  return (i?.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`);
}
