// The order check on transition graphs: graphs produced here by the real crm_simulate from generated
// CIBs, with and without the order constraint.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadAnswersFile } from '../../src/answers/load.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { orderViolations, parseGraph } from '../../src/rehearse/graph.js';

async function firstGraph(cibXml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hanfs-graph-'));
  await writeFile(join(dir, 'cib.xml'), cibXml);
  const up = await execa('crm_simulate', ['-x', join(dir, 'cib.xml'), '-S', '-u', 'nfs1', '-u', 'nfs2', '-q', '1', '-O', join(dir, 's0.xml')], { reject: false });
  expect(up.exitCode, up.stderr).toBe(0);
  for (const n of ['nfs1', 'nfs2']) {
    for (const [k, v] of [['pingd', '1000'], ['master-p_drbd_nfsdata', '10000']]) {
      const r = await execa('crm_attribute', ['-N', n, '-n', k!, '-v', v!, '-l', 'reboot'], { env: { CIB_file: join(dir, 's0.xml') }, reject: false });
      expect(r.exitCode, r.stderr).toBe(0);
    }
  }
  const g = await execa('crm_simulate', ['-x', join(dir, 's0.xml'), '-S', '-G', join(dir, 'g.xml'), '-O', join(dir, 's1.xml')], { reject: false });
  expect(g.exitCode, g.stderr).toBe(0);
  return readFile(join(dir, 'g.xml'), 'utf8');
}

const SERVICE = ['p_fs', 'p_nfsserver', 'p_exportfs_1', 'p_vip', 'p_nfsnotify'];

describe('transition graph order check', () => {
  it('finds DRBD promoted before the service starts in the generated configuration', async () => {
    const r = await loadAnswersFile('examples/answers.yaml');
    if (!r.ok) throw new Error('invalid example');
    const graph = parseGraph(await firstGraph(renderCibXml(r.answers)));
    expect(graph).not.toBeNull();
    expect(graph!.some((a) => a.rsc === 'p_drbd_nfsdata' && a.operation === 'promote')).toBe(true);
    expect(graph!.some((a) => a.rsc === 'p_fs' && a.operation === 'start')).toBe(true);
    expect(orderViolations(graph!, 'p_drbd_nfsdata', SERVICE)).toEqual([]);
  }, 30_000);

  it('reports the service starting without waiting when the order constraint is gone', async () => {
    const r = await loadAnswersFile('examples/answers.yaml');
    if (!r.ok) throw new Error('invalid example');
    const graph = parseGraph(await firstGraph(renderCibXml(r.answers).replace(/\s*<rsc_order [^>]*\/>/, '')));
    const v = orderViolations(graph!, 'p_drbd_nfsdata', SERVICE);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatch(/^p_fs, p_nfsserver, .* start on nfs\d without waiting for DRBD's promotion there$/);
  }, 30_000);

  it('refuses what is not a transition graph', () => {
    expect(parseGraph('<cib/>')).toBeNull();
    expect(parseGraph('<transition_graph>')).toBeNull();
  });
});
