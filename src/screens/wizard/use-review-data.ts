// Builds the export files and runs the rehearsal for the review, after the screen is shown; both are
// cancelled when the screen goes away or the answers change.
import { useEffect, useState } from 'react';
import type { Answers } from '../../answers/schema.js';
import type { Problem } from '../../answers/semantic.js';
import type { ExportFile } from '../../generate/export-layout.js';
import type { WizardServices } from '../../steps/services.js';

export type Loading<T> = { status: 'loading' } | { status: 'ok'; value: T } | { status: 'failed'; error: string };

export interface ReviewData {
  files: Loading<{ files: ExportFile[]; mask: (t: string) => string }>;
  rehearsal: Loading<string>;
}

export function useReviewData(services: WizardServices, answers: Answers | null, warnings: Problem[], width: number): ReviewData {
  const [files, setFiles] = useState<ReviewData['files']>({ status: 'loading' });
  const [rehearsal, setRehearsal] = useState<ReviewData['rehearsal']>({ status: 'loading' });
  const key = answers ? JSON.stringify(answers) : '';
  useEffect(() => {
    if (!answers) return;
    const ac = new AbortController();
    setFiles({ status: 'loading' });
    setRehearsal({ status: 'loading' });
    services.buildExport(answers, warnings).then(
      (r) => !ac.signal.aborted && setFiles(r.ok ? { status: 'ok', value: { files: r.files, mask: r.mask } } : { status: 'failed', error: r.error }),
      (e: unknown) => !ac.signal.aborted && setFiles({ status: 'failed', error: String(e) }),
    );
    services.rehearse(answers, width, ac.signal).then(
      (r) => !ac.signal.aborted && setRehearsal(r.ok ? { status: 'ok', value: r.table } : { status: 'failed', error: r.error }),
      (e: unknown) => !ac.signal.aborted && setRehearsal({ status: 'failed', error: String(e) }),
    );
    return () => ac.abort();
    // key stands for answers
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, services, width]);
  return { files, rehearsal };
}

/** What the viewer shows for a file: its text with secrets masked; binary secrets only described. */
export function shownContent(f: ExportFile, mask: (t: string) => string): string {
  if (Buffer.isBuffer(f.content)) return `<${f.content.length} bytes of binary${f.secret ? ' secret' : ''}: written with mode ${f.mode.toString(8)}, not shown>`;
  return f.secret ? mask(f.content) : f.content;
}
