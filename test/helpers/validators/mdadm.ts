// mdadm.conf checked by mdadm's own parser, offline: `mdadm --examine --scan --config=FILE` reads the
// file (DEVICE lines decide what it examines) and reports unknown keywords, unknown words on ARRAY lines
// and ARRAY lines without identity on stderr. It only reads devices; with no md module nothing assembles.
// Any stderr line is a failure.
import { join } from 'node:path';
import { describeRun, runTool, withTempFiles, type Validation } from './run.js';

export function validateMdadmConf(text: string): Validation {
  return withTempFiles({ 'mdadm.conf': text }, (dir) => {
    const r = runTool(['mdadm', '--examine', '--scan', `--config=${join(dir, 'mdadm.conf')}`]);
    const ok = !r.missing && r.code === 0 && r.stderr.trim() === '';
    return { ok, output: describeRun('mdadm --examine --scan --config', r) };
  });
}
