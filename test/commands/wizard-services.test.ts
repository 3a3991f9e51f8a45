import { describe, expect, it } from 'vitest';
import { createWizardServices } from '../../src/commands/wizard-services.js';
import { loadExample } from '../helpers/example-answers.js';
import { secretForms } from '../../src/apply/redact.js';

describe('wizard services: the review hides secrets on screen', () => {
  it('the fence password stays in the files but the masked view of every file never shows it', async () => {
    const { answers, warnings } = await loadExample('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    const services = createWizardServices({ demo: true, answersPath: '/nonexistent/answers.yaml' });
    const built = await services.buildExport(answers, warnings);
    if (!built.ok) throw new Error(built.error);
    const text = built.files.filter((f): f is typeof f & { content: string } => typeof f.content === 'string');
    const withPassword = text.filter((f) => f.content.includes('s3cret-ipmi'));
    // The CIB, the crmsh and pcs scripts carry it (written 0600): the bytes export writes are unchanged.
    expect(withPassword.map((f) => f.path)).toEqual(expect.arrayContaining(['cluster/cib.xml']));
    for (const f of text) expect(built.mask(f.content), f.path).not.toContain('s3cret-ipmi');
    const cib = built.mask(text.find((f) => f.path === 'cluster/cib.xml')!.content);
    expect(cib).toContain('value="<secret: hidden here>"');
    // The user name next to it is not a secret and stays readable.
    expect(cib).toMatch(/name="username" value="admin"/);
  });

  it('a password with quotes and an ampersand is hidden in every spelling (XML-escaped in the CIB, quoted in the scripts)', async () => {
    const { answers, warnings } = await loadExample('examples/varied/nfs3-stay-fence-ipmilan.yaml');
    const pw = `pa"s s&<w'd`;
    const st = answers.pacemaker.stonith;
    if (st === 'none' || !('nodes' in st)) throw new Error('the example fences with an agent');
    for (const params of Object.values(st.nodes)) params.password = pw;
    const built = await createWizardServices({ demo: true, answersPath: '/nonexistent/answers.yaml' }).buildExport(answers, warnings);
    if (!built.ok) throw new Error(built.error);
    const text = built.files.filter((f): f is typeof f & { content: string } => typeof f.content === 'string');
    const carrying = text.filter((f) => secretForms(pw).some((x) => f.content.includes(x))).map((f) => f.path);
    expect(carrying).toEqual(expect.arrayContaining(['cluster/cib.xml', 'cluster/setup.crm', 'cluster/setup-pcs.sh']));
    for (const f of text) for (const x of secretForms(pw)) expect(built.mask(f.content), f.path).not.toContain(x);
  });
});

