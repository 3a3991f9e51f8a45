// Drill: a file the NFS client wrote is deleted by the client, then restored byte for byte from a snapshot
// mount, with the CLI's snapshot verbs only (docs/actions.md, "Restoring one file from yesterday"):
//   snapshot create  ->  the client deletes the file  ->  snapshot mount NODE:NAME  ->  cp -a from the
//   mount into the live filesystem on the Primary  ->  the client reads it back (same SHA-256)  ->
//   snapshot unmount  ->  snapshot remove (leaves no snapshot: grow needs none).
import { sshOk, ssh } from '../lab.js';
import { CLIENT_MOUNT } from '../workload.js';
import { cli, snapshotsOn, type StorageDrillContext, type StorageDrillOutcome } from './storage-context.js';

const FILE = 'e2e/snapshot-restore-me';

export async function snapshotRestoreDrill(ctx: StorageDrillContext): Promise<StorageDrillOutcome> {
  const transcripts: string[] = [];
  const fail = (what: string): never => {
    throw new Error(`snapshot-restore: ${what}\n${transcripts.join('\n')}`);
  };
  // 1. The client writes a file of random data and remembers its checksum.
  const sum = (await sshOk(ctx.client, `head -c 1048576 /dev/urandom > ${CLIENT_MOUNT}/${FILE} && sync ${CLIENT_MOUNT}/${FILE} && sha256sum < ${CLIENT_MOUNT}/${FILE} | cut -c1-64`)).trim();
  if (!/^[0-9a-f]{64}$/.test(sum)) fail(`no checksum of the client's file: ${sum}`);

  // 2. A consistent snapshot now (the timer's script on the Primary), read back by the action.
  const before = await snapshotsOn(ctx.active, ctx.vg, ctx.lv);
  const created = await cli(ctx, ['snapshot', 'create'], transcripts);
  if (created.code !== 0) fail(`snapshot create exited ${created.code}`);
  const after = await snapshotsOn(ctx.active, ctx.vg, ctx.lv);
  const name = after.find((n) => !before.includes(n)) ?? fail(`no new snapshot of ${ctx.vg}/${ctx.lv} on ${ctx.active} (before: ${before.join(', ')}; after: ${after.join(', ')})`);
  if (!new RegExp(`^${ctx.lv}_snap_\\d{8}T\\d{6}Z$`).test(name)) fail(`the snapshot ${name} is not named as the timer names its own`);
  const listed = await cli(ctx, ['snapshot', 'list'], transcripts);
  if (listed.code !== 0 || !listed.stdout.includes(`${ctx.active}: ${ctx.vg}/${name}`)) fail(`snapshot list does not show ${ctx.active}: ${ctx.vg}/${name}`);

  // 3. The client deletes the file.
  await sshOk(ctx.client, `rm -f ${CLIENT_MOUNT}/${FILE} && sync && echo 3 > /proc/sys/vm/drop_caches`);
  if ((await ssh(ctx.client, `test -e ${CLIENT_MOUNT}/${FILE}`)).code === 0) fail('the client still sees the deleted file');

  // 4. Mount the snapshot read-only on the node that has it (the Primary), copy the file back there.
  const ref = `${ctx.active}:${name}`;
  const mounted = await cli(ctx, ['snapshot', 'mount', ref], transcripts);
  if (mounted.code !== 0) fail(`snapshot mount exited ${mounted.code}`);
  const dir = `/mnt/hanfs-snapshot/${name}`;
  const opts = (await sshOk(ctx.active, `findmnt -n -o OPTIONS --mountpoint ${dir}`)).trim();
  if (!opts.split(',').includes('ro')) fail(`${dir} is not mounted read-only on ${ctx.active}: ${opts}`);
  const rel = `${ctx.exportPath.slice(ctx.mountPoint.length).replace(/^\/*/, '')}/${FILE}`.replace(/^\//, '');
  await sshOk(ctx.active, `cp -a ${dir}/${rel} ${ctx.mountPoint}/${rel} && sync`);

  // 5. The client reads the restored file: byte for byte what it wrote.
  const back = (await sshOk(ctx.client, `echo 3 > /proc/sys/vm/drop_caches; sha256sum < ${CLIENT_MOUNT}/${FILE} | cut -c1-64`)).trim();
  if (back !== sum) fail(`the restored file differs: wrote ${sum}, read back ${back}`);

  // 6. Unmount, then remove (typed confirmation: --yes stands for it); nothing of the snapshot left.
  const unmounted = await cli(ctx, ['snapshot', 'unmount', ref], transcripts);
  if (unmounted.code !== 0) fail(`snapshot unmount exited ${unmounted.code}`);
  if ((await ssh(ctx.active, `findmnt --mountpoint ${dir}`)).code === 0) fail(`${dir} is still mounted`);
  const removed = await cli(ctx, ['snapshot', 'remove', ref], transcripts);
  if (removed.code !== 0) fail(`snapshot remove exited ${removed.code}`);
  if ((await snapshotsOn(ctx.active, ctx.vg, ctx.lv)).includes(name)) fail(`${name} is still there after remove`);
  // Bad input changes nothing: a snapshot that no longer exists is one error line, exit 2.
  const again = await cli(ctx, ['snapshot', 'remove', ref], transcripts);
  if (again.code !== 2 || !/^error: NAME: /m.test(again.stderr)) fail(`removing it again: exit ${again.code}, expected 2 with an error naming NAME`);

  return { note: `restored ${FILE} (1 MiB) from ${ctx.active}:${name}, SHA-256 equal`, transcripts };
}
