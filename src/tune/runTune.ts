import { type ClientRequest, normalizeRequest } from '../client/clientRequest.js';
import { defaultControllerOptions } from '../core/controllerOptions.js';
import { defaultExpectedStatuses } from '../load/expectedStatuses.js';
import { OutcomeTally } from '../load/outcomeTally.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { type ConfirmPlan, confirmPoint } from './confirmPoint.js';
import { probeStage } from './probeStage.js';
import { recommend } from './recommend.js';
import { resolveTuneOptions, type TuneInput } from './tuneOptions.js';
import type { Recommendation, StageResult, TuneResult, TuneStop } from './tuneResult.js';

/** Progress callbacks of a probe (the CLI prints them on stderr). */
export interface TuneHooks {
  /** A stage with `connections` is starting. */
  readonly onStageStart?: ((connections: number) => void) | undefined;
  /** A stage finished. */
  readonly onStage?: ((stage: StageResult) => void) | undefined;
  /** The recommended point is being confirmed. */
  readonly onConfirmStart?: ((plan: ConfirmPlan) => void) | undefined;
}

/**
 * A connection that adds less than this fraction of throughput is noise:
 * the same threshold the controller uses to judge its own adds
 * (`minConnectionGainFraction`).
 */
const minGainFraction = defaultControllerOptions.minConnectionGainFraction;

/**
 * A stage whose measured throughput swings more than this (relative standard
 * error over its windows) did not measure the path: a knee measurement is
 * within a few percent (docs/tune.md), and 131% was seen once in CI, with the
 * service p50 at 2.3 × the server's constant 100 ms for the whole stage.
 */
const disturbedRelStdErr = 0.25;

/** Whether `stage` reached the path but was measured through a disturbance, so should be measured again. */
export function disturbed(stage: Pick<StageResult, 'end' | 'goodputRelStdErr'>): boolean {
  return (
    stage.end !== 'no-connection' &&
    Number.isFinite(stage.goodputRelStdErr) &&
    stage.goodputRelStdErr > disturbedRelStdErr
  );
}

/** Time kept for closing the last stage before the confirmation starts, ms. */
const confirmSlackMs = 1000;

/**
 * Probes `options.url` and recommends a connection count and a safe rate
 * (docs/tune.md).
 *
 * Stage n pins a real adaptive client to n connections and lets its
 * controller slow-start, then AIMD, up to the knee ({@link probeStage}).
 * The tuner adds one connection per stage while that raises completed
 * throughput by at least 5%, and stops when it does not (the server is the
 * limit), when the path carries `--max-rate`, at `--max-connections`, at the
 * first congestion signal, or at `--duration-limit`. Each later stage starts
 * its slow start from the rate the previous one showed safe, as the
 * controller re-enters slow start from its current rate after an add. The
 * recommendation ({@link recommend}) is then run on its own for
 * `confirmMs` ({@link confirmPoint}), which measures its latency and checks
 * it holds; if it does not, the rate is backed off once more and the
 * recommendation says so.
 */
