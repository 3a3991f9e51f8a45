// Secrets never reach a journal or a screen: every text apply prints or logs passes through redact().
import type { Answers } from '../answers/schema.js';
import { REDACTED, SECRET_PARAMETER } from '../answers/serialize.js';
import { escapeXml } from '../generate/cib-xml.js';

export { REDACTED };

/** Secret values the answers themselves carry: a literal DRBD secret, fence agents' passwords. */
export function answerSecrets(a: Answers): string[] {
  const out: string[] = [];
  if (a.drbd.secret !== 'generate') out.push(a.drbd.secret);
  const st = a.pacemaker.stonith;
  if (typeof st === 'object' && 'nodes' in st) {
    for (const params of Object.values(st.nodes)) {
      for (const [k, v] of Object.entries(params)) if (SECRET_PARAMETER.test(k)) out.push(String(v));
    }
  }
  return out;
}

/**
 * Every spelling a secret takes in what we write or read back: as typed, XML-escaped (the CIB, and
 * `cibadmin -Q`'s output), crmsh-quoted (setup.crm) and inside a POSIX single-quoted word (setup-pcs.sh,
 * a command line). A fence password with a quote or an ampersand was shown in the review and journaled
 * through `cibadmin -Q` when only the typed form was hidden.
 */
export function secretForms(secret: string): string[] {
  return [...new Set([secret, escapeXml(secret), secret.replace(/(["\\])/g, '\\$1'), secret.replace(/'/g, `'\\''`)])];
}

/**
 * A short secret (an admin's fence password can be "admin") would hide ordinary words anywhere: it is
 * matched only where it stands as a whole value, after a quote, "=" or a blank and before a quote, a
 * blank or the line's end (value="...", password=..., '...').
 */
export function wholeValuePattern(form: string): RegExp {
  return new RegExp(`(?<=[\\s"'=])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s"']|$)`, 'gm');
}

/** Below this length a secret is hidden only as a whole value (wholeValuePattern). */
const ANYWHERE_MIN = 6;

export class Redactor {
  private readonly anywhere: string[] = [];
  private readonly whole: RegExp[] = [];
  constructor(secrets: string[], private readonly replacement = REDACTED) {
    for (const s of secrets) this.add(s);
  }
  add(secret: string): void {
    if (secret === '') return;
    for (const form of secretForms(secret)) {
      if (secret.length >= ANYWHERE_MIN) {
        if (!this.anywhere.includes(form)) this.anywhere.push(form);
      } else {
        const re = wholeValuePattern(form);
        if (!this.whole.some((x) => x.source === re.source)) this.whole.push(re);
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.anywhere.sort((x, y) => y.length - x.length);
  }
  redact(text: string): string {
    let out = text;
    for (const s of this.anywhere) out = out.split(s).join(this.replacement);
    for (const re of this.whole) out = out.replace(re, this.replacement);
    return out;
  }
}
