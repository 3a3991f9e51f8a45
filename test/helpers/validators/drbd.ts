// DRBD resource files checked by drbd-utils' own parser (VALIDATORS.md): `drbdadm -c FILE dump all`, then
// as each node `__DRBD_NODE__=<name> drbdadm -c FILE -d up RES` (prints the drbdsetup/drbdmeta commands
// it would run; exit 0). DRBD 8.4 syntax goes through /usr/lib/drbd/drbdadm-84: the v9 parser rejects it.
import { join } from 'node:path';
import { describeRun, runTool, withTempFiles, type Validation } from './run.js';

export function drbdadmFor(version: '8.4' | '9'): string {
  return version === '9' ? 'drbdadm' : '/usr/lib/drbd/drbdadm-84';
}

/** stderr always carries modinfo noise without the kernel module, and the __DRBD_NODE__ banner. */
function denoise(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^modinfo: ERROR: Module drbd not found\.$/.test(l))
    .filter((l) => !/found __DRBD_NODE__ in environment|PRETENDING that I am/.test(l))
    .join('\n')
    .trim();
}

export function validateDrbdRes(text: string, nodeName: string, version: '8.4' | '9'): Validation & { upCommands: string } {
  const resource = /^resource\s+([^\s{]+)/m.exec(text)?.[1];
  if (!resource) return { ok: false, output: 'no "resource NAME {" line found', upCommands: '' };
  return withTempFiles({ 'r.res': text }, (dir) => {
    const file = join(dir, 'r.res');
    const drbdadm = drbdadmFor(version);
    const dump = runTool([drbdadm, '-c', file, 'dump', 'all'], { cwd: dir });
    if (dump.missing || dump.code !== 0) {
      return { ok: false, output: denoise(describeRun(`${drbdadm} dump all`, dump)), upCommands: '' };
    }
    const up = runTool([drbdadm, '-c', file, '-d', 'up', resource], { cwd: dir, env: { __DRBD_NODE__: nodeName } });
    const ok = !up.missing && up.code === 0;
    return { ok, output: denoise(describeRun(`__DRBD_NODE__=${nodeName} ${drbdadm} -d up ${resource}`, up)), upCommands: up.stdout };
  });
}

/** `drbdadm dump all`'s normalized text, for assertions on what the parser understood. */
export function dumpDrbdRes(text: string, version: '8.4' | '9'): Validation {
  return withTempFiles({ 'r.res': text }, (dir) => {
    const r = runTool([drbdadmFor(version), '-c', join(dir, 'r.res'), 'dump', 'all'], { cwd: dir });
    return { ok: !r.missing && r.code === 0, output: r.missing ? r.missing : r.code === 0 ? r.stdout : denoise(r.stderr) };
  });
}
