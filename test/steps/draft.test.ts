import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { draftToYaml, getPath, parseDraftYaml, parsePath, schemaErrors, setDefault, setPath, validationCandidate } from '../../src/steps/draft.js';
import { validateAnswers } from '../../src/answers/load.js';

describe('field paths', () => {
  test('parse the answers file spelling', () => {
    expect(parsePath('nodes[1].replication.address')).toEqual(['nodes', 1, 'replication', 'address']);
    expect(parsePath('ping.targets')).toEqual(['ping', 'targets']);
  });

  test('setPath copies on write and creates what is missing', () => {
    const d = { nodes: [{ name: 'a' }] };
    const e = setPath(d, 'nodes[1].service.address', '10.0.0.2/24');
    expect(d).toEqual({ nodes: [{ name: 'a' }] });
    expect(e).toEqual({ nodes: [{ name: 'a' }, { service: { address: '10.0.0.2/24' } }] });
    expect(getPath(e, 'nodes[1].service.address')).toBe('10.0.0.2/24');
    expect(getPath(e, 'nodes[3].name')).toBeUndefined();
  });

  test('setDefault never overwrites an answer and returns the same object when nothing changes', () => {
    const d = { lvm: { vg: 'mine' } };
    expect(setDefault(d, 'lvm.vg', 'vg_nfs')).toBe(d);
    expect(setDefault(d, 'lvm.lv', 'lv_nfs')).toEqual({ lvm: { vg: 'mine', lv: 'lv_nfs' } });
  });
});

describe('validation with the answers file schema', () => {
  test('an empty draft stood in for is a valid answers file (the stand-ins raise no problem of their own)', () => {
    expect(validateAnswers(validationCandidate({})).ok).toBe(true);
  });

  test('reports only the fields asked for, with the file\'s own messages', () => {
    const d = { version: 1, drbd: { port: 22 }, virtualIp: { address: 'nope' } };
    expect(schemaErrors(d, ['drbd.port'])).toEqual({ 'drbd.port': 'must not be 22 (SSH)' });
    expect(schemaErrors(d, ['virtualIp.address'])['virtualIp.address']).toMatch(/IPv4 address with prefix/);
  });

  test('cross-field checks run too: a virtual IP equal to a node address', () => {
    let d = setPath({ version: 1 }, 'nodes[0].service.address', '192.168.1.11/24');
    d = setPath(d, 'nodes[1].service.address', '192.168.1.12/24');
    d = setPath(d, 'virtualIp.address', '192.168.1.12/24');
    expect(schemaErrors(d, ['virtualIp.address'])['virtualIp.address']).toMatch(/already used by nodes\[1\]\.service\.address/);
  });

  test('a list problem is reported on its field', () => {
    const d = setPath({ version: 1 }, 'ping.targets', ['10.0.0.1', 'x']);
    expect(schemaErrors(d, ['ping.targets'])['ping.targets']).toMatch(/^\[1\]: must be an IPv4 address/);
  });
});

describe('the saved draft', () => {
  test('YAML round trip, top-level fields in ANSWERS.md order', () => {
    const d = { backups: { snapshots: { keep: 3 } }, version: 1, nodes: [{ ssh: 'local' }] };
    const text = draftToYaml(d);
    expect(parse(text)).toEqual(d);
    expect(text.indexOf('version:')).toBeLessThan(text.indexOf('nodes:'));
    expect(text.indexOf('nodes:')).toBeLessThan(text.indexOf('backups:'));
    const back = parseDraftYaml(text);
    expect(back.ok && back.draft).toEqual(d);
  });

  test('a draft that is not a mapping, or not YAML, is refused with a reason', () => {
    expect(parseDraftYaml('- a\n- b\n')).toEqual({ ok: false, error: expect.stringMatching(/mapping/) });
    expect(parseDraftYaml('a: [\n').ok).toBe(false);
    expect(parseDraftYaml('')).toEqual({ ok: true, draft: {} });
  });
});
