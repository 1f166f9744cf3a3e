import type { LatencySpec } from './latencyDistribution.js';
import type { ServerProfileName } from './serverProfiles.js';

/**
 * A simulation scenario with every default filled in. Scenario files
 * (`simulations/*.json`, schema `simulations/scenario.schema.json`) may leave
 * out any field that has a default; {@link loadScenario} validates a file and
 * resolves it into this shape. docs/simulator.md describes every field.
 */
export interface Scenario {
  /** Short name, the report's title. */
  readonly name: string;
  /** What it tests. */
  readonly description: string;
  /** Seed of every random draw. */
  readonly seed: number;
  /** Seconds at the start left out of goodput and capacity. */
  readonly warmupS: number;
  /** Offered load, per client. */
  readonly load: {
    readonly arrivals: 'poisson' | 'uniform';
    readonly phases: readonly LoadPhase[];
  };
  /** What each request carries. */
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly bodyBytes: number;
    readonly headerBytes: number;
  };
  /** What each response carries. */
  readonly response: {
    readonly status: number;
    readonly bodyBytes: number;
    readonly headerBytes: number;
  };
  /** Each client's path to the server. */
  readonly network: {
    readonly rttMs: number;
    /** Bytes/s in each direction; `Infinity` when unlimited. */
    readonly bandwidthBytesPerS: number;
    readonly setupRtts: number;
  };
  /** Flow control (both directions). */
  readonly http2: {
    readonly streamWindowBytes: number;
    readonly connectionWindowBytes: number;
    readonly maxFrameBytes: number;
  };
  /** The server model. */
  readonly server: {
    readonly maxConcurrentStreams: number;
    readonly settingsSchedule: readonly {
      readonly atS: number;
      readonly maxConcurrentStreams: number;
    }[];
    readonly latency: LatencySpec;
    readonly latencySchedule: readonly { readonly atS: number; readonly factor: number }[];
    /** `Infinity` when unlimited. */
    readonly workers: number;
    /** `Infinity` when unlimited. */
    readonly maxConnectionsPerClient: number;
    /** `Infinity` when never. */
    readonly goawayEveryStreams: number;
    /** `Infinity` when never. */
    readonly refuseWhenQueuedOver: number;
    readonly resetFlood: { readonly maxResets: number; readonly perS: number } | undefined;
    /** A token bucket of resets (nghttp2): `burst`, refilled at `perS` a second. */
    readonly resetRateLimit: { readonly burst: number; readonly perS: number } | undefined;
    /** A stream reset while its handler runs keeps its slot until the handler ends (nginx). */
    readonly slotHeldAfterReset: boolean;
    /** What a stream past the limit gets: REFUSED_STREAM, or GOAWAY(PROTOCOL_ERROR) (nghttp2). */
    readonly streamsOverLimit: 'refuse' | 'protocol-error';
    /** GOAWAY(NO_ERROR) and silence after more than this many refusals on a connection (nginx); `Infinity` when never. */
    readonly goawayAfterRefusals: number;
    /** The server profile the knobs above were filled in from, if the scenario named one. */
    readonly profile: ServerProfileName | undefined;
  };
  /** The clients. */
  readonly client: {
    readonly count: number;
    readonly timeoutMs: number;
    readonly maxConnections: number;
    readonly naiveConnections: number;
    readonly newConnectionMax: number;
    readonly options: Readonly<Record<string, unknown>>;
  };
}

/** One phase of offered load: constant (`fromTps` = `toTps`) or a linear ramp. */
export interface LoadPhase {
  readonly durationS: number;
  readonly fromTps: number;
  readonly toTps: number;
}

/** Length of the scenario's load, s (sum of its phases). */
export function scenarioDurationS(s: Scenario): number {
  return s.load.phases.reduce((sum, p) => sum + p.durationS, 0);
}

/**
 * The warm-up actually left out of goodput and capacity, s: the scenario's
 * `warmupS`, but never more than half the run, so a short `--duration` run
 * still measures something.
 */
export function effectiveWarmupS(s: Scenario, durationS: number): number {
  return Math.min(s.warmupS, durationS / 2);
}

/** Offered rate per client at `tS` seconds, req/s (0 after the last phase). */
export function offeredTpsAt(s: Scenario, tS: number): number {
  let startS = 0;
  for (const p of s.load.phases) {
    if (tS < startS + p.durationS) {
      return p.fromTps + ((p.toTps - p.fromTps) * (tS - startS)) / p.durationS;
    }
    startS += p.durationS;
  }
  return 0;
}

/** The value of a step schedule at `tS`: the last entry with `atS <= tS`, else `initial`. */
export function stepValueAt<T extends { readonly atS: number }>(
  schedule: readonly T[],
  tS: number,
  initial: number,
  pick: (entry: T) => number,
): number {
  let value = initial;
  for (const entry of schedule) {
    if (entry.atS > tS) break;
    value = pick(entry);
  }
  return value;
}

/**
 * A copy of `s` that lasts `durationS` (the `--duration` override): later
 * phases are cut, a ramp is cut at the rate it has reached, and a longer run
 * holds the last phase's final rate.
 */
export function withDuration(s: Scenario, durationS: number): Scenario {
  const phases: LoadPhase[] = [];
  let startS = 0;
  for (const p of s.load.phases) {
    if (startS >= durationS) break;
    const keepS = Math.min(p.durationS, durationS - startS);
    const toTps = p.fromTps + ((p.toTps - p.fromTps) * keepS) / p.durationS;
    phases.push({ durationS: keepS, fromTps: p.fromTps, toTps });
    startS += keepS;
  }
  const last = phases[phases.length - 1];
  if (startS < durationS && last !== undefined) {
    phases.push({ durationS: durationS - startS, fromTps: last.toTps, toTps: last.toTps });
  }
  return { ...s, load: { ...s.load, phases } };
}
