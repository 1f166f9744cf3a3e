import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { CapacitySnapshot } from '../core/capacity.js';
import { createClient } from '../createClient.js';
import { LatencyHistogram } from '../stats/latencyHistogram.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';

/** Options of {@link probeConnectionCapacity}. */
export interface CapacityProbeOptions {
  /** How long completions are counted, ms. Default 2000. */
  readonly durationMs?: number | undefined;
  /** Leading time left out, while the session warms up, ms. Default 500. */
  readonly warmupMs?: number | undefined;
  /** Extra CA certificates (PEM) for `https://`. */
  readonly ca?: string | Buffer | undefined;
  /** Whether TLS certificates are verified. Default true. */
  readonly rejectUnauthorized?: boolean | undefined;
}

/** What one saturated connection carried. */
export interface CapacityProbe {
  /** Completed requests per second: the median over {@link probeSliceMs} slices of the counted interval. */
  readonly completedTps: number;
  /** Mean service latency (stream opened → response end) over the counted interval, ms. */
  readonly meanServiceMs: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS on that connection. */
  readonly maxConcurrentStreams: number;
}

/** Most requests kept outstanding, whatever the peer's stream limit says. */
const maxOutstanding = 10_000;

/**
 * The counted interval is cut into slices about this long, ms, and the probe
 * reports their median rate: a GC pause or a neighbour's burst of CPU in one
 * slice then does not set the figure, as it would the plain mean, and unlike
 * the best slice the median does not favour a lucky count.
 */
export const probeSliceMs = 250;

/**
 * Measures what one connection to `url` really carries: a closed loop keeps
 * twice the peer's MAX_CONCURRENT_STREAMS outstanding on h2flow's own client
 * (the `fixed` policy, one session), so every stream slot is always busy, and
 * counts completions. By Little's law this is slots ÷ mean service time as
 * the client experiences it — event-loop and framing overhead included —
 * which is what "one connection's capacity" means to a client, where
 * `maxConcurrentStreams / configured latency` is only the model's figure.
 * Sends GETs to the URL's path; bounded by `warmupMs + durationMs` plus the
 * drain of what is outstanding.
 */
export async function probeConnectionCapacity(
  url: string,
  options: CapacityProbeOptions = {},
): Promise<CapacityProbe> {
  const durationMs = options.durationMs ?? 2000;
  const warmupMs = options.warmupMs ?? 500;
  const target = new URL(url);
  const client = createClient(target.origin, {
    scheduler: realTimeScheduler,
    policy: 'fixed',
    connections: 1,
    maxConnections: 1,
    // Requests wait in the queue by design here; only a dead server should time them out.
    timeoutMs: 30_000 + warmupMs + durationMs,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  });
  try {
    const slots = await firstReady(client);
    return await saturate(
      client,
      `${target.pathname}${target.search}`,
      slots,
      warmupMs,
      durationMs,
    );
  } finally {
    await client.close();
  }
}

/** Resolves the slots of the first ready session (rejects if none is ready within 10 s). */
function firstReady(client: AdaptiveClient): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error('capacity probe: no HTTP/2 session became ready within 10 s'));
    }, 10_000);
    const subscription = client.capacity$.subscribe((c: CapacitySnapshot) => {
      if (c.readySessions === 0) return;
      clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      resolve(c.slotsTotal);
    });
  });
}

/** Keeps `2 × slots` requests outstanding and counts what completes in each slice of the window. */
function saturate(
  client: AdaptiveClient,
  path: string,
  slots: number,
  warmupMs: number,
  durationMs: number,
): Promise<CapacityProbe> {
  const outstanding = Math.min(maxOutstanding, Math.max(1, 2 * slots));
  const startMs = realTimeScheduler.now();
  const fromMs = startMs + warmupMs;
  const toMs = fromMs + durationMs;
  const service = new LatencyHistogram();
  const slices = new Array<number>(Math.max(1, Math.floor(durationMs / probeSliceMs))).fill(0);
  const sliceMs = durationMs / slices.length;
  return new Promise((resolve) => {
    let stopped = false;
    const subscription = client.samples$.subscribe((s) => {
      if (s.outcome !== 'succeeded' || s.endAtMs === undefined) return;
      if (s.endAtMs < fromMs || s.dispatchedAtMs === undefined) return;
      const slice = Math.floor((s.endAtMs - fromMs) / sliceMs);
      if (slice >= slices.length) return;
      slices[slice]!++;
      service.record(s.endAtMs - s.dispatchedAtMs);
    });
    const next = (): void => {
      if (stopped) return;
      if (realTimeScheduler.now() >= toMs) {
        stopped = true;
        subscription.unsubscribe();
        resolve({
          completedTps: (median(slices) * 1000) / sliceMs,
          meanServiceMs: service.meanMs,
          maxConcurrentStreams: slots,
        });
        return;
      }
      // Closed loop: each settled request makes room for the next.
      client.send({ path }, () => setImmediate(next));
    };
    for (let i = 0; i < outstanding; i++) next();
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
