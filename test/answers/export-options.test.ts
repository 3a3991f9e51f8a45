// exports(5) checks: the option list nfs-utils 2.6 parseopts() knows, typos, contradictions, risky
// options and clients; then the same through the answers loader and the export README.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { checkExportClients, checkExportOptions, suggestOption } from '../../src/answers/export-options.js';
import { validateAnswers, formatProblems } from '../../src/answers/load.js';
import { renderExportReadme } from '../../src/generate/export-readme.js';

const example = () => parse(readFileSync('examples/answers.yaml', 'utf8')) as Record<string, any>;

function withExport(e: Record<string, string>) {
  const a = example();
  a.nfs.exports = [{ path: '/srv/nfs/export', clients: '192.168.1.0/24', ...e }];
  return validateAnswers(a);
}

describe('exports(5) options', () => {
  it.each([
    'rw,sync,no_subtree_check',
    'ro,async,root_squash,all_squash,anonuid=65534,anongid=65534',
    'rw,sync,sec=krb5p:krb5i,secure_locks,crossmnt,nohide,no_wdelay,nordirplus,security_label,no_pnfs,no_acl',
    'sec=krb5,rw,sec=sys,ro',
    'rw,mountpoint,mp=/srv/nfs,refer=/a@h1+h2,replicas=/b@h3,squash_uids=0-99',
  ])('accepts %s', (o) => {
    expect(checkExportOptions(o).errors).toEqual([]);
  });

  it.each([
    ['snyc', 'sync'],
    ['sycn', 'sync'],
    ['no_subtree_chek', 'no_subtree_check'],
    ['no_root_sqash', 'no_root_squash'],
    ['wr', 'rw'],
    ['insecre', 'insecure'],
  ])('a typo %s gets "did you mean %s?"', (typo, meant) => {
    expect(suggestOption(typo)).toBe(meant);
    expect(checkExportOptions(`rw,${typo}`.replace(/^rw,wr$/, 'wr')).errors).toContain(`${typo} is not an exports(5) option: did you mean ${meant}?`);
  });

  it('a word far from every option gets no guess', () => {
    expect(checkExportOptions('rw,sync,frobnicate').errors).toEqual(['frobnicate is not an exports(5) option (see man 5 exports)']);
  });

  it.each([
    ['rw,ro', 'rw and ro'],
    ['sync,async', 'sync and async'],
    ['secure,insecure', 'secure and insecure'],
    ['root_squash,no_root_squash', 'root_squash and no_root_squash'],
    ['secure_locks,no_auth_nlm', 'secure_locks and no_auth_nlm'],
    ['subtree_check,no_subtree_check', 'subtree_check and no_subtree_check'],
  ])('refuses the contradiction %s', (o, pair) => {
    expect(checkExportOptions(o).errors).toEqual([`${pair} contradict each other: keep one`]);
  });

  it('judges conflicts per sec= section, as exports(5) allows', () => {
    expect(checkExportOptions('sec=krb5p,rw,sec=sys,ro').errors).toEqual([]);
    expect(checkExportOptions('sec=sys,rw,ro').errors).toHaveLength(1);
  });

  it.each([
    ['anonuid=nobody', 'anonuid=nobody: expected a numeric id'],
    ['sec=krb6', 'unknown security flavour krb6'],
    ['anonuid', 'anonuid needs a value'],
    ['sync=1', 'sync takes no value'],
    ['mp=relative', 'expected an absolute path'],
  ])('checks the value of %s', (o, text) => {
    expect(checkExportOptions(o).errors.join('\n')).toContain(text);
  });

  it.each([
    ['rw,sync,no_root_squash', 'no_root_squash'],
    ['rw,sync,insecure', 'insecure'],
    ['rw,sync,insecure_locks', 'insecure_locks'],
    ['rw,async', 'async'],
  ])('warns about %s', (o, word) => {
    const r = checkExportOptions(o);
    expect(r.errors).toEqual([]);
    expect(r.warnings.some((w) => w.startsWith(word))).toBe(true);
  });

  it('the safe default warns about nothing', () => {
    expect(checkExportOptions('rw,sync,no_subtree_check')).toEqual({ errors: [], warnings: [] });
  });
});

describe('exports(5) clients', () => {
  it.each(['*', '*.*', '*.*.*.*', '?*', '@all', '@staff', '0.0.0.0/1', '128.0.0.0/1', '8.8.8.0/24', '192.0.0.0/2', '10.0.0.0/255.0.0.0'.replace('10.', '11.')])('warns about %s', (c) => {
    const r = checkExportClients(c);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
  });

  it.each(['192.168.1.0/24', '10.0.0.0/8', '172.16.0.0/12', '10.1.0.0/255.255.0.0', 'client1.example.com', '*.lab.example.edu', '192.168.1.20'])('accepts %s without a word', (c) => {
    expect(checkExportClients(c)).toEqual({ errors: [], warnings: [] });
  });

  it.each(['300.1.1.0/24', '10.0.0.0/33', '10.0.0.0/255.0.255.0', '0.0.0.0/0'])('refuses %s', (c) => {
    expect(checkExportClients(c).errors).toHaveLength(1);
  });
});

describe('exports checked by the answers loader', () => {
  it('rw,snyc is refused naming the field, with the suggestion', () => {
    const r = withExport({ options: 'rw,snyc' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatProblems(r.problems)).toBe('error: nfs.exports[0].options: snyc is not an exports(5) option: did you mean sync?');
  });

  it('rw,ro is refused', () => {
    const r = withExport({ options: 'rw,ro,sync' });
    expect(r.ok ? '' : formatProblems(r.problems)).toBe('error: nfs.exports[0].options: rw and ro contradict each other: keep one');
  });

  it('risky options and clients become warnings that reach the export README', () => {
    const r = withExport({ clients: '*.*', options: 'rw,sync,no_root_squash,insecure' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const paths = r.warnings.map((w) => `${w.path}: ${w.message.split(':')[0]}`);
    expect(paths).toEqual(expect.arrayContaining(['nfs.exports[0].options: no_root_squash', 'nfs.exports[0].options: insecure', 'nfs.exports[0].clients: "*.*" exports to every host that can reach the virtual IP']));
    const readme = renderExportReadme(r.answers, r.warnings);
    expect(readme).toContain('no_root_squash: root on any client');
    expect(readme).toContain('insecure: requests from unprivileged ports');
    expect(readme).toContain('"*.*" exports to every host');
  });
});
