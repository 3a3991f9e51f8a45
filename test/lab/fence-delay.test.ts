// The fence race drill's prediction (fence-delay.ts) read from the CIB the wizard generates for the lab's
// fencing answers (test/lab/lab-answers-ipmi.yaml), as Pacemaker's own cibadmin prints it back: the drill
// reads `cibadmin -Q` on a node, and apply loads exactly this configuration (cibadmin --replace). The
// expected values are the generator's constants, so a change of the delays is followed here; the
// mutations show the reader and the prediction can tell another configuration apart.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnswersText } from '../../src/answers/load.js';
import { renderCibXml } from '../../src/generate/cib-xml.js';
import { DRBD_PRIORITY, FENCE_DELAY_BASE_S, priorityFencingDelayS } from '../../src/generate/fencing.js';
import { durationSeconds, predictRace, readFenceDelays } from './fence-delay.js';
import { REPO } from './lab.js';

const NODES = ['lab1', 'lab2'] as const;
let dir = '';
let cib = '';
/** The lab answers' priority-fencing-delay (pacemaker.tuning), as the generator reads it. */
let priorityS = 0;

/** The CIB text as cibadmin prints it from a CIB file (CIB_file: no cluster needed). */
async function throughCibadmin(xml: string): Promise<string> {
  const f = join(dir, `cib-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(f, xml);
  const r = await promisify(execFile)('cibadmin', ['-Q'], { env: { ...process.env, CIB_file: f }, maxBuffer: 16 << 20 });
  return r.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hanfs-fence-delay-'));
  const parsed = parseAnswersText(readFileSync(join(REPO, 'test/lab/lab-answers-ipmi.yaml'), 'utf8'));
  if (!parsed.ok) throw new Error(`lab-answers-ipmi.yaml: ${JSON.stringify(parsed)}`);
  cib = await throughCibadmin(renderCibXml(parsed.answers));
  priorityS = priorityFencingDelayS(parsed.answers);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the fence delays of the lab\'s fencing CIB, read back through cibadmin', () => {
  it('reads priority-fencing-delay, the static delay on the device that fences nodes[0], and the DRBD clone\'s priority', () => {
    expect(cib).toMatch(/<cib\b/);
    expect(readFenceDelays(cib, NODES)).toEqual({
      priorityFencingDelayS: priorityS,
      delayBaseS: { lab1: FENCE_DELAY_BASE_S, lab2: 0 },
      drbdPriority: Number(DRBD_PRIORITY),
      randomDelayDevices: [],
    });
  });

  it('the lab\'s head start in the worst case (nodes[0] passive) exceeds twice the ~19 s its favoured node\'s fence took', () => {
    // The first fencing run: DC decision + fence_ipmilan + ipmitool through the hub took ~19 s, and with
    // the 10 s default (5 s head start) the favoured node lost (docs/ha-tuning.md "Fencing").
    const d = readFenceDelays(cib, NODES);
    const race = predictRace(d, NODES, 'lab2')!;
    expect(race.fenceDelayS.lab2! - race.fenceDelayS.lab1!).toBeGreaterThanOrEqual(2 * 19);
    // The plain "5s" form made 2.1.5's fencer log "empty value in mapping": the device says it per target.
    expect(cib).toMatch(/name="pcmk_delay_base" value="lab1:5s"/);
  });

  it('the promoted node survives the race, whichever it is; with nothing promoted nodes[0] does', () => {
    const d = readFenceDelays(cib, NODES);
    const onLab2 = predictRace(d, NODES, 'lab2')!;
    expect([onLab2.survivor, onLab2.loser]).toEqual(['lab2', 'lab1']);
    // lab1 is nodes[0]: its own static delay does not outweigh lab2's priority delay.
    expect(onLab2.fenceDelayS).toEqual({ lab1: FENCE_DELAY_BASE_S, lab2: priorityS });
    expect(predictRace(d, NODES, 'lab1')!.survivor).toBe('lab1');
    expect(predictRace(d, NODES, null)!.survivor).toBe('lab1');
  });

  it('without priority-fencing-delay only the static delay counts: nodes[0] survives even as the passive node', async () => {
    const without = await throughCibadmin(cib.replace(/<nvpair [^>]*name="priority-fencing-delay"[^>]*\/>/, ''));
    const d = readFenceDelays(without, NODES);
    expect(d.priorityFencingDelayS).toBe(0);
    expect(predictRace(d, NODES, 'lab2')!.survivor).toBe('lab1');
  });

  it('a random delay (pcmk_delay_max) or equal delays leave no designated survivor', async () => {
    const random = cib.replace(/(<nvpair [^>]*name="pcmk_host_list" value="lab2"[^>]*\/>)/, '$1<nvpair id="st_lab2-instance_attributes-pcmk_delay_max" name="pcmk_delay_max" value="10s"/>');
    expect(random).not.toBe(cib);
    const d = readFenceDelays(await throughCibadmin(random), NODES);
    expect(d.randomDelayDevices).toEqual(['st_lab2']);
    expect(predictRace(d, NODES, 'lab2')).toBeNull();
    expect(predictRace({ ...readFenceDelays(cib, NODES), delayBaseS: { lab1: 0, lab2: 0 }, drbdPriority: 0 }, NODES, 'lab2')).toBeNull();
  });

  it('refuses a CIB whose other resources carry a priority (the sums would be another model\'s)', async () => {
    const withDefault = cib.replace(/(<meta_attributes id="rsc-options">)/, '$1<nvpair id="rsc-options-priority" name="priority" value="3"/>');
    expect(withDefault).not.toBe(cib);
    expect(() => readFenceDelays(withDefault, NODES)).toThrow(/rsc_defaults sets a priority/);
  });

  it('reads Pacemaker durations', () => {
    expect([durationSeconds('10s'), durationSeconds('10'), durationSeconds('5000ms'), durationSeconds('1min'), durationSeconds('2m'), durationSeconds('1h'), durationSeconds('soon')])
      .toEqual([10, 10, 5, 60, 120, 3600, null]);
  });
});
