// A minimal XML reader for the documents Pacemaker's tools write (CIB files, transition graphs,
// crm_mon output): elements, attributes and text; no DTDs, no CDATA. Pure, no dependency: enough for
// machine-written XML, and the real validators (xmllint, crm_verify) judge well-formedness elsewhere.

export interface XmlEl {
  name: string;
  attrs: Record<string, string>;
  children: XmlEl[];
  /** The element's own text (between its tags, children's text excluded), entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** The document's root element, or null when the text is not well-formed as far as this reader sees. */
export function parseXml(xml: string): XmlEl | null {
  const root: XmlEl = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlEl[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    stack[stack.length - 1]!.text += decode(xml.slice(last, m.index));
    last = tag.lastIndex;
    if (m[2] === undefined) continue; // declaration or comment
    if (m[1] === '/') {
      if (stack.length < 2 || stack[stack.length - 1]!.name !== m[2]) return null;
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    }
    const el: XmlEl = { name: m[2], attrs, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    if (m[4] !== '/') stack.push(el);
  }
  return stack.length === 1 && root.children.length === 1 ? root.children[0]! : null;
}

export const childEl = (el: XmlEl | undefined, name: string): XmlEl | undefined => el?.children.find((c) => c.name === name);
export const childEls = (el: XmlEl | undefined, name: string): XmlEl[] => el?.children.filter((c) => c.name === name) ?? [];

/** Every descendant element (depth first), the element itself excluded. */
export function descendants(el: XmlEl): XmlEl[] {
  const out: XmlEl[] = [];
  const walk = (e: XmlEl) => {
    for (const c of e.children) {
      out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
