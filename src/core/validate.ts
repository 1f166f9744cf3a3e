import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/**
 * Small guards shared by every options validator. Each throws an
 * {@link InvalidOptionError} (a RangeError) naming the option and the value.
 */

/** A finite number within [min, max]. */
export function requireNumber(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidOptionError(name, value, `a number ${range}`);
  }
  if (!Number.isFinite(value) && max !== Infinity) {
    throw new InvalidOptionError(name, value, `a finite number`);
  }
  return value;
}

/** A finite number strictly greater than `min`. */
export function requireAbove(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min || value > max) {
    const range = max === Infinity ? `> ${min}` : `> ${min} and <= ${max}`;
    throw new InvalidOptionError(name, value, `a finite number ${range}`);
  }
  return value;
}

/** An integer within [min, max]. */
export function requireInteger(name: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidOptionError(name, value, `an integer ${range}`);
  }
  return value;
}

/** One of the listed strings. */
export function requireOneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidOptionError(name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/** `low` must not exceed `high`; names both in the message. */
export function requireOrdered(lowName: string, low: number, highName: string, high: number): void {
  if (low > high) {
    throw new InvalidOptionError(highName, high, `>= ${lowName} (${low})`);
  }
}

/** Rejects option keys that the validator does not know, so a typo never becomes a silent default. */
export function rejectUnknownKeys(what: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(
        `${what}.${key}`,
        (given as Record<string, unknown>)[key],
        `a known option (${known.join(', ')})`,
      );
    }
  }
}

/** An absolute `http://` or `https://` URL (h2c with prior knowledge, or TLS with ALPN h2). */
export function requireHttpUrl(name: string, value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new InvalidOptionError(name, value, 'an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError(name, value, 'an absolute http:// or https:// URL');
  }
  return url;
}
