/**
 * Go's x/net/http2 retry schedule (`Transport.RoundTripOpt`, the seed's
 * client): a request whose attempt failed in a retryable way (REFUSED_STREAM,
 * a GOAWAY that left it unprocessed, a connection no longer usable) is tried
 * again while `retry <= 6`: the first retry at once, the later ones after
 * 1 s, 2 s, 4 s, … Go adds 10% jitter to a float of seconds and then
 * truncates it to whole seconds (`time.Second * time.Duration(backoff)`), so
 * the delays are exact powers of two.
 */

/** Most retries Go makes (`retry` runs 0–6). */
export const goMaxRetries = 7;

/**
 * The delay before retry number `retriesBefore + 1`, ms, given how many
 * retries the request already had; `undefined` once Go would give up.
 */
export function goRetryDelayMs(retriesBefore: number): number | undefined {
  if (retriesBefore >= goMaxRetries) return undefined;
  return retriesBefore === 0 ? 0 : 1000 * 2 ** (retriesBefore - 1);
}
