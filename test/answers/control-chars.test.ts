import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { findControlChars, MAX_STRING_LENGTH } from '../../src/answers/control-chars.js';
import { parseAnswersText, formatProblems } from '../../src/answers/load.js';

const FENCED = 'examples/varied/kvm-guests-fence-virsh.yaml';

describe('control characters in the answers', () => {
  it('a STONITH parameter with a newline is refused naming the parameter, and never reaches setup.crm', () => {
    const doc = parse(readFileSync(FENCED, 'utf8')) as { pacemaker: { stonith: { nodes: Record<string, Record<string, string>> } } };
    const [node] = Object.keys(doc.pacemaker.stonith.nodes);
    doc.pacemaker.stonith.nodes[node!]!['ip'] = '192.168.122.1\nprimitive evil ocf:heartbeat:Dummy';
    const r = parseAnswersText(stringify(doc));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatProblems(r.problems)).toBe(`error: pacemaker.stonith.nodes.${node}.ip: contains a control character (U+000A): write the value on one line, without tabs, escapes or other control characters`);
  });

  it.each(['\t', '\r', '\u0000', '\u001b[2J', '\u007f', '\u0085', '\u2028'])('refuses %j anywhere, keys included', (c) => {
    expect(findControlChars({ a: [`x${c}`] })).toEqual([{ path: 'a[0]', message: expect.stringContaining('control character') }]);
    expect(findControlChars({ [`k${c}`]: 1 })[0]!.message).toMatch(/^the key contains a control character/);
  });

  it('printable text, non-ASCII included, is not its business', () => {
    expect(findControlChars({ a: 'rw,sync', b: ['é', 1, true, null], c: { d: '中' } })).toEqual([]);
  });

  it('refuses a string longer than any field', () => {
    expect(findControlChars({ a: 'x'.repeat(MAX_STRING_LENGTH) })).toEqual([]);
    expect(findControlChars({ a: 'x'.repeat(MAX_STRING_LENGTH + 1) })[0]!.message).toMatch(/^is 4097 characters long/);
  });
});
