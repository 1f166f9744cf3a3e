import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import type { ClientRequest } from '../client/clientRequest.js';
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
  /**
   * What each probe request sends besides the URL's path. Default a GET. A
   * run to be divided by the probe should give its own (method, headers,
   * body), so that both load the server alike: a 75-byte POST costs an
   * h2flow server more than a GET, and a probe of GETs reads that much high.
   */
  readonly request?: Pick<ClientRequest, 'method' | 'headers' | 'body'> | undefined;
}

/** What one saturated connection carried. */
export interface CapacityProbe {
  /**
   * Completed requests per second over the counted interval: the mean, the
   * statistic a run's goodput is, so a run can be divided by it.
   */
  readonly completedTps: number;
  /** Mean service latency (stream opened → response end) over the counted interval, ms. */
  readonly meanServiceMs: number;
  /** The peer's SETTINGS_MAX_CONCURRENT_STREAMS on that connection. */
  readonly maxConcurrentStreams: number;
}

/** Most requests kept outstanding, whatever the peer's stream limit says. */
const maxOutstanding = 10_000;

/**
 * Measures what one connection to `url` really carries: a closed loop keeps
 * twice the peer's MAX_CONCURRENT_STREAMS outstanding on h2flow's own client
 * (the `fixed` policy, one session), so every stream slot is always busy, and
 * counts completions. By Little's law this is slots ÷ mean service time as
 * the client experiences it — event-loop and framing overhead included —
 * which is what "one connection's capacity" means to a client, where
 * `maxConcurrentStreams / configured latency` is only the model's figure.
 * Sends GETs to the URL's path (or `options.request`); bounded by `warmupMs + durationMs` plus the
 * drain of what is outstanding.
 *
 * The figure is the mean over the whole counted interval, not the median of
 * short slices: the closed loop starts every slot at once, so completions
 * arrive in waves one service time apart (100 at a time every ~57 ms for 100
 * streams of 50 ms), and a 250 ms slice holds 4 or 5 of them. Slice medians
 * were quantized to ±11% that way; the mean is off by at most one wave in
 * the interval (±3% in 2 s, ±1.5% in 4 s).
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
      { ...options.request, path: `${target.pathname}${target.search}` },
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

/** Keeps `2 × slots` requests outstanding and counts what completes in the counted interval. */
function saturate(
  client: AdaptiveClient,
  request: ClientRequest,
  slots: number,
  warmupMs: number,
  durationMs: number,
): Promise<CapacityProbe> {
  const outstanding = Math.min(maxOutstanding, Math.max(1, 2 * slots));
  const startMs = realTimeScheduler.now();
  const fromMs = startMs + warmupMs;
  const toMs = fromMs + durationMs;
  const service = new LatencyHistogram();
  let counted = 0;
  return new Promise((resolve) => {
    let stopped = false;
    const subscription = client.samples$.subscribe((s) => {
      if (s.outcome !== 'succeeded' || s.endAtMs === undefined) return;
      if (s.endAtMs < fromMs || s.endAtMs >= toMs || s.dispatchedAtMs === undefined) return;
      counted++;
      service.record(s.endAtMs - s.dispatchedAtMs);
    });
    const next = (): void => {
      if (stopped) return;
      if (realTimeScheduler.now() >= toMs) {
        stopped = true;
        subscription.unsubscribe();
        resolve({
          completedTps: (counted * 1000) / durationMs,
          meanServiceMs: service.meanMs,
          maxConcurrentStreams: slots,
        });
        return;
      }
      // Closed loop: each settled request makes room for the next.
      client.send(request, () => setImmediate(next));
    };
    for (let i = 0; i < outstanding; i++) next();
  });
}
