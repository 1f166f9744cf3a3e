import type { PathState } from '../core/decision.js';
import { safetyMargin } from './safetyMargin.js';
import type { Recommendation, StageBound, StageResult, TuneStop } from './tuneResult.js';

/** What {@link recommend} needs besides the stages. */
export interface RecommendInput {
  /** Every stage run, in order of connections (1, 2, …). */
  readonly stages: readonly StageResult[];
  /** Why the probe stopped adding connections. */
  readonly stop: TuneStop;
  /** `--max-rate`, req/s. */
  readonly maxRateTps: number;
  /** `--max-connections`. */
  readonly maxConnections: number;
  /** Gains smaller than this fraction are noise (the controller's `minConnectionGainFraction`). */
  readonly minGainFraction: number;
  /** The margin's floor (docs/tune.md). */
  readonly minMarginFraction: number;
}

const pathOf: Readonly<Record<StageBound, PathState>> = {
  stream: 'stream-bound',
  window: 'window-bound',
  server: 'server-bound',
};

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

/**
 * Turns the stages into a recommendation. Pure.
 *
 * - **Connections:** the fewest whose capacity is within `minGainFraction`
 *   of the best stage's (capped at `--max-rate`): a connection that adds
 *   less than the noise floor is not worth opening.
 * - **maxSafeTps:** that stage's capacity, capped at `--max-rate`, less the
 *   {@link safetyMargin}; rounded down, so it never rounds up past it.
 * - **Path state:** `server-bound` when one more connection did not raise
 *   goodput (the experiment the controller itself runs); otherwise the bound
 *   the recommended stage saturated on, or — when it ran at `--max-rate`
 *   without saturating — the bound that made the probe add connections.
 */
export function recommend(input: RecommendInput): Recommendation {
  const { stages, stop, maxRateTps } = input;
  const capped = (s: StageResult): number => Math.min(s.goodputTps, maxRateTps);
  const best = stages.reduce((b, s) => Math.max(b, capped(s)), 0);
  const chosen =
    stages.find((s) => s.goodputTps > 0 && capped(s) >= best * (1 - input.minGainFraction)) ??
    stages[0];
  const last = stages[stages.length - 1];
  const maxConcurrentStreams = stages.reduce(
    (m, s) => (s.maxConcurrentStreams > 0 ? Math.min(m, s.maxConcurrentStreams) : m),
    Number.POSITIVE_INFINITY,
  );
  const streams = Number.isFinite(maxConcurrentStreams) ? maxConcurrentStreams : 0;
  const baselineMs = last?.baselineServiceMs ?? 0;
  const one = stages.find((s) => s.connections === 1);
  const notes: string[] = [];
  for (const s of stages) {
    if (s.congestion !== undefined) {
      notes.push(
        `backed off at the first congestion signal: ${s.congestion.count} × ${s.congestion.kind} at a rate of ${fmt(s.congestion.atRateTps)} req/s on ${s.connections} connection${s.connections === 1 ? '' : 's'}`,
      );
    }
    if (s.timedOut > 0 || s.cancelledOnWire > 0) {
      notes.push(
        `stage with ${s.connections} connection${s.connections === 1 ? '' : 's'}: ${s.timedOut} timed out, ${s.cancelledOnWire} cancelled on the wire`,
      );
    }
  }
  if (chosen === undefined || chosen.goodputTps <= 0) {
    notes.push('no stage completed a request: nothing to recommend');
    return {
      connections: 1,
      maxSafeTps: 0,
      capacityTps: 0,
      marginFraction: 0,
      marginReason: 'nothing was measured',
      perConnectionTps: 0,
      perConnectionIsLimit: false,
      perConnectionLittleTps: baselineMs > 0 ? (streams * 1000) / baselineMs : 0,
      maxConcurrentStreams: streams,
      pathState: 'unknown',
      stop,
      notes,
    };
  }
  const capacityTps = capped(chosen);
  // At --max-rate the bucket set the rate, not the path: there was no knee to measure.
  const margin = safetyMargin(
    chosen.end === 'max-rate' ? undefined : chosen.goodputRelStdErr,
    input.minMarginFraction,
  );
  const maxSafeTps = Math.floor(capacityTps * (1 - margin.fraction));
  const saturatedBefore = [...stages]
    .filter((s) => s.connections <= chosen.connections && s.bound !== undefined)
    .pop();
  const pathState: PathState =
    stop === 'no-gain'
      ? 'server-bound'
      : chosen.bound !== undefined && chosen.end === 'saturated'
        ? pathOf[chosen.bound]
        : saturatedBefore?.bound !== undefined
          ? pathOf[saturatedBefore.bound]
          : 'unknown';

  if (stop === 'no-gain' && last !== undefined) {
    notes.push(
      `${last.connections} connections carried ${fmt(last.goodputTps)} req/s, no more than ${chosen.connections} (${fmt(chosen.goodputTps)} req/s): the server, not the connections, is the limit`,
    );
  }
  if (stop === 'max-rate') {
    notes.push(
      `the path carried --max-rate ${fmt(maxRateTps)} req/s with ${chosen.connections} connection${chosen.connections === 1 ? '' : 's'}; raise --max-rate to look for its knee`,
    );
  }
  if (stop === 'max-connections') {
    notes.push(
      `throughput still rose at --max-connections ${input.maxConnections}; raise it to probe further`,
    );
  }
  if (stop === 'duration-limit') {
    notes.push('the probe ran out of --duration-limit before it found the knee; give it longer');
  }
  const perConnectionIsLimit =
    one !== undefined &&
    one.end === 'saturated' &&
    one.bound !== undefined &&
    one.bound !== 'server';
  if (one !== undefined && !perConnectionIsLimit) {
    notes.push(
      `one connection carried ${fmt(one.goodputTps)} req/s, but it was not the limit there (${one.bound === 'server' ? 'the server was' : `the stage ended on ${one.end}`}): a connection can carry at least that`,
    );
  }
  return {
    connections: chosen.connections,
    maxSafeTps,
    capacityTps,
    marginFraction: margin.fraction,
    marginReason: margin.reason,
    perConnectionTps: one?.goodputTps ?? 0,
    perConnectionIsLimit,
    perConnectionLittleTps: baselineMs > 0 ? (streams * 1000) / baselineMs : 0,
    maxConcurrentStreams: streams,
    pathState,
    stop,
    notes,
  };
}
