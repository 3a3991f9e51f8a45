// When and by whom a release is made, for the man page's date and the Debian changelog: from
// SOURCE_DATE_EPOCH / DEB_MAINTAINER when set (reproducible builds), else from the last commit.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function git(format) {
  try {
    return execFileSync('git', ['log', '-1', `--format=${format}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Seconds since the epoch. */
export function releaseEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  return Number(git('%ct')) || Math.floor(Date.now() / 1000);
}

/** YYYY-MM-DD (UTC). */
export function releaseDate() {
  return new Date(releaseEpoch() * 1000).toISOString().slice(0, 10);
}

/** "Name <address>" for the Debian changelog and control file: DEB_MAINTAINER, else the last commit's author. */
export function releaseMaintainer() {
  const m = process.env.DEB_MAINTAINER || git('%an <%ae>');
  if (!/^[^<>]+ <[^<>@\s]+@[^<>\s]+>$/.test(m)) throw new Error(`no maintainer for the Debian package: set DEB_MAINTAINER="Name <address>" (got "${m}")`);
  return m;
}
