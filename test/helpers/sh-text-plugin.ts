// The vitest (Vite) plugin that imports src/plan/sh/*.sh as text, as esbuild's text loader does in the build.
import { readFileSync } from 'node:fs';

export const shText = {
  name: 'sh-text',
  enforce: 'pre' as const,
  load(id: string) {
    if (!id.endsWith('.sh')) return null;
    return { code: `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`, map: null };
  },
};
