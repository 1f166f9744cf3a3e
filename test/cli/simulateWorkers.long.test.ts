import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { stringifyRunReport } from '../../src/report/jsonReport.js';
import { loadScenario } from '../../src/sim/loadScenario.js';
import { runScenario } from '../../src/sim/runScenario.js';

const run = promisify(execFile);

/**
 * The built CLI simulates each policy on its own worker thread (which needs
 * compiled JavaScript, so this runs after `make build`, in `make test-long`).
 * Its JSON must be byte-for-byte what the single-threaded runner gives.
 */
describe('h2flow simulate on worker threads', () => {
  it('prints the same JSON as the in-process, one-thread run', async () => {
    expect(existsSync('dist/cli/bin.js')).toBe(true);
    const { stdout } = await run('node', [
      'dist/cli/bin.js',
      'simulate',
      'simulations/goaway-churn.json',
      '--duration',
      '8s',
      '--json',
    ]);
    const scenario = loadScenario('simulations/goaway-churn.json');
    const expected = stringifyRunReport(runScenario(scenario, { durationS: 8 }).report);
    expect(stdout).toBe(`${expected}\n`);
  }, 180_000);
});
