import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import { type ClientRequest, normalizeRequest } from '../client/clientRequest.js';
import type { ClientStats } from '../core/clientStats.js';
import type { PolicyResult, ServerStats } from '../core/runResult.js';
import type { RequestSample } from '../core/sample.js';
import { createClient } from '../createClient.js';
import { isOverloadError } from '../errors/OverloadError.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import {
  type ArrivalSchedule,
  arrivalsDue,
  intendedSendMs,
  totalArrivals,
} from './arrivalSchedule.js';
import { fetchServerStats } from './fetchServerStats.js';
import { isNaivePolicy, type LoadOptions, loadLabel, resolveLoadOptions } from './loadOptions.js';
import type { LoadProgress } from './loadProgress.js';
import { type GeneratorStats, OpenLoopRecorder } from './openLoopRecorder.js';
import { withOutcomes } from './runOutcomes.js';
import { serverStatsDelta } from './serverStatsDelta.js';

/** What one load run produced. */
export interface LoadRun {
  /** The options it ran with, defaults filled in. */
  readonly options: ResolvedLoadOptions;
  /** The run in the shape `simulate` reports (timeline from the intended send times). */
  readonly result: PolicyResult;
  /** What the target counted during the run (`after − before`), or null when it is not an h2flow server. */
  readonly serverStats: ServerStats | null;
  /** The client's own counters at the end (they reconcile with `result`). */
  readonly client: ClientStats;
  /** How well the generator kept to its schedule. */
  readonly generator: GeneratorStats;
}

/** Callbacks and controls of a run. */
export interface LoadHooks {
  /** Called every `progressIntervalMs` while the run offers and drains. */
  readonly onProgress?: ((progress: LoadProgress) => void) | undefined;
  /** Aborting stops the arrivals early; requests already sent still settle and the run reports. */
  readonly signal?: AbortSignal | undefined;
  /** Called with the run's client as soon as it exists, e.g. to serve its metrics while the load runs. */
  readonly onClient?: ((client: AdaptiveClient) => void) | undefined;
}

/** {@link LoadOptions} with every default filled in, as {@link resolveLoadOptions} returns them. */
export type ResolvedLoadOptions = ReturnType<typeof resolveLoadOptions>;

/**
 * Runs one open-loop load against `options.url` and records it.
 *
 * Arrivals follow {@link ArrivalSchedule}: a timer ticks every `tickMs` and
 * sends every request whose intended time has come, whether or not earlier
 * ones finished, so the offered rate holds however the target behaves. The
 * run stops offering at `durationMs` or `maxRequests`, whichever is first,
 * then waits for every open request to settle — at most one timeout, since
 * each has its own deadline — and closes the client. When the target is an
 * h2flow server, its counters are read before and after, and their
 * difference is the server's own witness of the run (e.g. RST_STREAM(CANCEL)
 * received).
 */
export async function runLoad(
  partial: Partial<LoadOptions> & Pick<LoadOptions, 'url' | 'rateTps'>,
  hooks: LoadHooks = {},
): Promise<LoadRun> {
  const o = resolveLoadOptions(partial);
  const url = new URL(o.url);
  const request: ClientRequest = {
    method: o.method,
    path: `${url.pathname}${url.search}`,
    headers: o.headers,
    body: o.body,
  };
  // A malformed request (bad header, method) throws here, before any connection.
  normalizeRequest(request);
  const tls = { ca: o.ca, rejectUnauthorized: o.rejectUnauthorized };
  const before = await fetchServerStats(url.origin, tls);
  const client = createClient(url.origin, {
    scheduler: realTimeScheduler,
    timeoutMs: o.timeoutMs,
    ...(isNaivePolicy(o.policy)
      ? {
          policy: 'fixed',
          connections: o.connections,
          maxConnections: o.connections,
          queueOrder: o.policy === 'naive' ? 'fifo-restart' : 'fifo',
        }
      : { policy: 'adaptive', maxConnections: o.maxConnections }),
    ...(o.ca === undefined ? {} : { ca: o.ca }),
    rejectUnauthorized: o.rejectUnauthorized,
  });
  hooks.onClient?.(client);
  const startMs = realTimeScheduler.now();
  const schedule: ArrivalSchedule = {
    startMs,
    rateTps: o.rateTps,
    durationMs: o.durationMs,
    maxRequests: o.maxRequests,
  };
  const recorder = new OpenLoopRecorder(startMs, o.expectedStatuses);
  const { endMs } = await offer(client, request, schedule, recorder, o, hooks);
  const result = withOutcomes(
    recorder.finish({
      policy: loadLabel(o),
      endMs,
      warmupS: Math.min(o.warmupMs, endMs - startMs) / 1000,
      capacityTps: o.capacityTps,
    }),
    recorder.outcomeCounts(),
  );
  const after = before === undefined ? undefined : await fetchServerStats(url.origin, tls);
  return {
    options: o,
    result,
    serverStats: before && after ? serverStatsDelta(before, after) : null,
    client: client.stats(),
    generator: recorder.generatorStats(),
  };
}

