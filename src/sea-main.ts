// The entry of the single executable (scripts/package-sea.mjs): Node's single-executable-application
// support runs one CommonJS script with the files it needs carried as SEA assets, not on disk. The demo
// lab is the one folder a command reads from disk, so with --demo its assets are written to a private
// temporary folder (0700, removed at exit) and handed over as HANFS_DEMO_LAB, which the demo loader
// already honours. Everything else is the ordinary CLI.
import { getAsset } from 'node:sea';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAsProcess } from './cli.js';

/** The asset that lists the demo lab's files (relative paths), written by scripts/package-sea.mjs. */
export const DEMO_LAB_INDEX = 'demo-lab/index.json';

function extractDemoLab(): void {
  if (process.env.HANFS_DEMO_LAB) return;
  const files = JSON.parse(getAsset(DEMO_LAB_INDEX, 'utf8')) as string[];
  // mkdtemp: a fresh name nobody else can have prepared (this may run as root in a shared /tmp).
  const root = mkdtempSync(join(tmpdir(), 'hanfs-wizard-demo-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  for (const rel of files) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, new Uint8Array(getAsset(`demo-lab/${rel}`)));
  }
  process.env.HANFS_DEMO_LAB = root;
}

const argv = process.argv.slice(2);
if (argv.some((a) => a === '--demo' || a.startsWith('--demo='))) extractDemoLab();
runAsProcess(argv);
