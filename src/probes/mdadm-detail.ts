// `mdadm --detail /dev/mdX`: the array's own view (State : clean, degraded, recovering; each device's role),
// merged into the /proc/mdstat entry.
import type { MdArray } from './types.js';

export const mdadmDetailArgv = (dev: string): string[] => ['mdadm', '--detail', dev];

export interface MdadmDetail {
  device: string | null;
  fields: Record<string, string>;
  state: string[];
  level: string | null;
  uuid: string | null;
  name: string | null;
  raidDevices: number | null;
  activeDevices: number | null;
  workingDevices: number | null;
  failedDevices: number | null;
  spareDevices: number | null;
  /** "Resync Status : 7% complete" / "Rebuild Status : 7% complete". */
  progress: { kind: 'resync' | 'rebuild' | 'reshape' | 'check'; percent: number } | null;
  /** major/minor: the member's device numbers (0 0 for an empty slot): how its identity is checked. */
  devices: { number: number | null; major: number; minor: number; raidDevice: number | null; state: string; device: string | null }[];
}

export function parseMdadmDetail(text: string): MdadmDetail {
  const lines = text.split('\n');
  const fields: Record<string, string> = {};
  const devices: MdadmDetail['devices'] = [];
  let device: string | null = null;
  let inTable = false;
  for (const line of lines) {
    const dev = /^(\/dev\/\S+):\s*$/.exec(line);
    if (dev) {
      device = dev[1] as string;
      continue;
    }
    if (/^\s*Number\s+Major\s+Minor\s+RaidDevice/.test(line)) {
      inTable = true;
      continue;
    }
    if (inTable) {
      //    0     254       16        0      active sync   /dev/vdb
      //    -       0        0        1      removed
      //    -     254       96        -        /dev/vdg
      const m = /^\s*(\d+|-)\s+(\d+)\s+(\d+)\s+(\d+|-)\s*(.*?)\s*$/.exec(line);
      if (m) {
        const rest = m[5] ?? '';
        const devMatch = /(\/dev\/\S+)$/.exec(rest);
        devices.push({
          number: m[1] === '-' ? null : Number(m[1]),
          major: Number(m[2]),
          minor: Number(m[3]),
          raidDevice: m[4] === '-' ? null : Number(m[4]),
          state: (devMatch ? rest.slice(0, devMatch.index) : rest).trim(),
          device: devMatch ? (devMatch[1] as string) : null,
        });
      }
      continue;
    }
    const kv = /^\s*([A-Za-z][A-Za-z ]*?)\s*:\s(.*)$/.exec(line);
    if (kv) fields[(kv[1] as string).trim()] = (kv[2] as string).trim();
  }
  const num = (k: string) => (fields[k] !== undefined && /^\d+$/.test(fields[k] as string) ? Number(fields[k]) : null);
  let progress: MdadmDetail['progress'] = null;
  for (const [k, kind] of [['Resync Status', 'resync'], ['Rebuild Status', 'rebuild'], ['Reshape Status', 'reshape'], ['Check Status', 'check']] as const) {
    const p = fields[k] !== undefined ? /([\d.]+)%/.exec(fields[k] as string) : null;
    if (p) progress = { kind, percent: Number(p[1]) };
  }
  return {
    device,
    fields,
    state: (fields.State ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    level: fields['Raid Level'] ?? null,
    uuid: fields.UUID ?? null,
    name: fields.Name !== undefined ? (fields.Name.split(/\s+/)[0] as string) : null,
    raidDevices: num('Raid Devices'),
    activeDevices: num('Active Devices'),
    workingDevices: num('Working Devices'),
    failedDevices: num('Failed Devices'),
    spareDevices: num('Spare Devices'),
    progress,
    devices,
  };
}

/** The mdstat entry completed with what mdadm --detail says. */
export function mergeMdadmDetail(a: MdArray, d: MdadmDetail): MdArray {
  const members = a.members.map((m) => {
    const row = d.devices.find((r) => r.device === `/dev/${m.device}`);
    return row ? { ...m, state: row.state || null } : m;
  });
  return {
    ...a,
    level: a.level ?? d.level,
    members,
    detailState: d.state,
    uuid: d.uuid,
    mdName: d.name,
    degraded: a.degraded || d.state.includes('degraded'),
  };
}
