// The export tree of docs/answers.md, as data: every file with its bytes, mode, owner node and the path it is
// installed at. `export` writes it to a directory, the wizard's review shows it, apply installs the
// node files from it: one source, so what the admin reviewed is byte for byte what lands on the nodes.
import { constants } from 'node:fs';
import { mkdir, readdir, writeFile, chmod, lstat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Answers } from '../answers/schema.js';
import type { Problem } from '../answers/semantic.js';
import { answersToYaml } from '../answers/serialize.js';
import type { Secrets } from './secrets.js';
import { renderTextfileService, renderTextfileTimer } from './textfile-units.js';
import { renderCib } from './cib-xml.js';
import { planSteps } from '../plan/plan.js';
import type { PlanStep } from '../plan/types.js';
import { nodeFiles } from './node-files.js';
import { renderSetupCrm } from './setup-crm.js';
import { renderSetupPcs } from './setup-pcs.js';
import { renderPlanScript } from './plan-script.js';
import { renderExportReadme } from './export-readme.js';

export interface ExportFile {
  /** Path inside the export tree: "nfs1/etc/drbd.d/nfsdata.res", "cluster/cib.xml". */
  path: string;
  content: string | Buffer;
  mode: number;
  /** The node the file belongs to, or null for cluster/, plan/ and top-level files. */
  node: string | null;
  /** Absolute path on the node where apply installs it; null for files that are not installed. */
  target: string | null;
  /** True when the bytes carry a secret: never shown unredacted, never logged. */
  secret: boolean;
}

export { SNAPSHOT_SCRIPT_PATH } from './node-files.js';

/**
 * The export tree and the plan it was rendered with (plan/<node>.sh). apply hands this same plan to the
 * engine: the steps it shows, asks consent for and runs are the ones built here, not a second build.
 */
export interface Export {
  files: ExportFile[];
  plan: PlanStep[];
}

export function buildExportFiles(a: Answers, warnings: Problem[], secrets: Secrets): ExportFile[] {
  return buildExport(a, warnings, secrets).files;
}

export function buildExport(a: Answers, warnings: Problem[], secrets: Secrets): Export {
  const files: ExportFile[] = [
    { path: 'README.md', content: renderExportReadme(a, warnings), mode: 0o644, node: null, target: null, secret: false },
    { path: 'answers.yaml', content: answersToYaml(a, { redactSecrets: true }), mode: 0o644, node: null, target: null, secret: false },
  ];
  for (const node of a.nodes) {
    for (const f of nodeFiles(a)) {
      files.push({ path: `${node.name}${f.target}`, content: f.render(a, node, secrets), mode: f.mode, node: node.name, target: f.target, secret: f.secret });
    }
  }
  // The CIB model and the plan once for the whole tree: cib.xml, both setup scripts and both nodes' plan
  // scripts are rendered from the same two (test/generate/export-layout.test.ts counts).
  const cib = renderCib(a);
  const plan = planSteps(a, cib);
  // With STONITH, the cluster files carry the fence devices' credentials (ipmi passwords): owner-only.
  const fence = a.pacemaker.stonith !== 'none';
  files.push(
    { path: 'cluster/cib.xml', content: cib.xml, mode: fence ? 0o600 : 0o644, node: null, target: null, secret: fence },
    { path: 'cluster/setup.crm', content: renderSetupCrm(a, cib.model), mode: fence ? 0o600 : 0o644, node: null, target: null, secret: fence },
    { path: 'cluster/setup-pcs.sh', content: renderSetupPcs(a, cib.model), mode: fence ? 0o700 : 0o755, node: null, target: null, secret: fence },
  );
  // Optional (apply does not install them): the monitor's state for node_exporter's textfile collector,
  // for /etc/systemd/system on whichever machines run node_exporter (docs/monitor-prometheus.md).
  files.push(
    { path: 'monitor/hanfs-monitor-textfile.service', content: renderTextfileService(), mode: 0o644, node: null, target: null, secret: false },
    { path: 'monitor/hanfs-monitor-textfile.timer', content: renderTextfileTimer(), mode: 0o644, node: null, target: null, secret: false },
  );
  for (const node of a.nodes) {
    files.push({ path: `plan/${node.name}.sh`, content: renderPlanScript(a, node.name, plan), mode: 0o755, node: null, target: null, secret: false });
  }
  return { files, plan };
}

export type WriteResult = { ok: true; written: number } | { ok: false; message: string };

/**
 * Writes the tree under dir. A non-empty dir is refused unless force is set, so an export never
 * silently mixes with an older one. Modes are set explicitly (umask must not widen a secret's mode).
 */
export async function writeExportTree(dir: string, files: ExportFile[], options: { force: boolean }): Promise<WriteResult> {
  let existing: string[] = [];
  // The tree holds secrets: it is never written through a symbolic link, neither DIR itself nor (with
  // --force) a directory or file inside it, where a link could send a key file anywhere.
  const link = await symlinkIn(dir, files);
  if (link) return { ok: false, message: `${link} is a symbolic link: export writes only into real directories; give the directory it points to, or remove the link` };
  try {
    existing = await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return { ok: false, message: `${dir} exists and is not a directory` };
    if (code !== 'ENOENT') return { ok: false, message: `${dir}: ${code ?? String(e)}` };
  }
  if (existing.length > 0 && !options.force) {
    return { ok: false, message: `${dir} is not empty: choose an empty directory, or add --force to overwrite the files in it` };
  }
  for (const f of files) {
    const full = join(dir, f.path);
    await mkdir(dirname(full), { recursive: true, mode: 0o755 });
    // Create with the final mode (no window where a secret is world-readable), then chmod in case the
    // file existed before (--force) with another mode.
    // O_NOFOLLOW: a link created between the check above and this write is refused, not followed.
    await writeFile(full, f.content, { mode: f.mode, flag: constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW });
    await chmod(full, f.mode);
  }
  return { ok: true, written: files.length };
}

/** DIR, or the first directory or file of the tree under it, that is a symbolic link; else null. */
async function symlinkIn(dir: string, files: ExportFile[]): Promise<string | null> {
  const paths = new Set<string>([dir]);
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i <= parts.length; i++) paths.add(join(dir, ...parts.slice(0, i)));
  }
  for (const p of [...paths].sort((a, b) => a.length - b.length)) {
    try {
      if ((await lstat(p)).isSymbolicLink()) return p;
    } catch {
      // Absent: it will be created, as a real directory or file.
    }
  }
  return null;
}
