/**
 * The delay a `retry-after` header asks for, in ms (RFC 9110 §10.2.3): either
 * delay-seconds or an HTTP-date, read against `wallClockMs`, the caller's
 * clock (core never reads one), which is called only for an HTTP-date, so a
 * response without the header costs no clock read. `undefined` when the
 * header is absent or unreadable; a date in the past is 0.
 */
export function retryAfterMs(
  value: string | readonly string[] | undefined,
  wallClockMs: () => number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = (typeof value === 'string' ? value : value[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const dateMs = Date.parse(text);
  return Number.isFinite(dateMs) ? Math.max(0, dateMs - wallClockMs()) : undefined;
}
