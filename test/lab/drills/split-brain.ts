// Drill (issue 31): a real split brain, resolved by `hanfs-wizard split-brain`. The client writes through
// the virtual IP to the active node throughout. The DRBD clone is put in maintenance first (as an admin
// provoking this by hand must: otherwise Pacemaker demotes the passive node's unexpected Primary at once),
// the replication link is cut, the passive node is made Primary by hand and written to directly (the
// victim's changes), and the link is restored while both are Primary: DRBD reports "Split-Brain detected
// but unresolved" and both sides stay StandAlone (after-sb-2pri disconnect).
// Then: the dry run must recommend the passive node (Pacemaker serves the clients from the active one);
// the action runs with --victim and --yes; both sides must be Connected/UpToDate; every write the client
// had acknowledged must be there through the VIP; the victim's own writes must be readable in the kept
// snapshot. The drill releases the clone's maintenance at the end (the action leaves an admin's hold alone).
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { setLink, sshOk, ssh, waitFor } from '../lab.js';
import { verifyWrites } from '../workload.js';
import { runCli, type DrillOutcome, type RecoveryDrillContext } from './recovery-context.js';

const VICTIM_DIR = '/mnt/hanfs-splitbrain-victim';
const SNAP_DIR = '/mnt/hanfs-splitbrain-kept';

async function drbdState(node: RecoveryDrillContext['active'], res: string): Promise<string> {
  return sshOk(node, `drbdadm cstate ${res}; drbdadm role ${res}; drbdadm dstate ${res}`, 60_000);
}

/** The clone id of the DRBD resource, from crm_mon on the node. */
async function drbdClone(ctx: RecoveryDrillContext): Promise<string> {
  const xml = await sshOk(ctx.active, 'crm_mon -1 --output-as=xml', 60_000);
  const m = /<clone id="([^"]+)"[^>]*>\s*<resource id="[^"]*" resource_agent="ocf:linbit:drbd"/.exec(xml);
  if (!m) throw new Error('split-brain drill: no DRBD clone in crm_mon');
  return m[1]!;
}

export async function splitBrainDrill(ctx: RecoveryDrillContext): Promise<DrillOutcome> {
  const { active, passive, drbdResource: res } = ctx;
  const transcripts: string[] = [];
  const clone = await drbdClone(ctx);
  await waitFor('client writes flowing', 60_000, 500, async () => (ctx.workload.acked.size >= 3 ? true : null));

  // 1. Provoke it: the clone held, the link cut, the passive node Primary and written to.
  await sshOk(active, `crm_resource --resource ${clone} --meta --set-parameter maintenance --parameter-value true`);
  await setLink(passive, 'repl', false);
  await setLink(active, 'repl', false);
  await waitFor(`${passive} sees the link down`, 120_000, 1_000, async () => ((await drbdState(passive, res)).split('\n')[0] !== 'Connected' ? true : null));
  // resource-only fencing: the handler may refuse the promotion of a disconnected node; --force is the admin's override.
  await sshOk(passive, `drbdadm primary ${res} || drbdadm primary --force ${res}`);
  const victimFiles = await sshOk(
    passive,
    `mkdir -p ${VICTIM_DIR} && mount /dev/drbd0 ${VICTIM_DIR} && mkdir -p ${VICTIM_DIR}/splitbrain-victim && ` +
      `for i in 1 2 3; do head -c 65536 /dev/urandom > ${VICTIM_DIR}/splitbrain-victim/v$i; done && sync && ` +
      `(cd ${VICTIM_DIR}/splitbrain-victim && sha256sum v1 v2 v3) && umount ${VICTIM_DIR}`,
  );
  await waitFor('more client writes on the active side', 60_000, 500, async () => (ctx.workload.acked.size >= 10 ? true : null));
  await setLink(active, 'repl', true);
  await setLink(passive, 'repl', true);
  await waitFor('StandAlone after the split brain is detected', 300_000, 2_000, async () => {
    const [a, p] = [await drbdState(active, res), await drbdState(passive, res)];
    return a.startsWith('StandAlone') || p.startsWith('StandAlone') ? true : null;
  });

  // 2. The dry run recommends the passive node: the clients were served by the active one.
  const dry = await runCli(ctx, ['split-brain', '--dry-run']);
  transcripts.push(`$ split-brain --dry-run (exit ${dry.code})\n${dry.stdout}${dry.stderr}`);
  if (dry.code !== 0 || !dry.stdout.includes(`recommended victim: ${passive}`)) throw new Error(`split-brain --dry-run did not recommend ${passive}:\n${dry.stdout}${dry.stderr}`);

  // 3. The recovery.
  const log = join(ctx.logDir, 'split-brain.log');
  const r = await runCli(ctx, ['split-brain', '--victim', passive, '--yes', '--log', log]);
  transcripts.push(`$ split-brain --victim ${passive} --yes (exit ${r.code})\n${r.stdout}${r.stderr}`);
  writeFileSync(join(ctx.logDir, 'split-brain-transcript.txt'), transcripts.join('\n\n'));
  if (r.code !== 0) throw new Error(`split-brain exited ${r.code}; journal ${log}:\n${r.stdout}${r.stderr}`);
  for (const n of [active, passive]) {
    const s = (await drbdState(n, res)).split('\n');
    if (s[0] !== 'Connected' || s[2] !== 'UpToDate/UpToDate') throw new Error(`${n} after split-brain: ${s.join(' ')}`);
  }

  // 4. Every acknowledged client write is there (read through the VIP).
  const { bad } = await verifyWrites(ctx.workload.node, ctx.workload.acked);
  if (bad.length) throw new Error(`split-brain drill: acknowledged writes lost: ${bad.slice(0, 10).join(', ')}`);

  // 5. The victim's writes are readable in the kept snapshot.
  const lvs = await sshOk(passive, `lvs --noheadings -o lv_name ${ctx.vg}`, 60_000);
  const snap = lvs.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`${ctx.lv}-splitbrain-`));
  if (!snap) throw new Error(`split-brain drill: no ${ctx.lv}-splitbrain-* snapshot on ${passive}: ${lvs}`);
  const kept = await sshOk(
    passive,
    `mkdir -p ${SNAP_DIR} && mount -t ext4 -o ro,noload /dev/${ctx.vg}/${snap} ${SNAP_DIR} && (cd ${SNAP_DIR}/splitbrain-victim && sha256sum v1 v2 v3); umount ${SNAP_DIR}`,
  );
  if (kept.trim() !== victimFiles.trim()) throw new Error(`split-brain drill: the victim's writes differ in ${snap}:\nwritten:\n${victimFiles}\nkept:\n${kept}`);

  // 6. The admin's hold released; the cleanup of the kept snapshot is the admin's too.
  await sshOk(active, `crm_resource --resource ${clone} --meta --delete-parameter maintenance`);
  await ssh(passive, `lvremove -y ${ctx.vg}/${snap}`, { timeoutMs: 60_000 });
  return { note: `victim ${passive}: ${ctx.workload.acked.size} client writes kept, 3 victim files readable in ${snap}`, transcripts };
}
