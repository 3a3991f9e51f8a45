// Preloaded with `node --import ./bench/helpers/record-loads.mjs`: records the URL of every ES module
// the process loads into the file named by HANFS_LOADS_FILE, so a test or benchmark can prove what a
// command did NOT load (Ink and React for --version). Hooks run off the main thread: append to a file.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.HANFS_LOADS_FILE) appendFileSync(process.env.HANFS_LOADS_FILE, url + '\\n');
  return next(url, context);
}`),
);
