// The Debian 13 demo scenarios (demo-lab/trixie-*, built by demo-lab/make-trixie.mjs) replay the lab's
// captures unedited: every file a manifest answers with is byte for byte the capture its `source` names,
// with the exit status that state's capture-log.tsv recorded, and the monitor's reads are answered by
// their own command's capture where the lab took one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MONITOR_ARGV } from '../../src/monitor/collect.js';
import { trixieExit, trixiePath, type TrixieState } from '../helpers/lab-trixie.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIOS = readdirSync(join(ROOT, 'demo-lab')).filter((d) => d.startsWith('trixie-')).sort();

interface Entry { argv: string[]; stdout?: string | string[]; stderr?: string; exitCode: number; source: string }
const manifest = (scenario: string, node: string) => (JSON.parse(readFileSync(join(ROOT, 'demo-lab', scenario, node, 'manifest.json'), 'utf8')) as { commands: Entry[] }).commands;
const entry = (scenario: string, node: string, argv: readonly string[]) => manifest(scenario, node).find((e) => JSON.stringify(e.argv) === JSON.stringify(argv));

describe('the Debian 13 demo scenarios replay the lab captures unedited', () => {
  it('has one scenario per captured lab state', () => {
    const states = readdirSync(join(ROOT, 'test/fixtures/lab-trixie')).sort();
    expect(SCENARIOS).toEqual(states.map((s) => `trixie-${s}`).sort());
  });

  it.each(SCENARIOS)('%s: every answer is its capture, byte for byte, with the logged exit status', (scenario) => {
    const state = scenario.replace(/^trixie-/, '') as TrixieState;
    for (const node of ['lab1', 'lab2']) {
      for (const e of manifest(scenario, node)) {
        const files = e.stdout === undefined ? [] : Array.isArray(e.stdout) ? e.stdout : [e.stdout];
        expect(e.source.startsWith(`test/fixtures/lab-trixie/${state}/`), e.source).toBe(true);
        for (const f of files) {
          expect(e.source).toContain(`test/fixtures/lab-trixie/${state}/${f}`);
          expect(readFileSync(join(ROOT, 'demo-lab', scenario, node, f)).equals(readFileSync(trixiePath(state, f))), `${scenario}/${node}/${f}`).toBe(true);
        }
        if (files.length > 0) expect(e.exitCode, `${scenario} ${e.argv.join(' ')}`).toBe(trixieExit(state, files[0]!));
      }
    }
  });

  it.each(SCENARIOS)("%s: the CIB and the monitor's lvm fullreport come from their own captures where the lab took them", (scenario) => {
    const state = scenario.replace(/^trixie-/, '') as TrixieState;
    for (const node of ['lab1', 'lab2']) {
      const cib = `cibadmin_Q.${node}.xml`;
      expect(entry(scenario, node, MONITOR_ARGV.cib)?.stdout).toEqual(existsSync(trixiePath(state, cib)) ? cib : undefined);
      const full = `lvm_fullreport_monitor.${node}.json`;
      const lvm = entry(scenario, node, MONITOR_ARGV.lvm);
      if (existsSync(trixiePath(state, full))) expect(lvm?.stdout).toBe(full);
      // Before the lab captured it (or on a node with no capture at all): its vgs then its lvs, or nothing.
      else if (lvm !== undefined) expect(lvm.stdout).toEqual([`vgs_reportformat_json_units_b.${node}.json`, `lvs_a_o_snap_percent_lv_time_reportformat_json_units_b.${node}.json`]);
    }
  });
});
