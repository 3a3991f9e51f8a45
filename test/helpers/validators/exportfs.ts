// Exports checked by the real `exportfs -ra` (VALIDATORS.md). exportfs has no flag for another exports
// file, so it runs chrooted into a private tmpfs root, built inside a private mount namespace: the host's
// top-level directories bind-mounted in (read for the binary and its libraries), a tmpfs over
// /var/lib/nfs, the generated file bind-mounted over /etc/exports, and every export directory created
// on the tmpfs (a top-level directory an export lives under is a fresh tmpfs directory, not the host's).
// Nothing on the host changes. ANY "exportfs:" line on stderr is a failure: `10.0.0.0/24 (rw)` (a space)
// exports to the world with exit 0 and only a warning.
import { join } from 'node:path';
import type { Answers } from '../../../src/answers/schema.js';
import { renderExportsLines } from '../../../src/generate/exports.js';
import { describeRun, runInNamespaces, withTempFiles, type Validation } from './run.js';

const SCRIPT = `
exports=$1; root=$2; shift 2
mount -t tmpfs -o mode=0755 tmpfs "$root"
# Top-level directories that exports live under are created fresh in the tmpfs, not bound from the host.
declare -A fresh=([tmp]=1)
for p in "$@"; do top=\${p#/}; top=\${top%%/*}; fresh[$top]=1; done
for e in /*; do
  name=\${e#/}
  if [ -n "\${fresh[$name]:-}" ]; then mkdir -p "$root/$name"; continue; fi
  if [ -L "$e" ]; then ln -s "$(readlink "$e")" "$root/$name"
  elif [ -d "$e" ]; then mkdir "$root/$name"; mount --rbind "$e" "$root/$name"
  fi
done
mount -t tmpfs -o mode=0755 tmpfs "$root/var/lib/nfs"
if [ -d "$root/etc/exports.d" ]; then mount -t tmpfs tmpfs "$root/etc/exports.d"; fi
touch "$root/etc/exports" 2>/dev/null || true
mount --bind "$exports" "$root/etc/exports"
for p in "$@"; do mkdir -p "$root$p"; done
chroot "$root" exportfs -ra
echo "--- etab"
cat "$root/var/lib/nfs/etab"
`;

/** The paths (first word) of each non-comment line of an exports file. */
export function exportPaths(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[0]!);
}

/** Runs `exportfs -ra` on an exports file's text; `etab` is what exportfs recorded as exported. */
export function validateExportsText(text: string): Validation & { etab: string } {
  const paths = exportPaths(text);
  for (const p of paths) {
    if (!/^\/[A-Za-z0-9._+\/-]+$/.test(p)) return { ok: false, output: `unexpected export path ${JSON.stringify(p)}`, etab: '' };
  }
  return withTempFiles({ exports: text }, (dir) => {
    const root = join(dir, 'root');
    const r = runInNamespaces(`mkdir -p "$2"\n${SCRIPT}`, [join(dir, 'exports'), root, ...paths], { net: false });
    const complaints = r.stderr.split('\n').filter((l) => /exportfs:/.test(l));
    const ok = !r.missing && r.code === 0 && complaints.length === 0;
    const etab = r.stdout.split('--- etab\n')[1] ?? '';
    return { ok, output: describeRun('exportfs -ra', r), etab };
  });
}

/** Renders the answers' exports (src/generate/exports.ts) and checks them with exportfs. */
export function validateExports(a: Pick<Answers, 'nfs'>): Validation & { etab: string; text: string } {
  const text = renderExportsLines(a);
  return { ...validateExportsText(text), text };
}
