// The two RAID1 members of one node, chosen from the probed disks. Ineligible disks stay visible with
// their reasons; choosing one, or the same disk twice under two names, is an error that blocks Next.
import { getPath, schemaErrors, setPath } from './draft.js';
import { findDisk, gib, matchingDisks } from './defaults.js';
import type { DiskInfo, NodeFacts } from '../probes/types.js';
import { recordable, type DiskIdentity } from '../answers/disk-identity.js';
import type { Draft, FieldErrors, Step, StepContext } from './types.js';

export function chosenDisks(d: Draft, node: number): string[] {
  const v = getPath(d, `nodes[${node}].disks`);
  return Array.isArray(v) ? v.map(String) : [];
}

/**
 * The node's chosen disks, and each one's identity as probed (serial/WWN, size) in nodes[i].diskIdentity:
 * apply refuses a disk of that name that is another disk (issue 25). Dropped disks lose theirs.
 */
export function chooseDisks(d: Draft, node: number, paths: string[], facts: NodeFacts | undefined): Draft {
  const ids: Record<string, DiskIdentity> = {};
  for (const p of paths) {
    const disk = findDisk(facts, p);
    const id = disk ? recordable(disk) : null;
    if (id) ids[p] = id;
  }
  return setPath(setPath(d, `nodes[${node}].disks`, paths), `nodes[${node}].diskIdentity`, Object.keys(ids).length ? ids : undefined);
}

export function diskErrors(d: Draft, ctx: StepContext, node: number): FieldErrors {
  const field = `nodes[${node}].disks`;
  const chosen = chosenDisks(d, node);
  const facts = ctx.facts?.[node];
  const problems: string[] = [];
  if (chosen.length !== 2) problems.push(`choose exactly two disks (${chosen.length} chosen)`);
  if (facts) {
    const seen = new Map<string, string>();
    for (const p of chosen) {
      const disk = findDisk(facts, p);
      if (!disk) {
        problems.push(`${p} is not a disk of ${facts.hostname}`);
        continue;
      }
      const other = seen.get(disk.path);
      if (other !== undefined) problems.push(`${p} is the same disk as ${other} (${disk.path}): RAID1 needs two different disks`);
      seen.set(disk.path, p);
      if (!disk.verdict.eligible) problems.push(`${disk.name} cannot be used: ${disk.verdict.reasons.join('; ')}`);
    }
  }
  const schema = schemaErrors(d, [field])[field];
  if (schema && chosen.length === 2) problems.push(schema);
  return problems.length ? { [field]: problems.join('; ') } : {};
}

function sizeNotes(d: Draft, ctx: StepContext, node: number): string[] {
  const notes: string[] = [];
  const pair = (n: number): DiskInfo[] => chosenDisks(d, n).map((p) => findDisk(ctx.facts?.[n], p)).filter((x): x is DiskInfo => x !== undefined);
  const mine = pair(node);
  if (mine.length === 2 && mine[0]!.sizeBytes !== mine[1]!.sizeBytes) {
    const small = Math.min(mine[0]!.sizeBytes, mine[1]!.sizeBytes);
    notes.push(`the two disks differ in size (${gib(mine[0]!.sizeBytes)}, ${gib(mine[1]!.sizeBytes)}): RAID1 uses ${gib(small)} of each, the rest of the larger one stays unused`);
  }
  const other = pair(1 - node);
  if (mine.length === 2 && other.length === 2) {
    const a = Math.min(...mine.map((x) => x.sizeBytes));
    const b = Math.min(...other.map((x) => x.sizeBytes));
    if (a !== b) notes.push(`the nodes' mirrors differ (${gib(a)} here, ${gib(b)} on the peer): DRBD replicates the smaller, ${gib(Math.min(a, b))}`);
  }
  return notes;
}

export function disksStep(node: 0 | 1): Step {
  return {
    id: `disks-${node}`,
    title: `Disks of the ${node === 0 ? 'first' : 'second'} node`,
    help:
      'RAID1 mirrors two whole disks, so either can fail without losing data. Only blank disks are offered: ' +
      'no partitions, no filesystem or RAID signature, not mounted, not in use. The by-id name is saved ' +
      'because /dev/sdX names can change between boots. Space chooses or drops a disk.',
    // The second node proposes the first node's pair when it has the same disks (never overwrites a choice,
    // not even an emptied one).
    ...(node === 1 ? { prefill: (d: Draft, ctx: StepContext) => {
      const twins = getPath(d, 'nodes[1].disks') === undefined ? matchingDisks(ctx.facts?.[0], chosenDisks(d, 0), ctx.facts?.[1]) : null;
      return twins ? chooseDisks(d, 1, twins, ctx.facts?.[1]) : d;
    } } : {}),
    validate: (d, ctx) => diskErrors(d, ctx, node),
    notes: (d, ctx) => sizeNotes(d, ctx, node),
    isComplete: (d, ctx) => chosenDisks(d, node).length === 2 && Object.keys(diskErrors(d, ctx, node)).length === 0,
    screen: 'disks',
  };
}

/** Which node a disks step edits. */
export function diskStepNode(id: string): 0 | 1 {
  return id === 'disks-1' ? 1 : 0;
}
