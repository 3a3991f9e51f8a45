// Secrets in every spelling they take: a fence password with quotes and an ampersand is XML-escaped in the
// CIB (and in `cibadmin -Q`'s output, which the journal records), quoted in setup.crm and setup-pcs.sh.
// The CIB output is the real cibadmin's, on a CIB file.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Answers } from '../../src/answers/schema.js';
import { answerSecrets, REDACTED, Redactor, secretForms } from '../../src/apply/redact.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { renderSetupCrm } from '../../src/generate/setup-crm.js';
import { renderSetupPcs } from '../../src/generate/setup-pcs.js';
import { loadExample } from '../helpers/example-answers.js';

const AWKWARD = `pa"s s&<w'd\\x`;

async function withPassword(password: string): Promise<Answers> {
  const { answers } = await loadExample('examples/varied/nfs3-stay-fence-ipmilan.yaml');
  const st = answers.pacemaker.stonith;
  if (st === 'none' || !('nodes' in st)) throw new Error('the example fences with an agent');
  for (const params of Object.values(st.nodes)) params.password = password;
  return answers;
}

describe('the redactor', () => {
  it('hides a password with quotes, an ampersand and a backslash in the CIB, both scripts and the live CIB read back', async () => {
    const a = await withPassword(AWKWARD);
    const r = new Redactor(answerSecrets(a));
    const file = join(mkdtempSync(join(tmpdir(), 'redact-')), 'cib.xml');
    const cib = renderCibXml(a);
    writeFileSync(file, cib);
    const q = spawnSync('cibadmin', ['-Q'], { encoding: 'utf8', env: { ...process.env, CIB_file: file } });
    expect(q.status, q.stderr).toBe(0);
    const texts = { 'cib.xml': cib, 'setup.crm': renderSetupCrm(a), 'setup-pcs.sh': renderSetupPcs(a), 'cibadmin -Q': q.stdout };
    for (const [name, text] of Object.entries(texts)) {
      // The generators really wrote it in one of its spellings (else this test proves nothing).
      expect(secretForms(AWKWARD).some((f) => text.includes(f)), name).toBe(true);
      const out = r.redact(text);
      for (const f of secretForms(AWKWARD)) expect(out, name).not.toContain(f);
      expect(out, name).toContain(REDACTED);
      // Only the secret goes: the user name beside it stays.
      expect(out, name).toMatch(/admin/);
    }
  });

  it('a short password is hidden where it is a value, and the same letters inside other words stay', async () => {
    const a = await withPassword('ipmi');
    const r = new Redactor(answerSecrets(a));
    const out = r.redact(renderCibXml(a));
    expect(out).toMatch(new RegExp(`name="password" value="${REDACTED}"`));
    expect(out).toContain('fence_ipmilan');
    expect(r.redact(renderSetupCrm(a))).toMatch(new RegExp(`password=${REDACTED} `));
  });
});
