// The answers file records a replaced disk: nodes[<node>].disks has the new disk where the old one was.
// Only that one scalar's bytes change: the parser locates it (its source range), the text is spliced there,
// so the file's comments, alignment, order and every other field stay byte for byte as the admin wrote them
// (printing the parsed document back would reflow comments and flow lists). When nodes[<node>].diskIdentity
// records the old disk, that entry is renamed to the new disk and holds the new disk's identity (a name
// in diskIdentity that disks no longer lists is refused by the loader: the lab's drill found the file
// unloadable after a replacement).
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';

/** The new disk's identity as the answers record it (lsblk's SERIAL, WWN and size in bytes). */
export interface DiskIdentity {
  serial: string | null;
  wwn: string | null;
  size: number | null;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function identityFlow(id: DiskIdentity): string {
  const q = (v: string) => JSON.stringify(v);
  const parts = [id.serial ? `serial: ${q(id.serial)}` : null, id.wwn ? `wwn: ${q(id.wwn)}` : null, id.size !== null ? `size: ${id.size}` : null].filter((x) => x !== null);
  return `{ ${parts.join(', ')} }`;
}

export function replaceAnswersDisk(text: string, node: string, oldDisk: string, newDisk: string, identity: DiskIdentity | null = null): string {
  const doc = parseDocument(text);
  const nodes = doc.get('nodes');
  if (!isSeq(nodes)) throw new Error('the answers file has no nodes list');
  const n = nodes.items.find((x) => isMap(x) && x.get('name') === node);
  if (!isMap(n)) throw new Error(`the answers file has no node named ${node}`);
  const disks = n.get('disks');
  if (!isSeq(disks)) throw new Error(`nodes[${node}].disks is not a list`);
  const item = disks.items.find((x) => isScalar(x) && x.value === oldDisk);
  if (!isScalar(item)) throw new Error(`nodes[${node}].disks does not list ${oldDisk}`);
  const [start, end] = item.range ?? [];
  if (start === undefined || end === undefined) throw new Error(`nodes[${node}].disks: ${oldDisk} has no position in the file`);
  const was = text.slice(start, end);
  const quote = was.startsWith('"') ? '"' : was.startsWith("'") ? "'" : '';
  const splices: Splice[] = [{ start, end, text: `${quote}${newDisk}${quote}` }];
  const ids = n.get('diskIdentity');
  const pair = isMap(ids) ? ids.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === oldDisk) : undefined;
  if (pair && isScalar(pair.key)) {
    const [ks, ke] = pair.key.range ?? [];
    const value = pair.value as { range?: [number, number, number] } | null;
    const [vs, ve] = value?.range ?? [];
    if (ks === undefined || ke === undefined || vs === undefined || ve === undefined) throw new Error(`nodes[${node}].diskIdentity: ${oldDisk} has no position in the file`);
    // Without the new disk's serial or WWN the entry would identify nothing (the loader refuses that).
    if (!identity || (!identity.serial && !identity.wwn)) throw new Error(`nodes[${node}].diskIdentity records ${oldDisk}, and ${newDisk} has no serial or WWN to record in its place: edit diskIdentity by hand`);
    const kw = text.slice(ks, ke);
    const kq = kw.startsWith('"') ? '"' : kw.startsWith("'") ? "'" : '';
    splices.push({ start: ks, end: ke, text: `${kq}${newDisk}${kq}` }, { start: vs, end: ve, text: identityFlow(identity) });
  }
  // From the end backwards, so the earlier positions stay right.
  return splices.sort((a, b) => b.start - a.start).reduce((t, sp) => `${t.slice(0, sp.start)}${sp.text}${t.slice(sp.end)}`, text);
}
