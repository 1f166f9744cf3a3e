import type { CongestionKind } from './congestion.js';

/** How a response settles for the controller's counters and signals. */
export interface ResponseOutcome {
  /** 2xx–4xx but 429 succeed; 5xx and 429 are HTTP errors. */
  readonly ok: boolean;
  /** 429, or 503 with `retry-after`: explicit throttling. */
  readonly congestion: CongestionKind | undefined;
}

/**
 * What a response with `status` (and `retry-after`, ms, when it carried one)
 * means to the controller. Only explicit throttling is a congestion signal:
 * a 503 without `retry-after` may be background, and the controller judges
 * that from its share (rules/errorSurge.ts).
 */
export function responseOutcome(status: number, retryAfterMs: number | undefined): ResponseOutcome {
  const congestion: CongestionKind | undefined =
    status === 429
      ? 'http429'
      : status === 503 && retryAfterMs !== undefined
        ? 'http503'
        : undefined;
  return { ok: status < 500 && status !== 429, congestion };
}
