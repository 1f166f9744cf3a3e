import { isInvalidOptionError } from '../errors/InvalidOptionError.js';
import { latencyDists } from '../server/latencySampler.js';
import type { LatencySpike } from '../server/latencySpike.js';
import { resolveServerOptions, type ServerOptions } from '../server/serverOptions.js';
import {
  parseBytes,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parseNumber,
} from './parseArgs.js';
import { UsageError } from './usageError.js';

/** The raw flag values commander hands the `serve` action. */
export interface ServeFlags {
  readonly host: string;
  readonly port: string;
  readonly tls?: boolean;
  readonly caOut?: string;
  readonly maxStreams: string;
  readonly latency: string;
  readonly latencyDist: string;
  readonly latencyP99?: string;
  readonly capacity?: string;
  readonly maxQueued?: string;
  readonly window: string;
  readonly responseBytes: string;
  readonly goawayEvery?: string;
  readonly refuseOverCapacity?: boolean;
  readonly maxResets?: string;
  readonly errorFraction: string;
  readonly errorStatus: string;
  /** `--retry-after <seconds>`, or false from `--no-retry-after`. */
  readonly retryAfter: string | false;
  readonly notFoundFraction: string;
  readonly latencySpike?: string;
  readonly maxRequestBytes: string;
  readonly closeTimeout: string;
  readonly seed?: string;
}

/** What the flags ask for: server options, and where to write the CA. */
export interface ServePlan {
  /** Options for {@link startTestServer}. */
  readonly options: Partial<ServerOptions>;
  /** File to write the CA certificate (PEM) to, with `--tls`. */
  readonly caOut: string | undefined;
}

/**
 * Turns `serve` flags into server options. Bad values throw a
 * {@link UsageError} naming the flag (one line, exit 2); ranges the flag
 * syntax cannot express are left to the server's own validation, which
 * throws an InvalidOptionError (also exit 2).
 */
export function parseServeFlags(flags: ServeFlags): ServePlan {
  if (flags.caOut !== undefined && !flags.tls) {
    throw new UsageError('--ca-out: only meaningful with --tls (an h2c server has no certificate)');
  }
  const optional = <T>(text: string | undefined, parse: (t: string) => T) =>
    text === undefined ? undefined : parse(text);
  const options: Partial<Record<keyof ServerOptions, unknown>> = {
    host: flags.host,
    port: parseInteger('--port', flags.port, 0, 65_535),
    tls: flags.tls === true,
    maxConcurrentStreams: parseInteger('--max-streams', flags.maxStreams, 0, 2 ** 32 - 1),
    latencyMs: parseDurationMs('--latency', flags.latency),
    latencyDist: parseChoice('--latency-dist', flags.latencyDist, latencyDists),
    latencyP99Ms: optional(flags.latencyP99, (t) => parseDurationMs('--latency-p99', t)),
    capacityTps: optional(flags.capacity, (t) => parsePositive('--capacity', t)),
    maxQueued: optional(flags.maxQueued, (t) => parseInteger('--max-queued', t)),
    windowBytes: parseBytes('--window', flags.window),
    responseBytes: parseBytes('--response-bytes', flags.responseBytes),
    goawayEvery: optional(flags.goawayEvery, (t) => parseInteger('--goaway-every', t, 1)),
    refuseOverCapacity: flags.refuseOverCapacity === true,
    // `--max-resets 200` and `--max-resets 200/s` mean the same.
    maxResetsPerS: optional(flags.maxResets, (t) =>
      parseInteger('--max-resets', t.replace(/\/s$/, '')),
    ),
    errorFraction: parseNumber('--error-fraction', flags.errorFraction, 0, 1),
    errorStatus: Number(parseChoice('--error-status', flags.errorStatus, ['503', '429'])),
    retryAfterS:
      flags.retryAfter === false
        ? null
        : parseInteger('--retry-after', flags.retryAfter, 0, 86_400),
    notFoundFraction: parseNumber('--not-found-fraction', flags.notFoundFraction, 0, 1),
    latencySpike: optional(flags.latencySpike, parseLatencySpike),
    maxRequestBytes: parseBytes('--max-request-bytes', flags.maxRequestBytes),
    closeTimeoutMs: parseDurationMs('--close-timeout', flags.closeTimeout),
    seed: optional(flags.seed, (t) => parseInteger('--seed', t, 0, 2 ** 32 - 1)),
  };
  if (options.latencyP99Ms !== undefined && options.latencyDist !== 'lognormal') {
    throw new UsageError('--latency-p99: only meaningful with --latency-dist lognormal');
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  try {
    resolveServerOptions(defined as Partial<ServerOptions>);
  } catch (error) {
    // The server's own limits (e.g. windowBytes <= 2^31-1), reported against the flag.
    if (!isInvalidOptionError(error)) throw error;
    const option = error.option.split('.')[0]!;
    throw new UsageError(`${flagOf[option] ?? error.option}: ${error.message}`);
  }
  return { options: defined as Partial<ServerOptions>, caOut: flags.caOut };
}

/** The flag that sets each option, for error messages. */
const flagOf: Readonly<Record<string, string>> = {
  host: '--host',
  port: '--port',
  maxConcurrentStreams: '--max-streams',
  latencyMs: '--latency',
  latencyDist: '--latency-dist',
  latencyP99Ms: '--latency-p99',
  capacityTps: '--capacity',
  maxQueued: '--max-queued',
  windowBytes: '--window',
  responseBytes: '--response-bytes',
  goawayEvery: '--goaway-every',
  maxResetsPerS: '--max-resets',
  errorFraction: '--error-fraction',
  errorStatus: '--error-status',
  retryAfterS: '--retry-after',
  notFoundFraction: '--not-found-fraction',
  latencySpike: '--latency-spike',
  maxRequestBytes: '--max-request-bytes',
  closeTimeoutMs: '--close-timeout',
  seed: '--seed',
};

/**
 * `--latency-spike 10x@5s+3s`: service times ×10 from 5 s after the first
 * request, for 3 s. The factor may be fractional (`2.5x`); times take the
 * duration units of every other flag.
 */
export function parseLatencySpike(text: string): LatencySpike {
  const match = /^\s*(\d+(?:\.\d+)?)x@([^+]+)\+(.+)$/.exec(text);
  if (!match) {
    throw new UsageError(
      `--latency-spike: expected FACTORx@START+LENGTH such as 10x@5s+3s, got ${JSON.stringify(text)}`,
    );
  }
  return {
    factor: Number(match[1]),
    atMs: parseDurationMs('--latency-spike', match[2]!),
    forMs: parseDurationMs('--latency-spike', match[3]!),
  };
}

/** A number strictly above 0, e.g. `--capacity 3000`. */
function parsePositive(flag: string, text: string): number {
  const value = parseNumber(flag, text, 0);
  if (value === 0)
    throw new UsageError(`${flag}: expected a number > 0, got ${JSON.stringify(text)}`);
  return value;
}
