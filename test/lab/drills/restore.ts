// Drill (issue 31): a file the client deleted comes back byte for byte with `hanfs-wizard restore --at`.
// The client writes a file through the virtual IP (fsync), a snapshot of the LV under DRBD is taken on the
// Primary with the filesystem frozen (as the snapshot timer does), the client deletes the file, and
// `restore PATH --at <now> --yes` copies it back beside its path (PATH.restored-<time>): its SHA-256, read
// through the client's mount, must be the one the client wrote. The snapshot is removed afterwards.
import { join } from 'node:path';
import { sshOk } from '../lab.js';
import { CLIENT_MOUNT } from '../workload.js';
import { runCli, type DrillOutcome, type RecoveryDrillContext } from './recovery-context.js';

export async function restoreDrill(ctx: RecoveryDrillContext): Promise<DrillOutcome> {
  const client = ctx.workload.node;
  const file = 'e2e/restore-drill-file';
  const written = (await sshOk(client, `head -c 1048576 /dev/urandom > /run/hanfs-restore && dd if=/run/hanfs-restore of=${CLIENT_MOUNT}/${file} bs=1M conv=fsync status=none && sha256sum < /run/hanfs-restore | cut -c1-64`)).trim();
  const snap = 'restore-drill';
  await sshOk(ctx.active, `sync && fsfreeze -f ${ctx.mountPoint} && { lvcreate --snapshot --name ${snap} --size 16m ${ctx.vg}/${ctx.lv}; r=$?; fsfreeze -u ${ctx.mountPoint}; exit $r; }`);
  const at = new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  await sshOk(client, `rm -f ${CLIENT_MOUNT}/${file} && sync`);
  const path = `${ctx.exportPath}/${file}`;
  const r = await runCli(ctx, ['restore', path, '--at', at, '--yes', '--log', join(ctx.logDir, 'restore.log')]);
  const transcripts = [`$ restore ${path} --at ${at} --yes (exit ${r.code})\n${r.stdout}${r.stderr}`];
  try {
    if (r.code !== 0) throw new Error(`restore exited ${r.code}:\n${r.stdout}${r.stderr}`);
    const back = (await sshOk(client, `echo 3 > /proc/sys/vm/drop_caches; sha256sum ${CLIENT_MOUNT}/${file}.restored-* | cut -c1-64`)).trim();
    if (back !== written) throw new Error(`the restored copy differs: wrote ${written}, restored ${back}`);
  } finally {
    await sshOk(ctx.active, `lvremove -y ${ctx.vg}/${snap}`).catch(() => undefined);
  }
  return { note: `${file} deleted by the client, restored beside its path from ${snap}, byte for byte`, transcripts };
}
