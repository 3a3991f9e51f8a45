// The wizard's services (src/steps/services.ts) on real nodes or on the demo lab. Everything heavy (ssh2,
// execa, generators, the rehearsal) is imported on first use, so the wizard's first frame waits for none.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Answers } from '../answers/schema.js';
import type { Runner } from '../exec/runner.js';
import type { OpenTarget } from '../exec/open-runners.js';
import type { Secrets } from '../generate/secrets.js';
import type { WizardServices } from '../steps/services.js';
import type { HostKeyQuestion } from '../steps/types.js';
import { draftToYaml } from '../steps/draft.js';
import { fenceSecrets } from '../answers/serialize.js';

export interface ServiceOptions {
  demo: boolean;
  answersPath: string;
  identity?: string;
  /** Demo scenario; default "bare". */
  scenario?: string;
}


async function makeRunners(o: ServiceOptions, targets: [string, string], confirm: (q: HostKeyQuestion) => Promise<boolean>): Promise<{ ok: true; runners: Runner[] } | { ok: false; error: string }> {
  if (o.demo) {
    const { tryCreateDemoRunners } = await import('../exec/demo-lab.js');
    const r = tryCreateDemoRunners(o.scenario ?? 'bare');
    return r.ok ? { ok: true, runners: r.runners.slice(0, 2) } : r;
  }
  const { parseNodeTarget } = await import('../exec/node-target.js');
  const opened: OpenTarget[] = [];
  for (const [i, t] of targets.entries()) {
    const parsed = parseNodeTarget(t);
    if (!parsed.ok) return { ok: false, error: `nodes[${i}].ssh: ${parsed.error}` };
    opened.push({ target: parsed.target });
  }
  const { openRunners } = await import('../exec/open-runners.js');
  // The wizard asks about an unknown host key on its screen, one question at a time.
  const runners = openRunners(opened, { hostKeys: 'ask', ask: (p) => confirm(p), ...(o.identity !== undefined ? { identityFile: o.identity } : {}) });
  return { ok: true, runners };
}

export type RealWizardServices = WizardServices & { readonly applyRequested: boolean };

export function createWizardServices(o: ServiceOptions): RealWizardServices {
  let applyRequested = false;
  return {
    answersPath: o.answersPath,
    demo: o.demo,
    applyUnavailable: null,
    requestApply() {
      applyRequested = true;
    },
    get applyRequested() {
      return applyRequested;
    },
    probe: prober(o),
    save: (draft) => saveDraft(o.answersPath, draft),
    buildExport: exportBuilder(),
    async writeExport(dir, files, force) {
      const { writeExportTree } = await import('../generate/export-layout.js');
      return writeExportTree(resolve(dir), files, { force });
    },
    rehearse: (a, width, signal) => rehearseOnNodes(o, a, width, signal),
  };
}

/** The nodes' facts; a closure because host keys are asked one at a time even when both nodes connect at once. */
function prober(o: ServiceOptions): WizardServices['probe'] {
  let chain: Promise<unknown> = Promise.resolve();
  return async (targets, confirmHostKey, signal) => {
    const serial = (q: HostKeyQuestion) => {
      const next = chain.then(() => confirmHostKey(q));
      chain = next.catch(() => false);
      return next;
    };
    const made = await makeRunners(o, targets, serial);
    if (!made.ok) return made;
    try {
      const { probeNodes, reached } = await import('../probes/probe-node.js');
      const facts = await probeNodes(made.runners);
      if (signal.aborted) return { ok: false, error: 'cancelled' };
      const lost = facts.find((f) => !reached(f));
      if (lost) return { ok: false, error: `${lost.target}: not reachable: ${lost.failures[0]?.message ?? 'no answer'}` };
      return { ok: true, facts };
    } finally {
      await Promise.all(made.runners.map((r) => r.close()));
    }
  };
}

async function saveDraft(path: string, draft: Parameters<WizardServices['save']>[0]): ReturnType<WizardServices['save']> {
  try {
    // 0600: the draft may hold a literal DRBD secret or a BMC password.
    await writeFile(path, draftToYaml(draft), { mode: 0o600 });
    return { ok: true };
  } catch (e) {
    return { ok: false, error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

/** The export's files, masked for the review; a closure keeping one set of secrets per session (per literal DRBD secret), so the review shows what export writes. */
function exportBuilder(): WizardServices['buildExport'] {
  let secrets: { key: string; value: Secrets } | null = null;
  return async (a: Answers, warnings) => {
    try {
      const [{ buildExportFiles }, { generateSecrets, secretStrings }, { Redactor }] = await Promise.all([
        import('../generate/export-layout.js'),
        import('../generate/secrets.js'),
        import('../apply/redact.js'),
      ]);
      if (secrets === null || secrets.key !== a.drbd.secret) secrets = { key: a.drbd.secret, value: generateSecrets(a) };
      // The same redactor as apply's journal: every spelling of each secret (XML-escaped in the CIB,
      // quoted in the scripts); a short fence password only where it stands as a whole value.
      const generated = new Redactor(secretStrings(secrets.value).filter((x) => x.length >= 8), '<secret: hidden here, written to the file>');
      const fence = new Redactor(fenceSecrets(a), '<secret: hidden here>');
      const mask = (t: string) => fence.redact(generated.redact(t));
      return { ok: true, files: buildExportFiles(a, warnings, secrets.value), mask };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
}

async function rehearseOnNodes(o: ServiceOptions, a: Answers, width: number, signal: AbortSignal): ReturnType<WizardServices['rehearse']> {
  try {
    const [{ rehearse }, { formatRehearsalTable }] = await Promise.all([import('../rehearse/engine.js'), import('../rehearse/format.js')]);
    // The nodes' own crm_simulate when they have one (the release the cluster will run decides);
    // this machine's otherwise (bare nodes, the demo), and the table says which one was used.
    // Host keys were confirmed when the nodes were probed: an unknown one now is refused, never asked.
    const { chooseHost } = await import('../rehearse/host.js');
    const made = o.demo ? null : await makeRunners(o, [a.nodes[0].ssh, a.nodes[1].ssh], async () => false);
    const runners = made?.ok ? made.runners : [];
    try {
      const { host, note } = await chooseHost(runners);
      // The signal stops the Pacemaker tools and removes their temp files when the review closes.
      const r = await rehearse(a, { signal, host, ...(note ? { hostNote: note } : {}) });
      return r.ok ? { ok: true, table: formatRehearsalTable(r, width) } : { ok: false, error: r.message };
    } finally {
      await Promise.all(runners.map((r) => r.close()));
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
