// The two screens of the lab drill's real run that the demo (a dry run) cannot show, drawn by the real
// overlay from real runs, and read with the drill's own readers (test/lab/drills/monitor-screen.ts):
// the engine's rebuild line (the lab's captured /proc/mdstat of a recovery, through the resync watcher's
// label and the engine's text), and the outcome of a run confirmed in the monitor naming its journal,
// wrapped by an 80-column overlay (the journal then holds the monitor's confirmation and the --add).
// The run is the disk-replace test's: node1 answering from the lab's captures, its changes recorded; the
// captured recovery is vdc's, so the run stops at the add's read-back, the outcome still naming the journal.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import type { Argv } from '../../../src/exec/runner.js';
import type { ActionDef } from '../../../src/apply/action-run.js';
import { mdResyncFrom } from '../../../src/apply/md-resync.js';
import { resyncWhat } from '../../../src/apply/resync-watch.js';
import { formatEventText } from '../../../src/apply/format.js';
import { view } from '../../../src/apply/events.js';
import { diskReplaceAction, MDADM_CONF } from '../../../src/plan/actions/disk-replace.js';
import { READ_PINS_ARGV } from '../../../src/plan/disk-pins.js';
import { createActionService } from '../../../src/screens/monitor/action-service.js';
import { ActionOverlay } from '../../../src/screens/monitor/monitor-action-overlay.js';
import { NOTHING_COLLECTED } from '../../../src/screens/monitor/flow-prompts.js';
import { makeTheme } from '../../../src/screens/monitor/monitor-theme.js';
import type { FlowPhase } from '../../../src/screens/monitor/action-flow-state.js';
import { CaptureNode, type Reply } from '../../helpers/capture-node.js';
import { actionOutcome, journalOfMonitorAdd, overlayRebuildPercent } from '../../lab/drills/monitor-screen.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = (f: string) => `${ROOT}/test/fixtures/recovery/${f}`;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** node1's md0 as the changes leave it (vdc faulty, removed after --remove, the lab's recovery after --add). */
function node1(argv: Argv, changes: { node: string; argv: Argv }[]): Reply {
  const did = (w: string) => changes.some((c) => c.argv[0] === 'mdadm' && c.argv.includes(w));
  if (same(argv, ['mdadm', '--detail', '/dev/md0'])) return { file: FIX(did('--add') ? 'mdadm_detail_md0.recovering.node1.txt' : did('--remove') ? 'mdadm_detail_md0.degraded-vdc-removed.node1.txt' : 'mdadm_detail_md0.degraded-vdc-faulty.node1.txt') };
  if (same(argv, READ_PINS_ARGV)) return 'missing';
  if (same(argv, ['cat', '/proc/mdstat'])) return { file: FIX(did('--add') ? 'proc_mdstat.recovering.node1.txt' : 'proc_mdstat.degraded-vdc-faulty.node1.txt') };
  if (same(argv, ['lsblk', '-J', '-b', '-O'])) return { file: FIX('lsblk_J_b_O.full-stack-active.node1.json') };
  if (same(argv, ['ls', '-l', '/dev/disk/by-id/'])) return { file: FIX('ls_l_dev_disk_by-id.bare.node1.txt') };
  if (argv[0] === 'wipefs') {
    const d = argv[3]!.replace('/dev/', '');
    return { file: FIX(`wipefs_n_json_${d}.${d === 'vdb' || d === 'vdc' ? 'in-use-raid-member' : 'bare'}.node1.txt`) };
  }
  if (same(argv, ['cat', MDADM_CONF]) || argv[0] === 'crm_mon' || argv[0] === 'cibadmin' || argv[0] === 'drbdsetup') return 'missing';
  return null;
}

function overlay(phase: FlowPhase) {
  const r = render(<Box width={80}><ActionOverlay state={{ phase, queue: [], got: NOTHING_COLLECTED }} dryRunReason={null} theme={makeTheme(true)} /></Box>);
  return r.lastFrame() ?? '';
}

async function planFromMonitor() {
  const changes: { node: string; argv: Argv }[] = [];
  const nodes = [
    { name: 'node1', runner: new CaptureNode('node1', { log: changes, answer: node1 }) },
    { name: 'node2', runner: new CaptureNode('node2', { log: changes, answer: () => 'missing' }) },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'hanfs-disk-replace-monitor-'));
  // As long as the lab's /var/log/hanfs-wizard/disk-replace-<time>.log: the 80-column overlay wraps it.
  const journal = join(dir, 'var-log-hanfs-wizard', 'disk-replace-2026-12-07T23-15-00-000Z.log');
  let t = 0;
  const service = createActionService(nodes, { dryRunReason: null, journalPaths: () => [journal], sleep: async (ms) => { t += ms; }, now: () => t });
  const parsed = diskReplaceAction.parse(['replace', 'node1'], { disk: '/dev/vdf' });
  if (!parsed.ok) throw new Error(parsed.error.message);
  // The monitor's keys hold actions of any argument type as ActionDef<unknown> (action-keys.ts bindKey).
  const plan = await service.prepare(diskReplaceAction as unknown as ActionDef<unknown>, parsed.args);
  return { service, plan, journal, changes, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function runFromMonitor() {
  const p = await planFromMonitor();
  const lines: string[] = [];
  const outcome = await p.service.execute(p.plan, (l) => lines.push(l), new AbortController().signal);
  return { ...p, lines, outcome };
}

describe('the disk drill\'s readers on the real overlay of a real run', () => {
  it('the engine\'s rebuild line (the lab\'s captured recovery) gives its percentage', async () => {
    const { plan, done } = await planFromMonitor();
    done();
    const add = plan.steps.find((s) => s.id === 'node1/add-new-disk')!;
    const wait = plan.steps.find((s) => s.id === 'node1/rebuild-done')!;
    const started = formatEventText({ type: 'step-start', step: view(wait), at: 0 })!;
    const rebuild = mdResyncFrom(readFileSync(FIX('proc_mdstat.recovering.node1.txt'), 'utf8'), 'node1', '/dev/md0', 0, null)!;
    const line = formatEventText({ type: 'progress', step: view(add), percent: rebuild.percent, rateKiBs: rebuild.rateKiBs, etaSec: rebuild.etaSec, what: resyncWhat(rebuild), background: true })!;
    expect(overlayRebuildPercent(overlay({ kind: 'running', plan, lines: [started, line] }), 'node1', '/dev/md0')).toBe(5.8);
    expect(overlayRebuildPercent(overlay({ kind: 'running', plan, lines: [started, line] }), 'node2', '/dev/md0')).toBeNull();
    // Before the watcher's first reading: the step's line names the rebuild, with no percentage.
    expect(overlayRebuildPercent(overlay({ kind: 'running', plan, lines: [started] }), 'node1', '/dev/md0')).toBeNull();
  }, 120_000);

  it('the outcome of a run confirmed in the monitor: its journal path read whole through the wrap, the journal holding the --add', async () => {
    const r = await runFromMonitor();
    try {
      expect(r.changes.map((c) => c.argv.join(' '))).toContain('mdadm --manage /dev/md0 --add /dev/vdf');
      const frame = overlay({ kind: 'finished', plan: r.plan, lines: r.lines.slice(-8), outcome: r.outcome });
      // Wrapped: no line of the frame holds the whole path.
      expect(frame.split('\n').some((l) => l.includes(r.journal))).toBe(false);
      const o = actionOutcome(frame)!;
      expect(o.kind).toBe('other');
      // The captured recovery lists vdc, never vdf: the add step's own read-back stops it.
      expect(o.line).toMatch(/^disk replace: stopped at node1\/add-new-disk: see above and the journal \(journal: /);
      expect(o.journal).toBe(r.journal);
      expect(journalOfMonitorAdd(readFileSync(o.journal!, 'utf8'), '/dev/md0', '/dev/vdf')).toBe(true);
      expect(journalOfMonitorAdd(readFileSync(o.journal!, 'utf8'), '/dev/md0', '/dev/vde')).toBe(false);
    } finally {
      r.done();
    }
  }, 120_000);
});
