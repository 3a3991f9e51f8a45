// No field of the answers file takes a control character: every string ends up in a configuration file,
// a shell argument or the CIB, where a newline starts a new directive (a STONITH parameter with a newline
// reached setup.crm raw) and an escape sequence rewrites the admin's terminal when shown. One walk over
// the parsed document checks every string and every key, whatever the schema says about the field.

/** C0 controls (tab and newline included), DEL, C1 controls, and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface ControlCharProblem {
  path: string;
  message: string;
}

function codePoint(s: string): string {
  const c = CONTROL.exec(s)![0].codePointAt(0)!;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const k = CONTROL.test(key) ? JSON.stringify(key) : key;
  return path ? `${path}.${k}` : k;
}

/** No field needs more: PATH_MAX is 4096, and every other field is far shorter. */
export const MAX_STRING_LENGTH = 4096;

/**
 * Every string value or key that holds a control character, or is longer than any field can be, with its
 * field path as the file spells it.
 */
export function findControlChars(data: unknown, path = ''): ControlCharProblem[] {
  const out: ControlCharProblem[] = [];
  const what = 'contains a control character';
  const fix = 'write the value on one line, without tabs, escapes or other control characters';
  if (typeof data === 'string') {
    if (CONTROL.test(data)) out.push({ path: path || '(top level)', message: `${what} (${codePoint(data)}): ${fix}` });
    else if (data.length > MAX_STRING_LENGTH) out.push({ path: path || '(top level)', message: `is ${data.length} characters long: no field takes more than ${MAX_STRING_LENGTH}` });
  } else if (Array.isArray(data)) {
    data.forEach((x, i) => out.push(...findControlChars(x, join(path, i))));
  } else if (data !== null && typeof data === 'object') {
    for (const [k, v] of Object.entries(data)) {
      if (CONTROL.test(k)) out.push({ path: join(path, k), message: `the key ${what} (${codePoint(k)}): ${fix}` });
      else if (k.length > MAX_STRING_LENGTH) out.push({ path: path || '(top level)', message: `has a key ${k.length} characters long: unknown field, remove it` });
      else out.push(...findControlChars(v, join(path, k)));
    }
  }
  return out;
}
