// A small line diff (longest common subsequence) for showing a file edited by hand next to the generated
// one: "-" lines only on the node, "+" lines only in the new file, "  " common lines around changes.

export function lineDiff(current: string, ours: string, context = 2): string[] {
  const a = current.split('\n');
  const b = ours.split('\n');
  const n = a.length;
  const m = b.length;
  // Files here are config files of a few hundred lines: the O(n*m) table is fine.
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push(`- ${a[i++]}`);
    else ops.push(`+ ${b[j++]}`);
  }
  const keep = ops.map((o, k) => ops.slice(Math.max(0, k - context), k + context + 1).some((x) => !x.startsWith('  ')));
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (keep[k]) out.push(o);
    else if (out[out.length - 1] !== '...') out.push('...');
  });
  // Identical texts: nothing to show (not a lone "...").
  return out.every((l) => l === '...') ? [] : out;
}