export async function runTune(partial: TuneInput, hooks: TuneHooks = {}): Promise<TuneResult> {
  const o = resolveTuneOptions(partial);
  const url = new URL(o.url);
  const request: ClientRequest = {
    method: o.method,
    path: `${url.pathname}${url.search}`,
    headers: o.headers,
    body: o.body,
  };
  // A malformed request (bad header, method) throws here, before any connection.
  normalizeRequest(request);
  const probeStartMs = realTimeScheduler.now();
  const deadlineMs = probeStartMs + o.durationLimitMs;
  const stagesDeadlineMs =
    o.confirmMs > 0
      ? deadlineMs - Math.min(o.confirmMs + confirmSlackMs, o.durationLimitMs / 4)
      : deadlineMs;
  const stages: StageResult[] = [];
  // Every request of every stage and of the confirmation, by status and failure cause.
  const tally = new OutcomeTally(defaultExpectedStatuses);
  let stop: TuneStop = 'max-connections';
  let baselineServiceMs = 0;
  let startRateTps = o.initialRateTps;
  let bestTps = 0;
  for (let connections = 1; connections <= o.maxConnections; connections++) {
    if (realTimeScheduler.now() >= stagesDeadlineMs) {
      stop = 'duration-limit';
      break;
    }
    hooks.onStageStart?.(connections);
    const plan = {
      connections,
      initialRateTps: startRateTps,
      baselineServiceMs,
      probeStartMs,
      deadlineMs: stagesDeadlineMs,
    };
    let stage = await probeStage(o, request, plan, tally);
    if (disturbed(stage) && realTimeScheduler.now() < stagesDeadlineMs) {
      // Measured through a disturbance (a neighbour's burst of CPU on a shared box): once more.
      hooks.onStageStart?.(connections);
      stage = await probeStage(o, request, plan, tally);
    }
    stages.push(stage);
    hooks.onStage?.(stage);
    baselineServiceMs = stage.baselineServiceMs;
    const carriedTps = Math.min(stage.goodputTps, o.maxRateTps);
    if (stage.end === 'no-connection' || stage.end === 'congestion') {
      stop = stage.end;
      break;
    }
    if (stage.end === 'time-limit') {
      stop = 'duration-limit';
      break;
    }
    if (stage.end === 'max-rate' || carriedTps >= o.maxRateTps * (1 - minGainFraction)) {
      stop = 'max-rate';
      break;
    }
    if (connections > 1 && carriedTps < bestTps * (1 + minGainFraction)) {
      stop = 'no-gain';
      break;
    }
    bestTps = Math.max(bestTps, carriedTps);
    // The next stage restarts slow start from a rate fewer connections already carried.
    startRateTps = Math.max(o.initialRateTps, carriedTps * (1 - o.minMarginFraction));
  }
  let recommendation = recommend({
    stages,
    stop,
    maxRateTps: o.maxRateTps,
    maxConnections: o.maxConnections,
    minGainFraction,
    minMarginFraction: o.minMarginFraction,
  });
  let confirm: TuneResult['confirm'];
  const confirmRoomMs = deadlineMs - realTimeScheduler.now();
  if (o.confirmMs > 0 && recommendation.maxSafeTps > 0 && confirmRoomMs >= o.confirmMs) {
    const plan: ConfirmPlan = {
      connections: recommendation.connections,
      rateTps: recommendation.maxSafeTps,
      baselineServiceMs,
      durationMs: o.confirmMs,
    };
    hooks.onConfirmStart?.(plan);
    confirm = await confirmPoint(o, request, plan, tally);
    if (!confirm.held) recommendation = backOff(recommendation, confirm, o.minMarginFraction);
  } else if (o.confirmMs > 0 && recommendation.maxSafeTps > 0) {
    recommendation = {
      ...recommendation,
      notes: [...recommendation.notes, 'no time was left to confirm the recommended point'],
    };
  }
  return {
    url: o.url,
    timeoutMs: o.timeoutMs,
    maxRateTps: o.maxRateTps,
    maxConnections: o.maxConnections,
    recommendation,
    confirm,
    stages,
    outcomes: tally.counts(),
    durationMs: realTimeScheduler.now() - probeStartMs,
  };
}

/** The confirmation did not hold: take the margin off once more, and say what was seen. */
function backOff(
  r: Recommendation,
  confirm: NonNullable<TuneResult['confirm']>,
  minMarginFraction: number,
): Recommendation {
  const maxSafeTps = Math.floor(r.maxSafeTps * (1 - minMarginFraction));
  const seen = [
    `goodput ${Math.round(confirm.goodputTps)} req/s`,
    `queue-wait p99 ${Math.round(confirm.queueWaitP99Ms)} ms`,
    `service p50 ${Math.round(confirm.serviceP50Ms)} ms`,
    `${confirm.timedOut} timed out`,
  ].join(', ');
  return {
    ...r,
    maxSafeTps,
    marginFraction: 1 - maxSafeTps / r.capacityTps,
    notes: [
      ...r.notes,
      `the point did not hold when confirmed at ${r.maxSafeTps} req/s (${seen}); backed off to ${maxSafeTps} req/s`,
    ],
  };
}
