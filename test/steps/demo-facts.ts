// The demo lab's facts (real captures, demo-lab/bare) as the probes read them: what the step tests use.
import { createDemoRunners } from '../../src/exec/demo-lab.js';
import { probeNodes } from '../../src/probes/probe-node.js';
import type { NodeFacts } from '../../src/probes/types.js';
import type { StepContext } from '../../src/steps/types.js';

export async function demoFacts(): Promise<NodeFacts[]> {
  return probeNodes(createDemoRunners('bare'));
}

export function ctxOf(facts: NodeFacts[] | null): StepContext {
  return { demo: true, probe: facts ? { status: 'done', facts } : { status: 'waiting' }, facts };
}
