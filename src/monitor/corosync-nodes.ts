// Reads the nodelist of a corosync.conf, so `monitor` without --answers/--node watches the local cluster.
// Pure: takes the file's text. Comments (#) are ignored; only `nodelist { node { name, ring0_addr } }`.

export interface CorosyncNode {
  name: string | null;
  ring0Addr: string | null;
  nodeId: number | null;
}

export function parseCorosyncNodelist(text: string): CorosyncNode[] {
  const tokens = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('\n')
    .match(/[{}]|[^\s{}:]+(?:\s*:\s*[^\s{}]+)?/g) ?? [];
  const nodes: CorosyncNode[] = [];
  const path: string[] = [];
  let cur: CorosyncNode | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '}') {
      if (path.pop() === 'node' && cur) {
        nodes.push(cur);
        cur = null;
      }
      continue;
    }
    if (tokens[i + 1] === '{') {
      path.push(t);
      i++;
      if (t === 'node' && path[path.length - 2] === 'nodelist') cur = { name: null, ring0Addr: null, nodeId: null };
      continue;
    }
    const m = /^([^:\s]+)\s*:\s*(\S+)$/.exec(t);
    if (m && cur) {
      if (m[1] === 'name') cur.name = m[2]!;
      else if (m[1] === 'ring0_addr') cur.ring0Addr = m[2]!;
      else if (m[1] === 'nodeid') cur.nodeId = Number(m[2]);
    }
  }
  return nodes;
}
