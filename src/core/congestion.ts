/**
 * Kinds of congestion signal a control window can carry: signals that load
 * caused, or that the server gave explicitly. Each one makes the controller
 * cut its rate (multiplicative decrease). Background noise is not here: a 503
 * without `retry-after` is counted apart (`ControlWindow.unavailable`) and
 * cuts only when it surges above its background share, and a timeout that no
 * queue caused is not a signal at all (see `isLoadTimeout`).
 *
 * - `timeout`: a request hit its deadline after a queue wait that load caused;
 * - `refusedStream`: the server answered RST_STREAM(REFUSED_STREAM) (RFC 9113 §8.7);
 * - `enhanceYourCalm`: the server answered ENHANCE_YOUR_CALM (RFC 9113 §7, code 0xb);
 * - `goawayError`: the server sent GOAWAY with an error code other than NO_ERROR;
 * - `http429`: the server said "too many requests" (RFC 6585 §4);
 * - `http503`: a 503 carrying `retry-after`: the server asked for a pause (RFC 9110 §10.2.3).
 *
 * A lost or refused connection is not here: it says nothing about load, and
 * a path with no ready session reports `no-connection` instead.
 */
export type CongestionKind =
  | 'timeout'
  | 'refusedStream'
  | 'enhanceYourCalm'
  | 'goawayError'
  | 'http429'
  | 'http503';

/** Every congestion kind, in the order the controller reports them (most specific first). */
export const congestionKinds: readonly CongestionKind[] = [
  'enhanceYourCalm',
  'refusedStream',
  'goawayError',
  'http429',
  'http503',
  'timeout',
];

/** Count of each congestion signal in one window. */
export type CongestionCounts = Readonly<Record<CongestionKind, number>>;

/** A counts object with every kind at zero. */
export function zeroCongestion(): Record<CongestionKind, number> {
  return {
    timeout: 0,
    refusedStream: 0,
    enhanceYourCalm: 0,
    goawayError: 0,
    http429: 0,
    http503: 0,
  };
}

/** The first kind (by {@link congestionKinds} order) with a non-zero count, if any. */
export function firstCongestion(counts: CongestionCounts): CongestionKind | undefined {
  for (const kind of congestionKinds) if (counts[kind] > 0) return kind;
  return undefined;
}