/** Sends the arrivals, then drains and closes the client. Resolves with when offering ended. */
async function offer(
  client: AdaptiveClient,
  request: ClientRequest,
  schedule: ArrivalSchedule,
  recorder: OpenLoopRecorder,
  o: ResolvedLoadOptions,
  hooks: LoadHooks,
): Promise<{ endMs: number }> {
  const now = (): number => realTimeScheduler.now();
  const total = totalArrivals(schedule);
  let endMs = Math.min(schedule.startMs + schedule.durationMs, intendedSendMs(schedule, total));
  let offering = true;
  let lastSample: RequestSample | undefined;
  const subscriptions = [
    // The client emits a request's sample synchronously just before calling
    // its callback, so the sample in hand when a callback runs is its own.
    client.samples$.subscribe((sample) => {
      lastSample = sample;
    }),
    client.decisions$.subscribe((decision) => {
      const t = now();
      // The report shows the controller's view while the load ran, not during the drain.
      if (t < endMs) recorder.decision(t, decision);
    }),
    client.capacity$.subscribe((capacity) => {
      const t = now();
      if (t < endMs) recorder.connections(t, capacity.readySessions);
    }),
  ];
  let sent = 0;
  const sendOne = (intendedMs: number, sentAtMs: number): void => {
    recorder.sent(intendedMs, sentAtMs);
    let submitting = true;
    let shed = false;
    client.send(request, (error) => {
      const sample = lastSample;
      lastSample = undefined;
      if (submitting && isOverloadError(error)) shed = true;
      if (sample !== undefined) recorder.settled(sample, intendedMs, error);
    });
    submitting = false;
    if (!shed) recorder.admitted(intendedMs);
  };
  const progress = (): void => {
    if (!hooks.onProgress) return;
    const t = now();
    const totals = recorder.totals;
    hooks.onProgress({
      phase: offering ? 'offering' : 'draining',
      elapsedMs: Math.max(0, t - schedule.startMs),
      durationMs: schedule.durationMs,
      offered: totals.submitted,
      succeeded: totals.succeeded,
      rejected: totals.rejected,
      timedOut: totals.timedOut,
      failed: totals.failed,
      rateTps: recorder.rateTps,
      connections: recorder.connectionCount,
      queueWaitP99Ms: recorder.recentQueueWaitP99Ms(t),
    });
  };
  const progressTimer = setInterval(progress, o.progressIntervalMs);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      offering = false;
      clearInterval(tick);
      hooks.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      endMs = Math.min(endMs, now());
      stop();
    };
    const tick = setInterval(() => {
      const t = now();
      const due = arrivalsDue(schedule, t);
      // One tick sends every request whose time has come, each stamped with its own intended time.
      while (sent < due) sendOne(intendedSendMs(schedule, sent++), t);
      if (sent >= total) stop();
    }, o.tickMs);
    if (hooks.signal?.aborted) onAbort();
    else hooks.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // Each open request has its own deadline, so this waits at most one timeout.
    await client.close();
  } finally {
    clearInterval(progressTimer);
    for (const s of subscriptions) s.unsubscribe();
  }
  progress();
  return { endMs };
}
