// A changed NFS server configuration on a running cluster: the file step, then a restart of the NFS server
// resource through Pacemaker (crm_resource --restart) on the node where it runs, said before the run; an
// unchanged one yields only skips. The cluster is the lab's running one (done/ captures: p_nfsserver runs
// on node1); FakeNode models what apply writes and when the server (re)started.
import { describe, expect, it } from 'vitest';
import type { Answers } from '../../src/answers/schema.js';
import { generateSecrets } from '../../src/generate/secrets.js';
import { buildExportFiles } from '../../src/generate/export-layout.js';
import { planSteps } from '../../src/plan/plan.js';
import { NFS_SCOPE_DROPIN_PATH } from '../../src/generate/nfs-conf.js';
import type { ApplyEvent } from '../../src/apply/engine.js';
import { answers, fakes, setup } from './engine-harness.js';

const withCommands = (a: Answers, ran: string[]) => planSteps(a).filter((s) => ran.includes(s.id) && s.commands.length > 0).map((s) => s.id).sort();
const firstStart = (events: ApplyEvent[]) => events.findIndex((e) => e.type === 'step-start');

describe('a changed nfs.conf on a running cluster', () => {
  it('yields exactly the file step on both nodes plus one restart through Pacemaker where the server runs; unchanged: only skips', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const secrets = generateSecrets(a);
    // First run on the lab's cluster: apply's own files are new there, nfs.conf included, so the running
    // server (started before) is restarted once, on node1 only.
    const first = await setup(a, nodes, {}, secrets).engine.run();
    expect(first.kind).toBe('done');
    expect(nodes[0]!.mutations.filter((x) => x[0] === 'crm_resource')).toEqual([['crm_resource', '--restart', '--resource', 'p_nfsserver']]);
    expect(nodes[1]!.mutations.filter((x) => x[0] === 'crm_resource')).toEqual([]);

    // Unchanged: nothing runs, no restart.
    for (const n of nodes) n.mutations.length = 0;
    const same = await setup(a, nodes, {}, secrets).engine.run();
    expect(same.kind === 'done' && withCommands(a, same.ran)).toEqual([]);
    expect(nodes.flatMap((n) => n.mutations)).toEqual([]);

    // A new nfs.conf (what a newer hanfs-wizard renders, e.g. another grace time): file step + restart.
    const files = buildExportFiles(a, [], secrets).map((f) =>
      f.target === '/etc/nfs.conf.d/hanfs.conf' ? { ...f, content: `${String(f.content)}# changed by a newer generator\n` } : f,
    );
    const dry = setup(a, nodes, { files, dryRun: true }, secrets);
    const planned = await dry.engine.run();
    // (Steps without commands are the waits and verifies: they always "run".)
    expect(planned.kind === 'dry-run' && withCommands(a, planned.wouldRun)).toEqual(['node1/file:/etc/nfs.conf.d/hanfs.conf', 'node1/nfs-restart', 'node2/file:/etc/nfs.conf.d/hanfs.conf']);
    expect(dry.events.some((e) => e.type === 'message' && /^would interrupt the service: node1: restarts p_nfsserver through Pacemaker on node1.*NFS clients stall briefly/.test(e.text))).toBe(true);
    expect(nodes.flatMap((n) => n.mutations)).toEqual([]);

    const run = setup(a, nodes, { files }, secrets);
    const changed = await run.engine.run();
    expect(changed.kind).toBe('done');
    if (changed.kind !== 'done') return;
    expect(withCommands(a, changed.ran)).toEqual(['node1/file:/etc/nfs.conf.d/hanfs.conf', 'node1/nfs-restart', 'node2/file:/etc/nfs.conf.d/hanfs.conf']);
    expect(nodes[0]!.mutations.filter((x) => x[0] === 'crm_resource')).toEqual([['crm_resource', '--restart', '--resource', 'p_nfsserver']]);
    expect(nodes.flatMap((n) => n.mutations).some((x) => x[0] === 'systemctl' && /restart|stop|start/.test(x[1] ?? ''))).toBe(false);
    // Said before anything ran.
    const warn = run.events.findIndex((e) => e.type === 'message' && /^will interrupt the service: node1: restarts p_nfsserver/.test(e.text));
    expect(warn).toBeGreaterThanOrEqual(0);
    expect(warn).toBeLessThan(firstStart(run.events));

    // And again: only skips.
    for (const n of nodes) n.mutations.length = 0;
    const after = await setup(a, nodes, { files }, secrets).engine.run();
    expect(after.kind === 'done' && withCommands(a, after.ran)).toEqual([]);
    expect(nodes.flatMap((n) => n.mutations)).toEqual([]);
  });

  it('a changed scope drop-in (what a new virtual IP renders) reloads systemd and restarts the server where it runs', async () => {
    const a = await answers('done-answers.yaml');
    const nodes = fakes(a);
    const secrets = generateSecrets(a);
    expect((await setup(a, nodes, {}, secrets).engine.run()).kind).toBe('done');
    for (const n of nodes) n.mutations.length = 0;
    // The server's scope is set by the drop-in when rpc.nfsd starts: the CIB change that moves the IP
    // restarts the exports and the IP, not the server that starts before them.
    const files = buildExportFiles(a, [], secrets).map((f) =>
      f.target === NFS_SCOPE_DROPIN_PATH ? { ...f, content: String(f.content).replace(/hostname \S+/, 'hostname 192.168.100.99') } : f,
    );
    const changed = await setup(a, nodes, { files }, secrets).engine.run();
    expect(changed.kind).toBe('done');
    if (changed.kind !== 'done') return;
    expect(withCommands(a, changed.ran)).toEqual([`node1/file:${NFS_SCOPE_DROPIN_PATH}`, 'node1/nfs-restart', 'node1/systemd-reload', `node2/file:${NFS_SCOPE_DROPIN_PATH}`, 'node2/systemd-reload']);
    expect(nodes[0]!.mutations.filter((x) => x[0] === 'crm_resource')).toEqual([['crm_resource', '--restart', '--resource', 'p_nfsserver']]);
    expect(nodes[1]!.mutations.filter((x) => x[0] === 'crm_resource')).toEqual([]);
  });
});

