// The CIB facts the monitor reads (cibadmin -Q), and crm_mon's cluster options and thresholds, on the
// captured lab CIB and on the same CIB after the real Pacemaker tools left a ban, a move and a threshold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cibTopology, parseCibFacts } from '../../src/probes/cib-facts.js';
import { parseCrmMonExtras } from '../../src/probes/crm-mon-extras.js';

const admin = (f: string) => readFileSync(new URL(`../fixtures/monitor-admin/${f}`, import.meta.url), 'utf8');

describe('parseCibFacts', () => {
  it('reads what the lab cluster declares: DRBD resource, filesystem, export, virtual IP, ping targets', () => {
    const r = parseCibFacts(admin('cibadmin_Q.nfs-running-with-ping.node2.xml'));
    if (!r.ok) throw new Error(r.error);
    expect(cibTopology(r.facts)).toEqual({ drbdResources: ['r0'], mounts: ['/srv/nfs'], exports: ['/srv/nfs'], vips: ['192.168.100.10'], pingTargets: ['192.168.100.11', '192.168.100.12'] });
    expect(r.facts.locations).toEqual([]);
    expect(r.facts.clusterOptions['stonith-enabled']).toBe('false');
    expect(r.facts.rscDefaults['resource-stickiness']).toBe('100');
  });

  it('sees the constraints crm_resource --ban and --move leave, with their node', () => {
    const r = parseCibFacts(admin('cibadmin_Q.admin-traps.xml'));
    if (!r.ok) throw new Error(r.error);
    expect(r.facts.locations).toEqual([
      { id: 'cli-ban-g_nfs-on-node2', rsc: 'g_nfs', node: 'node2', score: '-INFINITY', kind: 'cli-ban' },
      { id: 'cli-prefer-cl_ping', rsc: 'cl_ping', node: 'node1', score: 'INFINITY', kind: 'cli-prefer' },
    ]);
  });

  it('refuses what is not a CIB', () => {
    expect(parseCibFacts(admin('crm_mon_1_xml.admin-traps.xml'))).toEqual({ ok: false, error: 'not a CIB (cibadmin -Q output)' });
    expect(parseCibFacts('lsblk says hi')).toMatchObject({ ok: false });
  });
});

describe('parseCrmMonExtras', () => {
  it('reads the cluster options and per-node migration thresholds', () => {
    const x = parseCrmMonExtras(admin('crm_mon_1_xml.admin-traps.xml'))!;
    expect(x).toMatchObject({ stonithEnabled: false, maintenanceMode: false, stopAllResources: false });
    expect(x.migrationThreshold['node2']?.['p_drbd_r0']).toBe(4);
    expect(parseCrmMonExtras(admin('crm_mon_1_xml.admin-maintenance.xml'))!.maintenanceMode).toBe(true);
    expect(parseCrmMonExtras('not xml')).toBeNull();
  });
});
