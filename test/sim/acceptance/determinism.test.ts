import { describe, expect, it } from '@jest/globals';
import { stringifyRunReport } from '../../../src/report/jsonReport.js';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { runScenario } from '../../../src/sim/runScenario.js';

describe('determinism', () => {
  it('the same scenario and seed give byte-identical JSON; another seed does not', () => {
    const scenario = loadScenario('simulations/goaway-churn.json');
    const run = (seed?: number): string =>
      stringifyRunReport(runScenario(scenario, { durationS: 8, seed }).report);
    const first = run();
    expect(run()).toBe(first);
    expect(run(scenario.seed + 1)).not.toBe(first);
    const report = JSON.parse(first);
    expect(report.results.map((r: { policy: string }) => r.policy)).toEqual([
      'naive',
      'new-connection',
      'adaptive',
    ]);
    expect(report.seed).toBe(scenario.seed);
  }, 120_000);
});
