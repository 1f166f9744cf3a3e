import type { PolicyResult, ServerStats, TimelinePoint } from '../../../src/core/runResult.js';
import type { RequestSample } from '../../../src/core/sample.js';
import { loadScenario } from '../../../src/sim/loadScenario.js';
import { runScenario, type SimulationOutcome } from '../../../src/sim/runScenario.js';
import type { SimPolicy } from '../../../src/sim/simPolicy.js';

/** One policy's result on a shipped scenario, with the server's counters and every sample. */
export interface ShippedRun {
  readonly result: PolicyResult;
  readonly server: ServerStats;
  readonly samples: readonly RequestSample[];
  readonly outcome: SimulationOutcome;
}

/** Runs `simulations/<name>.json` under `policy` (optionally shortened to `durationS`). */
export function runShipped(name: string, policy: SimPolicy, durationS?: number): ShippedRun {
  const samples: RequestSample[] = [];
  const outcome = runScenario(loadScenario(`simulations/${name}.json`), {
    policies: [policy],
    durationS,
    onSample: (_policy, _client, sample) => {
      samples.push(sample);
    },
  });
  return {
    result: outcome.report.results[0]!,
    server: outcome.report.serverStats![0]!,
    samples,
    outcome,
  };
}

/** Every request settled exactly once, in one of the four outcomes. */
export function reconciles(r: PolicyResult): boolean {
  return r.submitted === r.succeeded + r.rejected + r.timedOut + r.failed;
}

/** The timeline's seconds at or after the warm-up. */
export function steadyState(r: PolicyResult, warmupS = 5): readonly TimelinePoint[] {
  return r.timeline.filter((p) => p.tS >= warmupS);
}

/**
 * The bound for every scenario other than the seed: no stream
 * cancelled on the wire, at most 0.1% timed out, efficiency ≥ 0.95 and
 * queue-wait p99 within a fifth of the timeout. Returns the violations,
 * so a failure says which bound and by how much.
 */
export function adaptiveBoundViolations(r: PolicyResult, timeoutMs: number): string[] {
  const problems: string[] = [];
  if (r.cancelledOnWire !== 0) problems.push(`cancelledOnWire ${r.cancelledOnWire} > 0`);
  if (r.timedOut > 0.001 * r.submitted)
    problems.push(`timedOut ${r.timedOut} > 0.1% of ${r.submitted}`);
  if (r.efficiency < 0.95) problems.push(`efficiency ${r.efficiency.toFixed(3)} < 0.95`);
  if (r.queueWaitP99Ms > 0.2 * timeoutMs)
    problems.push(`queueWaitP99Ms ${r.queueWaitP99Ms} > ${0.2 * timeoutMs}`);
  return problems;
}
