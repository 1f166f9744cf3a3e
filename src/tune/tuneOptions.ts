import {
  rejectUnknownKeys,
  requireAbove,
  requireHttpUrl,
  requireInteger,
  requireNumber,
} from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/** Options of one `h2flow tune` probe ({@link runTune}). docs/tune.md explains each. */
export interface TuneOptions {
  /** Target URL, `http://` (h2c, prior knowledge) or `https://`; its path and query are requested. No default. */
  readonly url: string;
  /** The request budget the recommendation is for, ms; the controller's queue targets scale with it. Default 5000. */
  readonly timeoutMs: number;
  /** Most connections the probe may try, count. Default 16. */
  readonly maxConnections: number;
  /**
   * Highest rate the probe may offer, req/s: the ceiling you are willing to
   * put on the target. The probe stops connecting more once it carries this.
   * Default 1,000,000 (the controller's own ceiling: in practice none).
   */
  readonly maxRateTps: number;
  /** The whole probe, stages and confirmation, stops by this time, ms. Default 120,000. */
  readonly durationLimitMs: number;
  /** HTTP method. Default `GET`, or `POST` when there is a body. */
  readonly method: string | undefined;
  /** Request body, or undefined for none. Default undefined. */
  readonly body: Uint8Array | undefined;
  /** Extra request headers (lower-case names). Default none. */
  readonly headers: Readonly<Record<string, string>>;
  /** Rate the first stage starts its slow start from, req/s. Default 100 (the client's `initialRateTps`). */
  readonly initialRateTps: number;
  /**
   * Saturated time a stage measures before it stops, ms: long enough for
   * several control windows (2 × service p50 each), short enough that the
   * queue the probe builds stays well inside the budget. Default 1500.
   */
  readonly plateauMs: number;
  /** How long the recommended point is run to confirm it and measure its latency, ms. Default 3000. */
  readonly confirmMs: number;
  /** Smallest safety margin, as a fraction of the measured capacity. Default 0.05 (see docs/tune.md). */
  readonly minMarginFraction: number;
  /** Extra CA certificates (PEM) trusted for `https://` targets. Default undefined (Node's roots). */
  readonly ca: string | Buffer | undefined;
  /** Whether TLS certificates are verified. Default true. */
  readonly rejectUnauthorized: boolean;
}

/** What a caller passes: `url`, and any other option (undefined means the default). */
export type TuneInput = { readonly [K in keyof TuneOptions]?: TuneOptions[K] | undefined } & Pick<
  TuneOptions,
  'url'
>;

/** Defaults for {@link TuneOptions} (`url` has none). */
export const defaultTuneOptions: Omit<TuneOptions, 'url'> = Object.freeze({
  timeoutMs: 5000,
  maxConnections: 16,
  maxRateTps: 1_000_000,
  durationLimitMs: 120_000,
  method: undefined,
  body: undefined,
  headers: Object.freeze({}),
  initialRateTps: 100,
  plateauMs: 1500,
  confirmMs: 3000,
  minMarginFraction: 0.05,
  ca: undefined,
  rejectUnauthorized: true,
});

const optionNames = ['url', ...Object.keys(defaultTuneOptions)];

/**
 * Merges `partial` over the defaults and validates every field, throwing an
 * {@link InvalidOptionError} (a RangeError) naming the first bad option and
 * its value.
 */
export function resolveTuneOptions(partial: TuneInput): TuneOptions {
  rejectUnknownKeys('tune', partial, optionNames);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const o = { ...defaultTuneOptions, ...defined } as TuneOptions;
  requireHttpUrl('url', o.url);
  requireAbove('timeoutMs', o.timeoutMs, 0, 3_600_000);
  requireInteger('maxConnections', o.maxConnections, 1, 1024);
  requireAbove('maxRateTps', o.maxRateTps, 0, 1_000_000);
  requireAbove('durationLimitMs', o.durationLimitMs, 0, 86_400_000);
  requireAbove('initialRateTps', o.initialRateTps, 0, 1_000_000);
  requireAbove('plateauMs', o.plateauMs, 0, 600_000);
  requireNumber('confirmMs', o.confirmMs, 0, 600_000);
  requireNumber('minMarginFraction', o.minMarginFraction, 0, 0.5);
  if (typeof o.rejectUnauthorized !== 'boolean') {
    throw new InvalidOptionError('rejectUnauthorized', o.rejectUnauthorized, 'a boolean');
  }
  if (o.body !== undefined && !(o.body instanceof Uint8Array)) {
    throw new InvalidOptionError('body', o.body, 'a Uint8Array');
  }
  return Object.freeze({ ...o, initialRateTps: Math.min(o.initialRateTps, o.maxRateTps) });
}
