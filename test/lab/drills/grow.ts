// Drill: grow the volume online while the client writes (the e2e's workload runs through the VIP the whole
// time and the harness verifies every acknowledged write afterwards): `grow +16M` (the lab's VG keeps
// 52 MiB free: 16 MiB leaves the 15 % DRBD's resync snapshot needs), then the client's df shows a larger
// filesystem, both LVs are larger, DRBD is Connected and UpToDate on both nodes, and bad sizes change
// nothing (exit 2, one error line naming SIZE).
import { sshOk, type NodeName } from '../lab.js';
import { CLIENT_MOUNT, type Workload } from '../workload.js';
import { cli, drbdOn, type StorageDrillContext, type StorageDrillOutcome } from './storage-context.js';

const GROWTH = '+16M';

async function lvBytes(node: NodeName, vg: string, lv: string): Promise<number> {
  return Number((await sshOk(node, `lvs --noheadings --nosuffix --units b -o lv_size ${vg}/${lv}`, 60_000)).trim());
}

async function clientFsBytes(node: NodeName): Promise<number> {
  const out = await sshOk(node, `df --block-size=1 --output=size ${CLIENT_MOUNT} | tail -n 1`, 120_000);
  return Number(out.trim());
}

export async function growDrill(ctx: StorageDrillContext, workload: Workload): Promise<StorageDrillOutcome & { clientBefore: number; clientAfter: number }> {
  const transcripts: string[] = [];
  const fail = (what: string): never => {
    throw new Error(`grow: ${what}\n${transcripts.join('\n')}`);
  };
  const nodes = [ctx.active, ctx.passive];
  const lvBefore = await Promise.all(nodes.map((n) => lvBytes(n, ctx.vg, ctx.lv)));
  const clientBefore = await clientFsBytes(ctx.client);

  // Bad input first: nothing may change.
  for (const [size, why] of [['1M', 'smaller than today'], ['+100G', 'larger than the free space'], ['10%FREE', 'not a size lvextend -L takes']] as const) {
    const r = await cli(ctx, ['grow', size], transcripts);
    if (r.code !== 2 || !/^error: SIZE: /m.test(r.stderr)) fail(`grow ${size} (${why}): exit ${r.code}, expected 2 with one error naming SIZE`);
  }
  const unchanged = await Promise.all(nodes.map((n) => lvBytes(n, ctx.vg, ctx.lv)));
  if (unchanged.some((b, i) => b !== lvBefore[i])) fail(`a refused grow changed an LV: ${lvBefore.join(', ')} -> ${unchanged.join(', ')}`);

  const errorsBefore = workload.errors;
  const t0 = Date.now();
  const r = await cli(ctx, ['grow', GROWTH], transcripts);
  const seconds = (Date.now() - t0) / 1000;
  if (r.code !== 0) fail(`grow ${GROWTH} exited ${r.code}`);

  const lvAfter = await Promise.all(nodes.map((n) => lvBytes(n, ctx.vg, ctx.lv)));
  lvAfter.forEach((b, i) => {
    if (b < lvBefore[i]! + 16 * 2 ** 20) fail(`${nodes[i]}: ${ctx.vg}/${ctx.lv} is ${b} bytes, expected at least ${lvBefore[i]! + 16 * 2 ** 20}`);
  });
  const clientAfter = await clientFsBytes(ctx.client);
  if (!(clientAfter > clientBefore)) fail(`the client's df shows ${clientAfter} bytes, not more than ${clientBefore}`);
  for (const n of nodes) {
    const d = (await drbdOn(n))[0];
    if (!d || d.connection !== 'Connected' || d.disk !== 'UpToDate' || d.peerDisk !== 'UpToDate') fail(`${n}: DRBD is ${JSON.stringify(d)} after the grow, expected Connected UpToDate/UpToDate`);
  }
  const clientErrors = workload.errors - errorsBefore;
  if (clientErrors !== 0) fail(`the client saw ${clientErrors} I/O error(s) during the grow`);
  return {
    note: `grow ${GROWTH} in ${seconds.toFixed(1)} s: client df ${clientBefore} -> ${clientAfter} bytes, 0 client errors, DRBD UpToDate on both`,
    transcripts,
    clientBefore,
    clientAfter,
  };
}
