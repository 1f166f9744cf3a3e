import type { ControllerOptions } from '../controllerOptions.js';
import type { CongestionEpisode, ControllerState } from '../controllerState.js';
import type { DecisionReason } from '../decision.js';
import { clamp, type PathSignals } from './pathSignals.js';
import { regrowthTps } from './regrowth.js';

/** On a window-bound path the enforced rate may lead delivered throughput by at most this factor. */
const windowBoundRateLead = 1.25;
/** The open ceiling: the limit reported while none is enforced, as a multiple of delivered throughput. */
const openCeilingMultiple = 2;

/** What cut the rate in this window, if anything. */
export interface RateCut {
  /** The reason the decision reports. */
  readonly reason: DecisionReason;
  /** The multiplicative decrease to apply (0 < β < 1). */
  readonly factor: number;
}

/** The rate part of the next state. */
export interface RateOutcome {
  readonly rateTps: number;
  readonly episode: CongestionEpisode | undefined;
  readonly reason: DecisionReason;
  readonly decreaseHoldUntilMs: number;
}

/**
 * Rule 3: the rate (docs/controller.md, "The rate").
 *
 * - **Open** (no episode): nothing is enforced. Stream slots and the
 *   deadline-aware queue are the only backpressure, so a cold start or a
 *   healthy path loses nothing to the controller. The decision reports twice
 *   what the path delivers as the ceiling it would not need.
 * - **A cut** starts or continues an episode: the limit goes to
 *   β × min(rate, delivered) and the bucket enforces it. The regrowth's peak
 *   is the larger of that basis and the last good rate, which is learned
 *   only outside episodes (a ×10 latency spike cannot make it forget).
 * - **Regrowth**: with no new signal, the limit climbs along CUBIC's concave
 *   curve back to the peak within `recoveryMs` (after any `retry-after`).
 *   Then a limit that no longer binds is lifted (the path is open again),
 *   and one that still binds probes on by `additiveIncreaseTpsPerS`. While
 *   flow-control windows stall the episode does not end, and the limit may
 *   lead delivered throughput by 25% at most.
 */
export function rateRule(
  state: ControllerState,
  s: PathSignals,
  cut: RateCut | undefined,
  retryAfterMs: number,
  holdMs: number,
  o: ControllerOptions,
): RateOutcome {
  const bound = (x: number): number => clamp(x, o.minRateTps, o.maxRateTps);
  if (cut !== undefined) {
    const basisTps = Math.min(state.rateTps, s.deliveredTps);
    const startTps = bound(cut.factor * basisTps);
    const episode: CongestionEpisode = {
      startTps,
      peakTps: bound(Math.max(basisTps, state.goodTps)),
      regrowFromMs: s.endMs + Math.min(Math.max(0, retryAfterMs), o.maxRetryAfterMs),
    };
    return {
      rateTps: startTps,
      episode,
      reason: cut.reason,
      decreaseHoldUntilMs: s.endMs + holdMs,
    };
  }
  const episode = state.episode;
  const windowBound = s.windowStalled || state.pathState === 'window-bound';
  const regrown = episode !== undefined && s.endMs - episode.regrowFromMs >= o.recoveryMs;
  // Regrown, and the limit no longer binds (callers offer no more than it): lift it. A limit that
  // still binds probes on additively instead, until the server says no again (CUBIC's convex part).
  const lifted = regrown && !windowBound && s.offeredTps <= state.rateTps;
  if (episode === undefined || lifted) {
    return {
      rateTps: bound(Math.max(o.initialRateTps, openCeilingMultiple * s.deliveredTps)),
      episode: undefined,
      reason: 'open',
      decreaseHoldUntilMs: state.decreaseHoldUntilMs,
    };
  }
  // Without a cut the limit never falls: the curve only rises, and a window-bound probe may have
  // taken the limit above it.
  let rateTps = Math.max(
    state.rateTps,
    regrowthTps(episode, s.endMs, o.recoveryMs, o.additiveIncreaseTpsPerS),
  );
  // A rate above what the windows deliver cannot be shed at admission: the excess goes on the wire
  // and queues in the windows, visible only a latency later (flow-control.json reached 2.5 × its
  // capacity so). As BBR paces at a gain over its bandwidth estimate, the limit leads delivered
  // throughput by 25% at most (or one probe step, so that a limit cut far down can climb back).
  // Once regrown it probes on by ×1.25 per window under that lead: a cut made before the first
  // responses came back (1.4 s there) has no good rate to return to. A step regains the larger of
  // the peak and the good rate in one recovery period.
  if (windowBound && s.deliveredTps > 0) {
    const stepTps = (Math.max(episode.peakTps, state.goodTps) * s.durationS * 1000) / o.recoveryMs;
    const leadTps = s.deliveredTps + Math.max(s.deliveredTps * (windowBoundRateLead - 1), stepTps);
    rateTps = Math.min(regrown ? state.rateTps * windowBoundRateLead : rateTps, leadTps);
  }
  return {
    rateTps: bound(rateTps),
    episode,
    reason: s.endMs < episode.regrowFromMs ? 'hold' : 'regrowth',
    decreaseHoldUntilMs: state.decreaseHoldUntilMs,
  };
}
