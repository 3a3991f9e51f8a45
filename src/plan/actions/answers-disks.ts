// The answers file records a replaced disk: nodes[<node>].disks has the new disk where the old one was.
// Only that one scalar's bytes change: the parser locates it (its source range), the text is spliced there,
// so the file's comments, alignment, order and every other field stay byte for byte as the admin wrote them
// (printing the parsed document back would reflow comments and flow lists).
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';

export function replaceAnswersDisk(text: string, node: string, oldDisk: string, newDisk: string): string {
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
  return `${text.slice(0, start)}${quote}${newDisk}${quote}${text.slice(end)}`;
}
