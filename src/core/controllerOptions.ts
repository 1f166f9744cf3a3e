import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import {
  rejectUnknownKeys,
  requireAbove,
  requireInteger,
  requireNumber,
  requireOrdered,
} from './validate.js';

/**
 * Options of the AIMD controller. Every field has a unit in its name and a
 * default in {@link defaultControllerOptions}; docs/controller.md explains
 * why each default has its value.
 */
export interface ControllerOptions {
  /** The request budget the targets derive from, in ms. Default 5000. */
  readonly timeoutMs: number;
  /**
   * Queue-wait target as a fraction of `timeoutMs`. A queue whose p99 builds past
   * `queueBuildingFraction` of it asks for connections; a flow-control window queue past it cuts
   * the rate; a timeout after a queue wait past it is a load signal. Default 0.1.
   */
  readonly queueTargetFraction: number;
  /**
   * The standing queue: admission's queue-wait limit as a fraction of `timeoutMs`. Predicted waits
   * above it are shed. When the connection cap binds, this queue keeps every stream slot busy.
   * Default 0.15.
   */
  readonly queueLimitFraction: number;
  /** The open (unenforced) rate reported before anything has completed, req/s. Default 100. */
  readonly initialRateTps: number;
  /** Lowest rate the controller may decide, in requests per second. Default 1. */
  readonly minRateTps: number;
  /** Highest rate the controller may decide, in requests per second. Default 1,000,000. */
  readonly maxRateTps: number;
  /**
   * After the last congestion signal, how long the rate takes to regrow along a cubic curve to the
   * peak (the last good rate), in ms; past it, a limit that no longer binds is lifted. Default 1000.
   */
  readonly recoveryMs: number;
  /** The longest `retry-after` honoured before regrowth may start, in ms. Default 30000. */
  readonly maxRetryAfterMs: number;
  /**
   * Once regrown to the peak, an enforced limit that still binds probes on by this many req/s per
   * second, the same for every client, so that clients sharing a server converge to equal shares
   * (AIMD). Default 250.
   */
  readonly additiveIncreaseTpsPerS: number;
  /** Multiplicative decrease factor applied on a congestion signal (0 < β < 1). Default 0.8. */
  readonly decreaseFactor: number;
  /** Multiplicative decrease factor applied when a flow-control window queue passes the queue target (0 < β < 1). Default 0.9. */
  readonly queueDecreaseFactor: number;
  /** Connections at start. Default 1. */
  readonly initialConnections: number;
  /** Fewest connections; draining never goes below. Default 1. */
  readonly minConnections: number;
  /** Most connections; adding never goes above. Default 8. */
  readonly maxConnections: number;
  /** Slot utilization (mean streams in flight ÷ slots) at or above which slots count as the bottleneck. Default 0.85. */
  readonly highUtilizationFraction: number;
  /** Slot utilization below which a window counts as idle for draining. Default 0.3. */
  readonly lowUtilizationFraction: number;
  /** A queue is "building" when its wait p99 passes this fraction of the queue target. Default 0.25. */
  readonly queueBuildingFraction: number;
  /** Service latency counts as rising when p50 exceeds the baseline by this fraction. Default 0.5. */
  readonly latencyToleranceFraction: number;
  /** How fast the latency baseline follows a higher p50, per window (0..1). Default 0.02. */
  readonly baselineRiseFraction: number;
  /** Windows to wait after a connection change before judging it. Default 5. */
  readonly connectionEvalWindows: number;
  /** An added connection must raise completed throughput by this fraction, or the path is server-bound. Default 0.05. */
  readonly minConnectionGainFraction: number;
  /** Consecutive idle windows before a connection is drained. Default 50. */
  readonly drainAfterWindows: number;
  /** How long a `server-bound` verdict stops connection probing, in ms. Default 30000. */
  readonly serverBoundHoldMs: number;
  /** Shortest control window, in ms. Default 100. */
  readonly minWindowMs: number;
  /** Longest control window, in ms. Default 2000. */
  readonly maxWindowMs: number;
  /** Window length in multiples of the service-latency p50. Default 2. */
  readonly windowLatencyMultiple: number;
}

/** Defaults for {@link ControllerOptions}; docs/controller.md gives the reasons. */
export const defaultControllerOptions: ControllerOptions = Object.freeze({
  timeoutMs: 5000,
  queueTargetFraction: 0.1,
  queueLimitFraction: 0.1,
  initialRateTps: 100,
  minRateTps: 1,
  maxRateTps: 1_000_000,
  recoveryMs: 1000,
  maxRetryAfterMs: 30_000,
  additiveIncreaseTpsPerS: 250,
  decreaseFactor: 0.8,
  queueDecreaseFactor: 0.9,
  initialConnections: 1,
  minConnections: 1,
  maxConnections: 8,
  highUtilizationFraction: 0.85,
  lowUtilizationFraction: 0.3,
  queueBuildingFraction: 0.25,
  latencyToleranceFraction: 0.5,
  baselineRiseFraction: 0.02,
  connectionEvalWindows: 5,
  minConnectionGainFraction: 0.05,
  drainAfterWindows: 50,
  serverBoundHoldMs: 30_000,
  minWindowMs: 100,
  maxWindowMs: 2000,
  windowLatencyMultiple: 2,
});

