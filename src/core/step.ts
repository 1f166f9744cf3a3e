import { type CongestionKind, firstCongestion } from './congestion.js';
import type { ControllerOptions } from './controllerOptions.js';
import type { ControllerState } from './controllerState.js';
import type { ControlWindow } from './controlWindow.js';
import type { Decision, DecisionReason } from './decision.js';
import { connectionRule } from './rules/connectionRule.js';
import { isErrorSurge, learnErrorBackground } from './rules/errorSurge.js';
import { jitteredHoldMs } from './rules/jitteredHold.js';
import { judgeAdd } from './rules/judgeAdd.js';
import { type PathSignals, pathSignals, sane, smoothed } from './rules/pathSignals.js';
import { pathStateRule } from './rules/pathStateRule.js';
import { type RateCut, rateRule } from './rules/rateRule.js';
import { isServerSaturating } from './rules/serverSaturation.js';

/** The controller's output for one window: its next state and its decision. */
export interface StepResult {
  readonly state: ControllerState;
  readonly decision: Decision;
}

const congestionReason: Readonly<Record<CongestionKind, DecisionReason>> = {
  timeout: 'timeout',
  refusedStream: 'refused-stream',
  enhanceYourCalm: 'enhance-your-calm',
  goawayError: 'goaway-error',
  http429: 'http-429',
  http503: 'http-503',
};

/**
 * One step of the controller: a window's statistics in, the next state and
 * a decision (rate limit, connection target, reason, path state) out. Pure:
 * no I/O, no timers, no clock; time arrives as `window.endMs`.
 *
 * The law is a list of named rules, each in `rules/` with its own tests, in
 * the order docs/controller.md derives them:
 * 1. {@link judgeAdd}: undo an added connection that did not pay (`server-bound`);
 * 2. {@link isServerSaturating}: latency rising with load marks `server-bound`;
 * 3. {@link rateRule}: only load-caused signals cut the rate (congestion
 *    kinds, an {@link isErrorSurge} of 503s, a flow-control window queue);
 *    the limit then regrows along CUBIC's curve and lifts;
 * 4. {@link connectionRule}: add connections by Little's law when the slots
 *    are the bottleneck, drain idle ones;
 * 5. {@link pathStateRule}: say what limits the path.
 */
export function step(
  state: ControllerState,
  window: ControlWindow,
  options: ControllerOptions,
): StepResult {
  const o = options;
  const s = pathSignals(state, window, o);
  const unavailable = sane(window.unavailable);
  const surge = isErrorSurge(state.errorBackground, unavailable, s.completed);
  const congestion = firstCongestion(window.congestion);
  const cut = rateCut(state, s, congestion, surge, o);

  const judged = judgeAdd(state, s, o);
  const saturating = isServerSaturating(state, s, o);
  let serverBoundUntilMs = judged.serverBoundUntilMs;
  if (saturating && state.addTrial === undefined && !(s.endMs < serverBoundUntilMs)) {
    serverBoundUntilMs = s.endMs + jitteredHoldMs(o.serverBoundHoldMs, s.endMs, s.completedTps);
  }

  const rate = rateRule(state, s, cut, sane(window.retryAfterMs), holdMs(s), o);
  const conn = connectionRule(
    state,
    s,
    judged,
    {
      decided: judged.serverBound,
      trialOpen: state.addTrial !== undefined,
      congested: cut !== undefined && cut.reason !== 'queue-over-target',
      serverSaturating: saturating,
      probingBlocked: s.endMs < serverBoundUntilMs,
    },
    o,
  );
  const pathState = pathStateRule(state.pathState, s, s.endMs < serverBoundUntilMs);
  const reason: DecisionReason =
    cut !== undefined && cut.reason !== 'queue-over-target'
      ? cut.reason
      : (conn.reason ?? (judged.serverBound ? 'server-bound' : rate.reason));

  const next: ControllerState = {
    rateTps: rate.rateTps,
    connections: conn.connections,
    pathState,
    baselineServiceMs: s.baselineServiceMs,
    throughputTps: conn.restartThroughput ? s.completedTps : s.throughputTps,
    // The last good rate: smoothed completions over open windows only (no episode, no cut).
    goodTps:
      cut === undefined && state.episode === undefined
        ? smoothed(state.goodTps, s.completedTps)
        : state.goodTps,
    inFlightMean: s.smoothedInFlight,
    windowsSinceConnectionChange: conn.windowsSinceConnectionChange,
    idleWindows: conn.idleWindows,
    episode: rate.episode,
    addTrial: conn.addTrial,
    decreaseHoldUntilMs: rate.decreaseHoldUntilMs,
    serverBoundUntilMs,
    errorBackground: learnErrorBackground(state.errorBackground, unavailable, s.completed),
  };
  return {
    state: next,
    decision: {
      rateTps: next.rateTps,
      limiting: next.episode !== undefined,
      connections: next.connections,
      reason,
      pathState,
    },
  };
}

/**
 * What cuts the rate in this window, if anything: a congestion signal, a
 * surge of 503s above their background, or a flow-control window queue past
 * its target that is not already shrinking (at most once per queue wait).
 * A window with both kinds cuts at least as deep as either would alone.
 */
function rateCut(
  state: ControllerState,
  s: PathSignals,
  congestion: CongestionKind | undefined,
  surge: boolean,
  o: ControllerOptions,
): RateCut | undefined {
  const holding = s.endMs < state.decreaseHoldUntilMs;
  // Requests waiting on a window are on the wire, where no admission can shed them: only a lower
  // rate drains them.
  const windowQueueOver =
    s.windowWaitMs > s.queueTargetMs && s.inFlightMean >= state.inFlightMean && !holding;
  const loss = congestion !== undefined || surge;
  if (loss) {
    const factor = windowQueueOver
      ? Math.min(o.decreaseFactor, o.queueDecreaseFactor)
      : o.decreaseFactor;
    return { reason: congestion ? congestionReason[congestion] : 'error-surge', factor };
  }
  return windowQueueOver
    ? { reason: 'queue-over-target', factor: o.queueDecreaseFactor }
    : undefined;
}

/**
 * How long a cut holds off the next window-queue cut: one queue wait (TCP's
 * once per round trip). A window wait counts only up to the target: a
 * Little's-law wait from a window with one completion can be seconds long.
 */
function holdMs(s: PathSignals): number {
  return Math.max(s.queueWaitP99Ms, Math.min(s.windowWaitMs, s.queueTargetMs));
}
