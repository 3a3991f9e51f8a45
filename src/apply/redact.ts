// Secrets never reach a journal or a screen: every text apply prints or logs passes through redact().
import type { Answers } from '../answers/schema.js';
import { REDACTED, SECRET_PARAMETER } from '../answers/serialize.js';

export { REDACTED };

/** Secret values the answers themselves carry: a literal DRBD secret, fence agents' passwords. */
export function answerSecrets(a: Answers): string[] {
  const out: string[] = [];
  if (a.drbd.secret !== 'generate') out.push(a.drbd.secret);
  const st = a.pacemaker.stonith;
  if (st !== 'none') {
    for (const params of Object.values(st.nodes)) {
      for (const [k, v] of Object.entries(params)) if (SECRET_PARAMETER.test(k)) out.push(String(v));
    }
  }
  return out;
}

export class Redactor {
  private readonly secrets: string[];
  constructor(secrets: string[]) {
    // Longest first, so a secret that contains another is replaced whole; very short strings would
    // redact ordinary words, and no generated or accepted secret is that short.
    this.secrets = [...new Set(secrets.filter((s) => s.length >= 6))].sort((x, y) => y.length - x.length);
  }
  add(secret: string): void {
    if (secret.length >= 6 && !this.secrets.includes(secret)) {
      this.secrets.push(secret);
      this.secrets.sort((x, y) => y.length - x.length);
    }
  }
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(REDACTED);
    return out;
  }
}
