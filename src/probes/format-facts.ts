// Plain-text rendering of NodeFacts for `hanfs-wizard probe` (and any non-TTY output): a pure function,
// so the exact text is testable.
import type { DiskInfo, NodeFacts } from './types.js';
import { formatBytes } from './disks.js';

function diskLine(d: DiskInfo): string {
  const id = d.byId[0] !== undefined ? d.byId[0].replace('/dev/disk/by-id/', 'by-id/') : d.serial !== null ? `serial ${d.serial}` : 'no by-id name';
  const verdict = d.verdict.eligible ? 'eligible' : `refused: ${d.verdict.reasons.join('; ')}`;
  return `    ${d.path.padEnd(12)} ${formatBytes(d.sizeBytes).padStart(9)}  ${id.padEnd(34)} ${verdict}`;
}

export function formatNodeFacts(f: NodeFacts): string {
  const out: string[] = [];
  const name = f.hostname !== '' ? f.hostname : '(no answer)';
  out.push(`${f.target}: ${name}`);
  if (f.hostname === '') {
    out.push(`  unreachable: ${f.failures[0]?.message ?? 'no answer'}`);
    return out.join('\n');
  }
  out.push(`  system:   ${f.os?.prettyName ?? 'unknown OS'}, kernel ${f.kernel ?? '?'}`);
  out.push(
    `  DRBD:     ${f.drbdModuleVersion === null ? 'no kernel module found' : `module ${f.drbdModuleVersion} (${f.drbdModuleLoaded ? 'loaded' : 'not loaded'})`}`,
  );
  const missing = f.packages.filter((p) => !p.installed).map((p) => p.name);
  if (f.packages.length === 0) out.push('  packages: not checked');
  else if (missing.length === 0) out.push(`  packages: all ${f.packages.length} needed packages installed`);
  else {
    out.push(`  packages: missing ${missing.join(', ')}`);
    if (f.installCommand) out.push(`            install with: ${f.installCommand.join(' ')}`);
  }
  out.push('  disks:');
  if (f.disks.length === 0) out.push('    (none found)');
  for (const d of f.disks) out.push(diskLine(d));
  const md = f.md ?? [];
  if (md.length > 0) {
    out.push('  md arrays:');
    for (const a of md) {
      const state = a.detailState?.join(', ') ?? a.state;
      const sync = a.sync ? `, ${a.sync.action} ${a.sync.percent}%` : '';
      const members = a.members.map((m) => `${m.device}${m.faulty ? '(F)' : m.spare ? '(S)' : ''}`).join(' ');
      const words = [a.path, a.level, state + (a.map ? ` [${a.map}]` : '') + sync].filter((w): w is string => w !== null && w !== '');
      out.push(`    ${words.join(' ')}: ${members}`);
    }
  }
  if (f.lvm) {
    const { pvs, vgs, lvs } = f.lvm;
    if (pvs.length + vgs.length + lvs.length === 0) out.push('  LVM:      no physical volumes');
    else {
      out.push(`  LVM:      PVs ${pvs.map((p) => `${p.name}${p.vg ? `(${p.vg})` : ''}`).join(', ') || '-'}`);
      for (const v of vgs) out.push(`            VG ${v.name}: ${v.sizeBytes !== null ? formatBytes(v.sizeBytes) : '?'}, free ${v.freeBytes !== null ? formatBytes(v.freeBytes) : '?'}`);
      for (const l of lvs) out.push(`            LV ${l.vg}/${l.name}: ${l.sizeBytes !== null ? formatBytes(l.sizeBytes) : '?'}${l.isSnapshot ? ` snapshot of ${l.origin}, ${l.dataPercent ?? '?'}% full` : ''}`);
    }
  }
  out.push('  NICs:');
  for (const n of f.nics.filter((x) => !x.loopback)) {
    const speed = n.speedMbps !== null ? ` ${n.speedMbps >= 1000 ? `${n.speedMbps / 1000} Gb/s` : `${n.speedMbps} Mb/s`}` : '';
    out.push(`    ${n.name.padEnd(12)} ${(n.state + speed).padEnd(8)} ${(n.mac ?? '').padEnd(17)} ${n.addresses.join(' ') || '(no address)'}`);
  }
  out.push(`  default gateway: ${f.defaultGateway ?? 'none'}`);
  if (f.failures.length > 0) {
    out.push('  probes that failed:');
    for (const x of f.failures) out.push(`    ${x.probe}: ${x.message}`);
  }
  return out.join('\n');
}

export function formatAllFacts(facts: NodeFacts[]): string {
  return facts.map(formatNodeFacts).join('\n\n') + '\n';
}
