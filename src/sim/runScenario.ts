import type { PolicyResult, RunReport, ServerStats } from '../core/runResult.js';
import type { RequestSample } from '../core/sample.js';
import { jainIndex } from './jainIndex.js';
import { type PolicyRun, runPolicy } from './policyRun.js';
import { type Scenario, scenarioDurationS, withDuration } from './scenario.js';
import { type SimPolicy, simPolicies } from './simPolicy.js';

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Policies to run, in this order. Default: all three. */
  readonly policies?: readonly SimPolicy[] | undefined;
  /** Seed override (default: the scenario's). */
  readonly seed?: number | undefined;
  /** Run length override, s (default: the scenario's load phases). */
  readonly durationS?: number | undefined;
  /** For a fleet, add each client's own result after its policy's total (labelled `policy/client-NN`). */
  readonly perClientResults?: boolean | undefined;
  /** Sees every settled request: its policy, client index and sample. */
  readonly onSample?:
    | ((policy: SimPolicy, clientIndex: number, sample: RequestSample) => void)
    | undefined;
  /** Progress: the policy running and the simulated seconds done of `totalS`. */
  readonly onProgress?:
    | ((policy: SimPolicy, simulatedS: number, totalS: number) => void)
    | undefined;
}

/** Fairness of one policy across a fleet's clients. */
export interface FleetFairness {
  readonly policy: SimPolicy;
  /** Jain's index over the clients' steady-state goodputs. */
  readonly jainIndex: number;
  /** Each client's steady-state goodput, req/s. */
  readonly clientGoodputTps: readonly number[];
}

/** What a simulation produced. */
export interface SimulationOutcome {
  /** The report (text, JSON and HTML renderers take this). */
  readonly report: RunReport;
  /** Per-policy fairness, for fleets (empty for one client). */
  readonly fairness: readonly FleetFairness[];
  /** Each policy's per-client results, for fleets (empty for one client). */
  readonly clientResults: readonly (readonly PolicyResult[])[];
  /** Heap events run over all policies. */
  readonly events: number;
}

/**
 * Runs `scenario` under each policy, one after the other on this thread,
 * and assembles a `RunReport`: one result per policy (for a fleet, all
 * clients together, optionally followed by one result per client), the
 * server's counters per result, and the seed. Deterministic: the same
 * scenario and seed give the same report, field for field.
 */
export function runScenario(
  scenario: Scenario,
  options: RunScenarioOptions = {},
): SimulationOutcome {
  const s = options.durationS === undefined ? scenario : withDuration(scenario, options.durationS);
  const seed = options.seed ?? s.seed;
  const totalS = scenarioDurationS(s);
  const runs = (options.policies ?? simPolicies).map((policy) => ({
    policy,
    run: runPolicy(s, policy, {
      seed,
      perClientDetail: options.perClientResults,
      onProgress: options.onProgress && ((doneS) => options.onProgress!(policy, doneS, totalS)),
      onSample: options.onSample && ((i, sample) => options.onSample!(policy, i, sample)),
    }),
  }));
  return assembleOutcome(s, seed, runs, options.perClientResults === true);
}

/**
 * The outcome of policy runs over `scenario` (already cut to its run
 * length), in the order given: shared by {@link runScenario} and the
 * worker-thread runner, so both produce the same report.
 */
export function assembleOutcome(
  scenario: Scenario,
  seed: number,
  runs: readonly { readonly policy: SimPolicy; readonly run: PolicyRun }[],
  perClientResults: boolean,
): SimulationOutcome {
  const results: PolicyResult[] = [];
  const serverStats: (ServerStats | null)[] = [];
  const fairness: FleetFairness[] = [];
  const clientResults: PolicyResult[][] = [];
  let events = 0;
  for (const { policy, run } of runs) {
    events += run.events;
    results.push(run.result);
    serverStats.push(run.serverStats);
    if (perClientResults) {
      for (const r of run.clientResults) {
        results.push(r);
        serverStats.push(null);
      }
    }
    if (run.clientResults.length > 0) {
      clientResults.push([...run.clientResults]);
      const goodputs = run.clientResults.map((r) => r.goodputTps);
      fairness.push({ policy, jainIndex: jainIndex(goodputs), clientGoodputTps: goodputs });
    }
  }
  const report: RunReport = {
    kind: 'simulation',
    title: scenario.name,
    description: describeScenario(scenario, scenarioDurationS(scenario)),
    timeoutMs: scenario.client.timeoutMs,
    seed,
    results,
    serverStats,
  };
  return { report, fairness, clientResults, events };
}

/** The report's one-line set-up, e.g. `100 streams/conn, lognormal 50 ms (p99 120 ms), RTT 1 ms, …`. */
export function describeScenario(s: Scenario, durationS: number): string {
  const l = s.server.latency;
  const latency =
    l.distribution === 'lognormal'
      ? `lognormal ${l.meanMs} ms (p99 ${l.p99Ms} ms)`
      : `${l.distribution} ${l.meanMs} ms`;
  const rates = s.load.phases.map((p) =>
    p.fromTps === p.toTps ? `${round(p.fromTps)}` : `${round(p.fromTps)}→${round(p.toTps)}`,
  );
  const parts = [
    `${s.server.maxConcurrentStreams} streams/conn`,
    latency,
    `RTT ${s.network.rttMs} ms`,
    `offered ${rates.join(', ')} TPS${s.client.count > 1 ? ' per client' : ''} for ${round(durationS)} s`,
    `timeout ${s.client.timeoutMs / 1000} s`,
    `max ${s.client.maxConnections} connection${s.client.maxConnections === 1 ? '' : 's'}`,
  ];
  if (s.client.count > 1) parts.push(`${s.client.count} clients`);
  if (Number.isFinite(s.server.workers)) parts.push(`${s.server.workers} server workers`);
  if (s.server.profile !== undefined) parts.push(`server behaves as ${s.server.profile}`);
  return parts.join(', ');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
