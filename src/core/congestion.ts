/**
 * Kinds of congestion signal a control window can carry. Each one makes the
 * controller cut its rate (multiplicative decrease).
 *
 * - `timeout`: a request hit its deadline;
 * - `cancel`: a stream was cancelled on the wire (RST_STREAM CANCEL sent);
 * - `refusedStream`: the server answered RST_STREAM(REFUSED_STREAM) (RFC 9113 §8.7);
 * - `enhanceYourCalm`: the server answered ENHANCE_YOUR_CALM (RFC 9113 §7, code 0xb);
 * - `goawayError`: the server sent GOAWAY with an error code other than NO_ERROR;
 * - `http429`, `http503`: the server said it is overloaded;
 * - `connectionError`: a session failed or was lost.
 */
export type CongestionKind =
  | 'timeout'
  | 'cancel'
  | 'refusedStream'
  | 'enhanceYourCalm'
  | 'goawayError'
  | 'http429'
  | 'http503'
  | 'connectionError';

/** Every congestion kind, in the order the controller reports them (most specific first). */
export const congestionKinds: readonly CongestionKind[] = [
  'enhanceYourCalm',
  'refusedStream',
  'goawayError',
  'http429',
  'http503',
  'connectionError',
  'timeout',
  'cancel',
];

/** Count of each congestion signal in one window. */
export type CongestionCounts = Readonly<Record<CongestionKind, number>>;

/** A counts object with every kind at zero. */
export function zeroCongestion(): Record<CongestionKind, number> {
  return {
    timeout: 0,
    cancel: 0,
    refusedStream: 0,
    enhanceYourCalm: 0,
    goawayError: 0,
    http429: 0,
    http503: 0,
    connectionError: 0,
  };
}

/** The first kind (by {@link congestionKinds} order) with a non-zero count, if any. */
export function firstCongestion(counts: CongestionCounts): CongestionKind | undefined {
  for (const kind of congestionKinds) if (counts[kind] > 0) return kind;
  return undefined;
}
