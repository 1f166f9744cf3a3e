import { zip } from 'rxjs';
import type { ClientRequest } from '../client/clientRequest.js';
import type { OutcomeTally } from '../load/outcomeTally.js';
import { LatencyHistogram } from '../stats/latencyHistogram.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import { OfferedLoad } from './offeredLoad.js';
import { tuneClient } from './tuneClient.js';
import type { TuneOptions } from './tuneOptions.js';
import type { ConfirmResult } from './tuneResult.js';
import { windowSignals } from './windowSignals.js';

/** What to confirm. */
export interface ConfirmPlan {
  /** Connections of the recommended point. */
  readonly connections: number;
  /** Its maxSafeTps, offered open loop and set as the client's rate ceiling, req/s. */
  readonly rateTps: number;
  /** The path's unloaded service p50, ms: a rise above it means the point is past the knee. */
  readonly baselineServiceMs: number;
  /** How long to run, ms. */
  readonly durationMs: number;
}

/** Leading fraction of the run left out of the figures (sessions connect, the first windows fill). */
const warmupFraction = 0.25;
/** Goodput below this fraction of the offer means the point did not hold. */
const keptUpFraction = 0.95;
/**
 * More than this fraction of windows at the knee means the point did not
 * hold. One window in four may show a queue or a latency blip (a GC pause,
 * a neighbour's burst on a shared machine); a point past the knee shows
 * them in most windows, since its queue only grows.
 */
const kneeWindowsFraction = 0.25;

/**
 * Runs the recommended point as a user would: a client with the
 * recommended connections and `maxRateTps` = maxSafeTps, offered exactly
 * that rate open loop. It measures latency there — the p50/p99 the
 * recommendation quotes — and checks the point held: goodput kept up with
 * the offer, no congestion signal, and at most a quarter of the windows at
 * the knee (a queue behind full slots, or service latency 50% over its
 * unloaded value).
 */
export async function confirmPoint(
  o: TuneOptions,
  request: ClientRequest,
  plan: ConfirmPlan,
  tally?: OutcomeTally,
): Promise<ConfirmResult> {
  const client = tuneClient(o, plan.connections, plan.rateTps, plan.rateTps);
  const startMs = realTimeScheduler.now();
  const fromMs = startMs + plan.durationMs * warmupFraction;
  const service = new LatencyHistogram();
  const latency = new LatencyHistogram();
  const queueWait = new LatencyHistogram();
  let succeeded = 0;
  let windowsCounted = 0;
  let windowsAtKnee = 0;
  let congested = false;
  const samples = client.samples$.subscribe((s) => {
    if (s.submittedAtMs < fromMs) return;
    if (s.dispatchedAtMs !== undefined) queueWait.record(s.dispatchedAtMs - s.submittedAtMs);
    if (s.outcome !== 'succeeded' || s.endAtMs === undefined) return;
    succeeded++;
    latency.record(s.endAtMs - s.submittedAtMs);
    if (s.dispatchedAtMs !== undefined) service.record(s.endAtMs - s.dispatchedAtMs);
  });
  const windows = zip(client.windows$, client.decisions$).subscribe(([w]) => {
    if (realTimeScheduler.now() < fromMs) return;
    const s = windowSignals(w, plan.baselineServiceMs, client.options);
    windowsCounted++;
    if (s.saturated) windowsAtKnee++;
    if (s.congestion !== undefined) congested = true;
  });
  const load = new OfferedLoad(client, request, tally);
  load.setRateTps(plan.rateTps);
  await new Promise((resolve) => setTimeout(resolve, plan.durationMs));
  load.stop();
  const countedS = (realTimeScheduler.now() - fromMs) / 1000;
  try {
    await client.close();
  } finally {
    samples.unsubscribe();
    windows.unsubscribe();
  }
  const stats = client.stats();
  // Requests offered after the warm-up whose answers came after we stopped counting still succeeded
  // in time; counting by submit time keeps numerator and denominator over the same arrivals.
  const goodputTps = countedS > 0 ? succeeded / countedS : 0;
  return {
    offeredTps: plan.rateTps,
    connections: plan.connections,
    goodputTps,
    serviceP50Ms: service.percentileMs(50),
    serviceP99Ms: service.percentileMs(99),
    latencyP50Ms: latency.percentileMs(50),
    latencyP99Ms: latency.percentileMs(99),
    queueWaitP99Ms: queueWait.percentileMs(99),
    rejected: stats.rejected,
    timedOut: stats.timedOut,
    failed: stats.failed,
    cancelledOnWire: stats.cancelledOnWire,
    held:
      !congested &&
      windowsAtKnee <= kneeWindowsFraction * windowsCounted &&
      goodputTps >= keptUpFraction * plan.rateTps &&
      stats.timedOut === 0 &&
      stats.cancelledOnWire === 0,
  };
}
