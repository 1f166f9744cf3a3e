/**
 * One run of one client on one condition, through the load runner of
 * `h2flow load` (`runLoad`): the client is a black box, asked for by policy
 * name, and only its public outputs are read — the run's result, its
 * per-second timeline, and its `samples$` stream for 100 ms goodput buckets.
 */
import type { LoadPolicy } from '../../../src/load/loadOptions.js';
import { runLoad } from '../../../src/load/runLoad.js';
import { seedBody } from '../seedBody.js';
import type { DominanceCondition } from './conditions.js';
import { goodputBucketMs, type Recovery, recoveryTime } from './recoveryTime.js';

/** What every run of the matrix sends, and its probes too (so that both load the server alike): the seed's 75-byte JSON POST. */
export const runRequest = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: seedBody,
} as const;

/** What one run measured. */
export interface RunMeasure {
  /** The client's policy. */
  readonly policy: LoadPolicy;
  /**
   * Successful responses (status < 500, not 429) that ended during the
   * arrival phase, per second of it, cold start included. Counted by
   * response end, not by eventual outcome: a queueing client whose backlog
   * completes in the drain after the run would otherwise be credited with
   * throughput the path never carried while the load was offered.
   */
  readonly goodputTps: number;
  /**
   * Successes per second after the first {@link steadyFromShare} of the
   * arrival phase, by response end (as the capacity probe counts), req/s.
   */
  readonly steadyGoodputTps: number;
  /** Requests offered. */
  readonly submitted: number;
  /** Requests that succeeded. */
  readonly succeeded: number;
  /** Requests shed before sending (H2FLOW_OVERLOAD). */
  readonly shed: number;
  /** Of those, shed in the first second of the run. */
  readonly shedFirstSecond: number;
  /** Requests that hit their deadline. */
  readonly timedOut: number;
  /** Requests that failed otherwise (5xx, 429, transport). */
  readonly failed: number;
  /** RST_STREAM(CANCEL) the client sent, by its own count. */
  readonly wireCancels: number;
  /** RST_STREAM(CANCEL) the server received, by its own count (embedded stats route or nginx's log); null when unknown. */
  readonly serverCancels: number | null;
  /** Most connections open at once. */
  readonly connectionsMax: number;
  /** p99 of how late the generator sent, ms (> 100 ms means the box could not offer the load asked). */
  readonly sendLagP99Ms: number;
  /** Successes per {@link goodputBucketMs} bucket, by response end, from the first request's dispatch. */
  readonly succeededPerBucket: readonly number[];
  /** After a spike: how goodput came back; undefined without one. */
  readonly recovery: Recovery | undefined;
}

/** Where a run sends its load and how the server's own cancel count is read. */
export interface RunTarget {
  /** Full URL, path included. */
  readonly url: string;
  /** Starts a server-side count of RST_STREAM(CANCEL); the function returned reads it. Undefined: the embedded server's stats route, through the load runner. */
  readonly watchCancels?: (() => () => Promise<number>) | undefined;
}

/** Runs `policy` on `condition` against `target` and measures it. */
export async function measureRun(
  condition: DominanceCondition,
  policy: LoadPolicy,
  target: RunTarget,
): Promise<RunMeasure> {
  const readCancels = target.watchCancels?.();
  // Response-end times of successes; bucketed once the run is over, against the first dispatch.
  const successEndsMs: number[] = [];
  let firstDispatchMs = Number.POSITIVE_INFINITY;
  const run = await runLoad(
    {
      url: target.url,
      rateTps: condition.rateTps,
      durationMs: condition.durationMs,
      timeoutMs: condition.timeoutMs,
      policy,
      connections: condition.naiveConnections,
      maxConnections: condition.adaptiveMaxConnections,
      ...runRequest,
    },
    {
      onClient: (client) => {
        // Ends with the client: runLoad closes it, and samples$ completes.
        client.samples$.subscribe((s) => {
          if (s.dispatchedAtMs !== undefined && s.dispatchedAtMs < firstDispatchMs) {
            firstDispatchMs = s.dispatchedAtMs;
          }
          if (s.outcome === 'succeeded' && s.endAtMs !== undefined) successEndsMs.push(s.endAtMs);
        });
      },
    },
  );
  const r = run.result;
  const serverCancels =
    readCancels !== undefined
      ? await readCancels()
      : run.serverStats === null
        ? null
        : (run.serverStats.rstReceived.CANCEL ?? 0);
  const arrivalS = condition.durationMs / 1000;
  // Buckets past the arrival phase hold the drain, which is not goodput at the offered rate.
  const series = bucketize(successEndsMs, firstDispatchMs, condition.durationMs);
  return {
    policy,
    goodputTps: series.reduce((a, b) => a + b, 0) / arrivalS,
    steadyGoodputTps: steadyTps(series),
    submitted: r.submitted,
    succeeded: r.succeeded,
    shed: r.rejected,
    shedFirstSecond: Math.round(r.timeline[0]?.rejectedTps ?? 0),
    timedOut: r.timedOut,
    failed: r.failed,
    wireCancels: r.cancelledOnWire,
    serverCancels,
    connectionsMax: r.connectionsMax,
    sendLagP99Ms: run.generator.sendLagP99Ms,
    succeededPerBucket: series,
    recovery: condition.spike === undefined ? undefined : recoveryTime(series, condition.spike),
  };
}

/** Share of the arrival phase left out of the steady goodput: slow start and connecting. */
export const steadyFromShare = 0.2;

/** Mean successes per second over the buckets after the first {@link steadyFromShare} of them. */
function steadyTps(series: readonly number[]): number {
  const tail = series.slice(Math.floor(series.length * steadyFromShare));
  return tail.length === 0
    ? 0
    : (tail.reduce((a, b) => a + b, 0) * 1000) / (tail.length * goodputBucketMs);
}

/** Counts `endsMs` in {@link goodputBucketMs} buckets from `fromMs`, over `spanMs`. */
function bucketize(endsMs: readonly number[], fromMs: number, spanMs: number): number[] {
  const buckets = new Array<number>(Math.ceil(spanMs / goodputBucketMs)).fill(0);
  for (const t of endsMs) {
    const i = Math.floor((t - fromMs) / goodputBucketMs);
    if (i >= 0 && i < buckets.length) buckets[i]! += 1;
  }
  return buckets;
}
