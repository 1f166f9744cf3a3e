import type { PolicyResult, ServerStats } from '../../src/core/runResult.js';
import { loadScenario } from '../../src/sim/loadScenario.js';
import { runScenario } from '../../src/sim/runScenario.js';

/** What the fleet acceptance checks read from one adaptive run of simulations/fleet-100.json. */
export interface FleetRun {
  readonly total: PolicyResult;
  readonly server: ServerStats;
  readonly jainIndex: number;
  readonly clientGoodputTps: readonly number[];
  readonly clientCount: number;
  /** The server's capacity: workers ÷ mean service time (250 ÷ 0.05 s = 5,000 req/s). */
  readonly capacityTps: number;
}

/** Runs the 100-client fleet under the adaptive policy, optionally shortened to `durationS`. */
export function runFleet100(durationS?: number): FleetRun {
  const scenario = loadScenario('simulations/fleet-100.json');
  const outcome = runScenario(scenario, { policies: ['adaptive'], durationS });
  const fairness = outcome.fairness[0]!;
  return {
    total: outcome.report.results[0]!,
    server: outcome.report.serverStats![0]!,
    jainIndex: fairness.jainIndex,
    clientGoodputTps: fairness.clientGoodputTps,
    clientCount: scenario.client.count,
    capacityTps: (scenario.server.workers * 1000) / scenario.server.latency.meanMs,
  };
}

/** The run in a few lines, printed when a bound is missed. */
export function describeFleet(run: FleetRun): string {
  const g = [...run.clientGoodputTps].sort((a, b) => a - b);
  const t = run.total;
  return [
    `Jain ${run.jainIndex.toFixed(4)}; goodput ${t.goodputTps.toFixed(0)} of ${run.capacityTps} req/s`,
    `client goodputs min ${g[0]?.toFixed(1)}, median ${g[g.length >> 1]?.toFixed(1)}, max ${g.at(-1)?.toFixed(1)} req/s`,
    `cancelled on wire ${t.cancelledOnWire}, timed out ${t.timedOut}, server RST ${JSON.stringify(run.server.rstReceived)}`,
    ...t.timeline.map(
      (p) =>
        `t=${p.tS}s offered ${p.offeredTps.toFixed(0)} ok ${p.succeededTps.toFixed(0)} rate ${p.rateTps.toFixed(0)} conns ${p.connections} queue p99 ${p.queueWaitP99Ms.toFixed(0)} ms ${p.reason}`,
    ),
  ].join('\n');
}
