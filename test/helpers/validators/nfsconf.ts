// nfs.conf files checked by nfs-utils' own parser: `nfsconf --file FILE --dump` prints what the daemons
// will read, and "nfsconf: config error at FILE:LINE" on stderr for lines it ignores (exit status stays 0,
// so any stderr is a failure). `values` is the parsed result, for asserting on what nfsd will really see.
import { join } from 'node:path';
import { describeRun, runTool, withTempFiles, type Validation } from './run.js';

export function validateNfsConf(text: string): Validation & { values: Record<string, string> } {
  return withTempFiles({ 'nfs.conf': text }, (dir) => {
    const r = runTool(['nfsconf', '--file', join(dir, 'nfs.conf'), '--dump']);
    const values: Record<string, string> = {};
    let section = '';
    for (const line of r.stdout.split('\n')) {
      const s = /^\[(.+)\]$/.exec(line.trim());
      if (s) section = s[1]!;
      const kv = /^\s*(\S+)\s*=\s*(.*)$/.exec(line);
      if (kv && section) values[`${section}.${kv[1]}`] = kv[2]!.trim();
    }
    const ok = !r.missing && r.code === 0 && r.stderr.trim() === '';
    return { ok, output: describeRun('nfsconf --dump', r), values };
  });
}
