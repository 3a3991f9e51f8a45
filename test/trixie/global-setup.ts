// Builds the Debian 13 tools root once before any test file (about 5.5 min the first time on this
// machine, 0.2 s when cached), so no single test's timeout has to hold the build; a failed build fails
// the run with the build's own error.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync('bash', ['test/setup/trixie-root.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 });
  if (r.status !== 0) throw new Error(`test/setup/trixie-root.sh failed (exit ${r.status}); its stderr is above`);
}
