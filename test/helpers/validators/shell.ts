// Shell scripts checked by `bash -n` (syntax) and shellcheck (must be clean: no finding at any level).
import { join } from 'node:path';
import { describeRun, runTool, withTempFiles, type Validation } from './run.js';

export function validateShellScript(text: string): Validation {
  return withTempFiles({ 'script.sh': text }, (dir) => {
    const file = join(dir, 'script.sh');
    const syntax = runTool(['bash', '-n', file]);
    if (syntax.missing || syntax.code !== 0 || syntax.stderr.trim()) return { ok: false, output: describeRun('bash -n', syntax) };
    // The shebang picks the dialect; --severity=style reports everything shellcheck knows.
    const lint = runTool(['shellcheck', '--severity=style', '--format=gcc', file]);
    return { ok: !lint.missing && lint.code === 0 && lint.stdout.trim() === '', output: describeRun('shellcheck', lint) };
  });
}
