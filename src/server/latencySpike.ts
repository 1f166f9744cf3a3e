import { rejectUnknownKeys, requireAbove, requireNumber } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/**
 * A scheduled latency step: every service time that starts in
 * [`atMs`, `atMs + forMs`) after the server's first request is multiplied by
 * `factor`, then latency goes back to normal. `h2flow serve --latency-spike
 * 10x@5s+3s` is `{ factor: 10, atMs: 5000, forMs: 3000 }`.
 *
 * The clock starts at the first request stream (the stats route does not
 * count), not at server start: a load generator started a moment after the
 * server, or after a capacity probe on another server, still sees the spike
 * where it asked for it, as its own t = 0 is its first request.
 */
export interface LatencySpike {
  /** Multiplier of the service time during the spike, > 0 (10 = ten times slower, 0.5 = twice as fast). No default. */
  readonly factor: number;
  /** When the spike starts, ms after the first request. No default. */
  readonly atMs: number;
  /** How long it lasts, ms (> 0). No default. */
  readonly forMs: number;
}

const spikeKeys: readonly (keyof LatencySpike)[] = ['factor', 'atMs', 'forMs'];

/**
 * Validates a {@link LatencySpike} given as the `latencySpike` server option,
 * throwing an InvalidOptionError that names the field (`latencySpike.factor`)
 * and the bad value.
 */
export function requireLatencySpike(value: unknown): LatencySpike {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError('latencySpike', value, 'an object { factor, atMs, forMs }');
  }
  rejectUnknownKeys('latencySpike', value, spikeKeys);
  const v = value as Record<string, unknown>;
  return Object.freeze({
    factor: requireAbove('latencySpike.factor', v.factor, 0, 1e6),
    atMs: requireNumber('latencySpike.atMs', v.atMs, 0, 86_400_000),
    forMs: requireAbove('latencySpike.forMs', v.forMs, 0, 86_400_000),
  });
}

/**
 * The multiplier in force `elapsedMs` after the first request: `factor`
 * inside the spike's half-open window, 1 outside it, and 1 before any
 * request (`elapsedMs` undefined) or without a spike.
 */
export function latencySpikeFactor(
  spike: LatencySpike | undefined,
  elapsedMs: number | undefined,
): number {
  if (spike === undefined || elapsedMs === undefined) return 1;
  return elapsedMs >= spike.atMs && elapsedMs < spike.atMs + spike.forMs ? spike.factor : 1;
}
