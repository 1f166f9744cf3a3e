/**
 * Number formatting for human-facing reports. The locale is fixed to
 * `en-US` (comma thousands separators, dot decimals) so a report reads the
 * same, byte for byte, whatever the machine's locale.
 */

const formats = new Map<number, Intl.NumberFormat>();

function format(value: number, fractionDigits: number): string {
  let f = formats.get(fractionDigits);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    formats.set(fractionDigits, f);
  }
  const text = f.format(value);
  // Intl keeps the sign of values that round to zero ("-0.0"); a report should not.
  return /^-[0.,]+$/.test(text) ? text.slice(1) : text;
}

/** Placeholder for a value that is unknown or not a finite number. */
export const notAvailable = '–';

/** A count with thousands separators, rounded to an integer: `180,000`. */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? format(value, 0) : notAvailable;
}

/**
 * A rate in requests per second: whole numbers from 10 up (`2,961`), one
 * decimal below (`4.5`), where a rounding step would be a large error.
 */
export function formatRateTps(rateTps: number): string {
  if (!Number.isFinite(rateTps)) return notAvailable;
  return format(rateTps, Math.abs(rateTps) >= 10 ? 0 : 1);
}

/**
 * A duration in milliseconds: whole ms from 10 ms up (`4,998`), one decimal
 * below (`0.4`), so sub-millisecond loopback latencies are not shown as 0.
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return notAvailable;
  return format(ms, Math.abs(ms) >= 10 ? 0 : 1);
}

/** A fraction (0.231) as a percentage with one decimal: `23.1%`. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${format(fraction * 100, 1)}%` : notAvailable;
}

/** `part ÷ whole`, or 0 when `whole` is 0 (an empty run has 0% of anything). */
export function fractionOf(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