/** The names of all controller options, for unknown-key checks and CLI mapping. */
export const controllerOptionNames = Object.keys(
  defaultControllerOptions,
) as readonly (keyof ControllerOptions)[];

/**
 * Merges `partial` over the defaults and validates every field. Throws an
 * {@link InvalidOptionError} (a RangeError) naming the first bad option.
 * Keys that are not controller options are ignored here; callers that own the
 * whole options object check unknown keys themselves.
 */
export function resolveControllerOptions(
  partial: Partial<ControllerOptions> = {},
): ControllerOptions {
  if (typeof partial !== 'object' || partial === null) {
    throw new InvalidOptionError('options', partial, 'an object');
  }
  const defined = Object.fromEntries(
    Object.entries(partial).filter(
      ([k, v]) => v !== undefined && (controllerOptionNames as readonly string[]).includes(k),
    ),
  );
  const o: ControllerOptions = { ...defaultControllerOptions, ...defined };
  requireAbove('timeoutMs', o.timeoutMs, 0);
  requireAbove('queueTargetFraction', o.queueTargetFraction, 0, 1);
  requireAbove('queueLimitFraction', o.queueLimitFraction, 0, 1);
  requireOrdered(
    'queueTargetFraction',
    o.queueTargetFraction,
    'queueLimitFraction',
    o.queueLimitFraction,
  );
  requireAbove('minRateTps', o.minRateTps, 0);
  requireAbove('maxRateTps', o.maxRateTps, 0);
  requireOrdered('minRateTps', o.minRateTps, 'maxRateTps', o.maxRateTps);
  requireNumber('initialRateTps', o.initialRateTps, o.minRateTps, o.maxRateTps);
  requireAbove('recoveryMs', o.recoveryMs, 0);
  requireNumber('maxRetryAfterMs', o.maxRetryAfterMs, 0);
  requireAbove('additiveIncreaseTpsPerS', o.additiveIncreaseTpsPerS, 0);
  requireAbove('decreaseFactor', o.decreaseFactor, 0, 1);
  if (o.decreaseFactor === 1) throw new InvalidOptionError('decreaseFactor', 1, 'below 1');
  requireAbove('queueDecreaseFactor', o.queueDecreaseFactor, 0, 1);
  if (o.queueDecreaseFactor === 1)
    throw new InvalidOptionError('queueDecreaseFactor', 1, 'below 1');
  requireInteger('minConnections', o.minConnections, 1);
  requireInteger('maxConnections', o.maxConnections, 1, 1024);
  requireOrdered('minConnections', o.minConnections, 'maxConnections', o.maxConnections);
  requireInteger('initialConnections', o.initialConnections, o.minConnections, o.maxConnections);
  requireAbove('highUtilizationFraction', o.highUtilizationFraction, 0, 1);
  requireNumber('lowUtilizationFraction', o.lowUtilizationFraction, 0, 1);
  requireOrdered(
    'lowUtilizationFraction',
    o.lowUtilizationFraction,
    'highUtilizationFraction',
    o.highUtilizationFraction,
  );
  requireNumber('queueBuildingFraction', o.queueBuildingFraction, 0, 1);
  requireAbove('latencyToleranceFraction', o.latencyToleranceFraction, 0);
  requireNumber('baselineRiseFraction', o.baselineRiseFraction, 0, 1);
  requireInteger('connectionEvalWindows', o.connectionEvalWindows, 1);
  requireNumber('minConnectionGainFraction', o.minConnectionGainFraction, 0, 1);
  requireInteger('drainAfterWindows', o.drainAfterWindows, 1);
  requireNumber('serverBoundHoldMs', o.serverBoundHoldMs, 0);
  requireAbove('minWindowMs', o.minWindowMs, 0);
  requireAbove('maxWindowMs', o.maxWindowMs, 0);
  requireOrdered('minWindowMs', o.minWindowMs, 'maxWindowMs', o.maxWindowMs);
  requireAbove('windowLatencyMultiple', o.windowLatencyMultiple, 0);
  return Object.freeze(o);
}

/** Like {@link resolveControllerOptions}, but also rejects keys that are not controller options. */
export function resolveControllerOptionsStrict(
  partial: Partial<ControllerOptions>,
): ControllerOptions {
  rejectUnknownKeys('controller', partial, controllerOptionNames);
  return resolveControllerOptions(partial);
}
