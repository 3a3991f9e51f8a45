// systemd units checked by `systemd-analyze verify`, offline (systemd is not PID 1 here).
// What works here, measured with systemd 252: verify the unit files by path (their directory joins the
// unit search path, so the timer finds its service). verify insists that ExecStart's binary exists and
// is executable, at its real path: --root=DIR would avoid that but then lacks sysinit.target and fails.
// So the executables are installed at their real paths on a tmpfs in a private mount namespace (the
// host's /usr/local/sbin is never touched). --man=no: this machine has no lvm2 man pages, and a
// Documentation=man: line would fail for that alone. ANY output on stderr is a failure: systemd
// ignores a bad setting with only a warning ("Failed to parse ..., ignoring").
import { dirname, join } from 'node:path';
import { describeRun, runInNamespaces, runTool, withTempFiles, type Validation } from './run.js';

const SCRIPT = `
units_dir=$1; shift
declare -A dirs=()
for spec in "$@"; do dirs[$(dirname "\${spec#*=}")]=1; done
for d in "\${!dirs[@]}"; do mkdir -p "$d"; mount -t tmpfs -o mode=0755 tmpfs "$d"; done
for spec in "$@"; do install -m 0755 "$units_dir/\${spec%%=*}" "\${spec#*=}"; done
shopt -s nullglob
exec systemd-analyze verify --man=no "$units_dir"/*.service "$units_dir"/*.timer
`;

/**
 * units: file name -> content (e.g. hanfs-snapshot.service); executables: absolute path -> content, the
 * programs the units run (installed there for the check).
 */
export function validateUnits(units: Record<string, string>, executables: Record<string, string>): Validation {
  const files: Record<string, string> = { ...units };
  const specs: string[] = [];
  Object.entries(executables).forEach(([path, content], i) => {
    if (!path.startsWith('/') || dirname(path) === '/') throw new Error(`executable path must be absolute, below a directory: ${path}`);
    files[`exec-${i}`] = content;
    specs.push(`exec-${i}=${path}`);
  });
  return withTempFiles(files, (dir) => {
    const r = runInNamespaces(SCRIPT, [dir, ...specs], { net: false });
    const ok = !r.missing && r.code === 0 && r.stderr.trim() === '';
    return { ok, output: describeRun('systemd-analyze verify', r).replaceAll(`${join(dir, '')}`, '') };
  });
}

/** `systemd-analyze calendar EXPR`: exit 0 when systemd accepts the OnCalendar expression. */
export function validateCalendar(expression: string): Validation & { normalized: string } {
  const r = runTool(['systemd-analyze', 'calendar', expression]);
  const normalized = /Normalized form: (.*)/.exec(r.stdout)?.[1]?.trim() ?? '';
  return { ok: !r.missing && r.code === 0, output: describeRun(`systemd-analyze calendar ${expression}`, r), normalized };
}
