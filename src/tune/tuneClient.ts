import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import { createClient } from '../createClient.js';
import { realTimeScheduler } from '../streams/realTimeScheduler.js';
import type { TuneOptions } from './tuneOptions.js';

/**
 * A real h2flow client for one probe step: the `adaptive` policy (slow
 * start, then AIMD, exactly as in production) with its pool pinned to
 * `connections` (min = initial = max), so the rate loop finds the knee of
 * that many connections and the tuner runs the connection experiment
 * itself, one connection at a time.
 */
export function tuneClient(
  o: TuneOptions,
  connections: number,
  initialRateTps: number,
  maxRateTps: number,
): AdaptiveClient {
  return createClient(new URL(o.url).origin, {
    scheduler: realTimeScheduler,
    policy: 'adaptive',
    timeoutMs: o.timeoutMs,
    initialConnections: connections,
    minConnections: connections,
    maxConnections: connections,
    initialRateTps: Math.min(initialRateTps, maxRateTps),
    maxRateTps,
    ...(o.ca === undefined ? {} : { ca: o.ca }),
    rejectUnauthorized: o.rejectUnauthorized,
  });
}

/** The lowest SETTINGS_MAX_CONCURRENT_STREAMS over a client's ready sessions, tracked as they come. */
export function trackStreamLimit(client: AdaptiveClient): {
  readonly maxConcurrentStreams: () => number;
  readonly ready: Promise<void>;
  readonly unsubscribe: () => void;
} {
  let lowest = Number.POSITIVE_INFINITY;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const subscription = client.capacity$.subscribe((c) => {
    for (const s of c.sessions) {
      if (s.state === 'ready') lowest = Math.min(lowest, s.maxConcurrentStreams);
    }
    if (c.readySessions > 0) markReady();
  });
  return {
    maxConcurrentStreams: () => (Number.isFinite(lowest) ? lowest : 0),
    ready,
    unsubscribe: () => subscription.unsubscribe(),
  };
}
