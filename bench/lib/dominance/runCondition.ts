/**
 * Runs one condition of the matrix: naive and adaptive alternately on the
 * same server set-up, `rounds` times each, with the order swapped every
 * round so neither client always runs on a warmer (or busier) box. A capped
 * condition measures one saturated connection just before and just after
 * each adaptive run, for as long as the run's steady part, and judges the
 * adaptive client against the mean of the two: on a shared box a single
 * probe lands on different seconds than the run it judges, and the box's
 * speed drifts by several percent between them.
 */
import type { LoadPolicy } from '../../../src/load/loadOptions.js';
import { probeConnectionCapacity } from '../../../src/load/probeConnectionCapacity.js';
import type { DominanceCondition } from './conditions.js';
import {
  measureRun,
  type RunMeasure,
  type RunTarget,
  runRequest,
  steadyFromShare,
} from './measureRun.js';

/** One round: each client once, and the probe before the adaptive run. */
export interface RoundResult {
  readonly naive: RunMeasure;
  readonly adaptive: RunMeasure;
  /** What one saturated connection carried around the adaptive run (the mean of before and after), req/s; undefined when not probed. */
  readonly probeTps: number | undefined;
}

/** A target the runner can start for a condition and stop afterwards. */
export interface ConditionServer {
  /** Where the runs send their load, and how the server's cancels are read. */
  readonly target: RunTarget;
  /** Stops it (a no-op for a server shared by several conditions). */
  stop(): Promise<void>;
}

/** Starts the server a condition runs against. */
export type StartConditionServer = (condition: DominanceCondition) => Promise<ConditionServer>;

/** A probe counts as long as the run's steady part (measureRun's steady goodput), after this warm-up, ms. */
const probeWarmupMs = 500;

/**
 * What one saturated connection carries on `url`, counted as long as
 * `condition`'s steady part, with the runs' own request: a probe of GETs read
 * ~3% above one of the runs' POSTs on the embedded server (1,874 against
 * 1,815 req/s, four alternating 3 s pairs), and so judged the adaptive client
 * against more than the connection carries of its load.
 */
async function probe(condition: DominanceCondition, url: string): Promise<number> {
  const durationMs = Math.round(condition.durationMs * (1 - steadyFromShare));
  const options = { durationMs, warmupMs: probeWarmupMs, request: runRequest };
  return (await probeConnectionCapacity(url, options)).completedTps;
}

/** Runs `condition` for `rounds` rounds; `log` gets one line per run. */
export async function runCondition(
  condition: DominanceCondition,
  rounds: number,
  startServer: StartConditionServer,
  log: (line: string) => void = () => {},
): Promise<RoundResult[]> {
  const results: RoundResult[] = [];
  let shared: ConditionServer | undefined;
  try {
    if (!condition.freshServerPerRun) shared = await startServer(condition);
    for (let round = 0; round < rounds; round++) {
      const order: LoadPolicy[] = round % 2 === 0 ? ['naive', 'adaptive'] : ['adaptive', 'naive'];
      const got: Partial<Record<LoadPolicy, RunMeasure>> = {};
      let probeTps: number | undefined;
      for (const policy of order) {
        const server = shared ?? (await startServer(condition));
        try {
          const probing = policy === 'adaptive' && condition.probeAroundAdaptive;
          const beforeTps = probing ? await probe(condition, server.target.url) : 0;
          const m = await measureRun(condition, policy, server.target);
          if (probing) probeTps = (beforeTps + (await probe(condition, server.target.url))) / 2;
          got[policy] = m;
          log(describeRun(condition, round, m, policy === 'adaptive' ? probeTps : undefined));
        } finally {
          if (shared === undefined) await server.stop();
        }
      }
      results.push({ naive: got.naive!, adaptive: got.adaptive!, probeTps });
    }
  } finally {
    await shared?.stop();
  }
  return results;
}

/** One progress line per run. */
function describeRun(
  c: DominanceCondition,
  round: number,
  m: RunMeasure,
  probeTps: number | undefined,
): string {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  const parts = [
    `  ${c.server} ${c.name} round ${round + 1} ${m.policy}:`,
    `goodput ${n(m.goodputTps)}/s (steady ${n(m.steadyGoodputTps)}),`,
    `succeeded ${n(m.succeeded)}/${n(m.submitted)}, shed ${n(m.shed)} (${n(m.shedFirstSecond)} in 1st s),`,
    `timed out ${n(m.timedOut)}, failed ${n(m.failed)}, cancels ${n(m.wireCancels)} sent / ${m.serverCancels ?? '—'} at server,`,
    `conns ${m.connectionsMax}, send lag p99 ${n(m.sendLagP99Ms)} ms`,
  ];
  if (probeTps !== undefined) parts.push(`; probe ${n(probeTps)}/s`);
  if (m.recovery !== undefined) {
    const r = m.recovery;
    parts.push(
      `; pre-spike ${n(r.preSpikeTps)}/s, recovered ${r.recoveryMs === null ? `> ${n(r.observedAfterMs)}` : n(r.recoveryMs)} ms`,
    );
  }
  return parts.join(' ');
}
