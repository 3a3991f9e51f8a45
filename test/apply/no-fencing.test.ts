import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAnswersText } from '../../src/answers/load.js';
import { fencingGate } from '../../src/apply/no-fencing.js';

function answers(file: string) {
  const r = parseAnswersText(readFileSync(file, 'utf8'));
  if (!r.ok) throw new Error(file);
  return r.answers;
}
const none = answers('examples/answers.yaml');
const fenced = answers('examples/varied/kvm-guests-fence-virsh.yaml');
const base = { dryRun: false, yes: false, accept: false, interactive: false };

describe('fencingGate', () => {
  it('with STONITH configured, or on a dry run, nothing is asked', () => {
    expect(none.pacemaker.stonith).toBe('none');
    expect(fenced.pacemaker.stonith).not.toBe('none');
    expect(fencingGate(fenced, { ...base, yes: true })).toEqual({ kind: 'not-needed' });
    expect(fencingGate(none, { ...base, dryRun: true })).toEqual({ kind: 'not-needed' });
  });
  it('without STONITH: asked at a terminal, refused for a script without the flag, accepted with --yes --accept-no-fencing', () => {
    expect(fencingGate(none, { ...base, interactive: true }).kind).toBe('ask');
    expect(fencingGate(none, { ...base, yes: true }).kind).toBe('refused');
    expect(fencingGate(none, base).kind).toBe('refused');
    expect(fencingGate(none, { ...base, yes: true, accept: true })).toEqual({ kind: 'accepted', how: '--accept-no-fencing with --yes' });
  });
  it('--accept-no-fencing without --yes is bad input, whatever the answers', () => {
    expect(fencingGate(fenced, { ...base, accept: true }).kind).toBe('bad-input');
    expect(fencingGate(none, { ...base, accept: true, interactive: true }).kind).toBe('bad-input');
  });
});
