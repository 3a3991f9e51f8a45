// Runs the monitor command module directly (tsx), for the tmux test and the benches while the built
// dist/cli.js is not available: `npx tsx test/helpers/run-monitor.ts --demo=running --once`.
import { run } from '../../src/commands/monitor.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 70;
  },
);
