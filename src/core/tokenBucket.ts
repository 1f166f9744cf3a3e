/**
 * A token bucket whose rate can change, exact over long runs.
 *
 * Floating-point refills (`tokens += rate × dt`) drift over millions of
 * calls. Instead the bucket keeps an epoch: the time and token level at the
 * last rate change. Tokens at time t are
 * `min(burst, levelAtEpoch + rateTps × (t − epochMs) / 1000 − takenSinceEpoch)`,
 * computed from integers and one multiplication, so the count never drifts.
 * When the level hits the burst cap the epoch moves forward (the excess is
 * forfeited, as in any token bucket).
 */
export interface TokenBucket {
  /** Tokens per second. */
  readonly rateTps: number;
  /** Most tokens the bucket holds. */
  readonly burst: number;
  /** Epoch start, ms. */
  readonly epochMs: number;
  /** Token level at the epoch start. */
  readonly levelAtEpoch: number;
  /** Tokens taken since the epoch start. */
  readonly takenSinceEpoch: number;
}

/** A full bucket at `nowMs`. */
export function createTokenBucket(rateTps: number, burst: number, nowMs: number): TokenBucket {
  return createTokenBucketAt(rateTps, burst, nowMs, burst, 0);
}

/** A bucket with every field given, always built in the same field order (one hidden class). */
function createTokenBucketAt(
  rateTps: number,
  burst: number,
  epochMs: number,
  levelAtEpoch: number,
  takenSinceEpoch: number,
): TokenBucket {
  return { rateTps, burst, epochMs, levelAtEpoch, takenSinceEpoch };
}

/** Tokens available at `nowMs` (fractional). */
export function tokensAt(b: TokenBucket, nowMs: number): number {
  const earned = (b.rateTps * Math.max(0, nowMs - b.epochMs)) / 1000;
  return Math.min(b.burst, b.levelAtEpoch + earned - b.takenSinceEpoch);
}

/** Takes one token at `nowMs` if there is one; returns the new bucket, or `undefined` when empty. */
export function takeToken(b: TokenBucket, nowMs: number): TokenBucket | undefined {
  const level = tokensAt(b, nowMs);
  if (level < 1) return undefined;
  if (level >= b.burst) {
    // Re-anchor at the cap so tokens earned while full are not counted later.
    return createTokenBucketAt(b.rateTps, b.burst, nowMs, b.burst, 1);
  }
  // A literal, not a spread: this runs once per request while a rate is enforced.
  return createTokenBucketAt(b.rateTps, b.burst, b.epochMs, b.levelAtEpoch, b.takenSinceEpoch + 1);
}

/** Changes the rate (and burst) at `nowMs`, keeping the tokens earned so far. */
export function retarget(
  b: TokenBucket,
  rateTps: number,
  burst: number,
  nowMs: number,
): TokenBucket {
  const level = Math.min(burst, tokensAt(b, nowMs));
  return createTokenBucketAt(rateTps, burst, nowMs, level, 0);
}

/** Milliseconds from `nowMs` until one token is available (0 if one is). */
export function msUntilToken(b: TokenBucket, nowMs: number): number {
  const missing = 1 - tokensAt(b, nowMs);
  if (missing <= 0) return 0;
  if (!(b.rateTps > 0) || b.burst < 1) return Infinity;
  let waitMs = (missing * 1000) / b.rateTps;
  // Roundoff (the clock may be 1e9 ms past the epoch) can leave the level a
  // hair under 1 at exactly nowMs + waitMs; a caller that waits that long would
  // find no token and re-arm a near-zero wait. Nudge the wait up by doubling
  // steps, starting near one ulp of the due time, until the token is there.
  let nudgeMs = Math.abs(nowMs + waitMs) * Number.EPSILON || Number.MIN_VALUE;
  while (tokensAt(b, nowMs + waitMs) < 1) {
    waitMs += nudgeMs;
    nudgeMs *= 2;
  }
  return waitMs;
}
