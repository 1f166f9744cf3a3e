import { UsageError } from './usageError.js';

const durationUnitsMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a duration flag with a unit (`50ms`, `5s`, `2m`, `1.5s`, `1h`) into
 * milliseconds. A bare number is rejected, so `--timeout 5` cannot silently
 * mean 5 ms; `0` alone is accepted.
 */
export function parseDurationMs(flag: string, text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (text.trim() === '0') return 0;
  if (!match) {
    throw new UsageError(
      `${flag}: expected a duration with a unit such as 50ms, 5s or 2m, got ${JSON.stringify(text)}`,
    );
  }
  return Number(match[1]) * durationUnitsMs[match[2]!]!;
}

/** Parses a non-negative number flag (rates, fractions), e.g. `--rate 3000`. */
export function parseNumber(flag: string, text: string, min = 0, max = Infinity): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${flag}: expected a number ${range}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses an integer flag, e.g. `--connections 4`. */
export function parseInteger(
  flag: string,
  text: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(text);
  if (!/^\s*-?\d+\s*$/.test(text) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new UsageError(`${flag}: expected an integer ${range}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Parses a byte count with an optional unit (`75`, `64KiB`, `1MiB`, `1MB`). */
export function parseBytes(flag: string, text: string): number {
  const units: Readonly<Record<string, number>> = {
    '': 1,
    b: 1,
    kb: 1000,
    kib: 1024,
    mb: 1e6,
    mib: 1024 * 1024,
  };
  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = match?.[2]?.toLowerCase();
  if (!match || unit === undefined || !(unit in units)) {
    throw new UsageError(
      `${flag}: expected a byte count such as 75, 64KiB or 1MiB, got ${JSON.stringify(text)}`,
    );
  }
  return Number(match[1]) * units[unit]!;
}

/** Parses one of a fixed set of words, e.g. `--policy naive|adaptive`. */
export function parseChoice<T extends string>(
  flag: string,
  text: string,
  choices: readonly T[],
): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(
      `${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(text)}`,
    );
  }
  return text as T;
}
