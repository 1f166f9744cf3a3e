import type { ControllerOptions } from '../controllerOptions.js';
import type { AddTrial, ControllerState } from '../controllerState.js';
import { jitteredHoldMs } from './jitteredHold.js';
import type { PathSignals } from './pathSignals.js';

/** An add is judged after at most this many × `connectionEvalWindows` windows, however few of them tested it. */
const experimentPatience = 4;
/** Completions an add's experiment needs before its verdict (their count's noise is about 7%). */
const minExperimentCompletions = 200;

/** The connection-related memory after judging a pending add. */
export interface AddJudgement {
  readonly addTrial: AddTrial | undefined;
  readonly connections: number;
  readonly windowsSinceConnectionChange: number;
  readonly serverBoundUntilMs: number;
  /** The add did not pay: it was undone and the path is `server-bound`. */
  readonly serverBound: boolean;
}

/**
 * Rule 1: judge a pending connection add (docs/controller.md, "Judge a
 * pending connection add"). Only windows whose sessions are up and whose
 * rate could carry the gain test it; once it has `connectionEvalWindows` of
 * them and 200 completions (or after 4 × `connectionEvalWindows` windows), an
 * add that did not raise throughput by `minConnectionGainFraction`, while
 * callers offered that much, is undone and the path is `server-bound` for
 * `serverBoundHoldMs`. On a window-bound path an add whose throughput already
 * shows the gain is kept at once.
 */
export function judgeAdd(
  state: ControllerState,
  s: PathSignals,
  o: ControllerOptions,
): AddJudgement {
  const windowsSince = state.windowsSinceConnectionChange + 1;
  const unchanged: AddJudgement = {
    addTrial: undefined,
    connections: state.connections,
    windowsSinceConnectionChange: windowsSince,
    serverBoundUntilMs: state.serverBoundUntilMs,
    serverBound: false,
  };
  const trial = state.addTrial;
  if (trial === undefined) return unchanged;
  const gainTps = trial.throughputBeforeTps * (1 + o.minConnectionGainFraction);
  const sessionsUp = s.readySessions >= state.connections;
  // Under an enforced rate below the gain the token bucket, not the path, caps completions
  // (flow-control-upload.json: an add judged while a cut held the rate at 52 req/s was called
  // useless, and the pool fell back to 1 connection for 30 s).
  const tests = sessionsUp && (state.episode === undefined || state.rateTps >= gainTps);
  const next: AddTrial = tests
    ? {
        throughputBeforeTps: trial.throughputBeforeTps,
        serviceBeforeMs: trial.serviceBeforeMs,
        connectionsBefore: trial.connectionsBefore,
        windows: trial.windows + 1,
        completed: trial.completed + s.completed,
        ms: trial.ms + s.durationS * 1000,
      }
    : trial;
  // With n completions a throughput is known to about 1/√n: the verdict waits for enough of them,
  // and takes the higher of their mean and the smoothed throughput (a wrong undo costs more).
  const experimentTps = next.ms > 0 ? (1000 * next.completed) / next.ms : 0;
  const carriedTps = Math.max(s.throughputTps, experimentTps);
  const waited = windowsSince >= o.connectionEvalWindows && sessionsUp;
  const done =
    waited &&
    ((next.windows >= o.connectionEvalWindows && next.completed >= minExperimentCompletions) ||
      windowsSince >= o.connectionEvalWindows * experimentPatience);
  const passed = waited && s.windowStalled && carriedTps >= gainTps;
  if (!done && !passed) {
    return {
      addTrial: next,
      connections: unchanged.connections,
      windowsSinceConnectionChange: windowsSince,
      serverBoundUntilMs: unchanged.serverBoundUntilMs,
      serverBound: false,
    };
  }
  // The experiment shows a gain only if callers offered more than it asks for; judged against the
  // rate instead, every failed add would be excused (golang/go#52845: 3,000 offered, 1,900 carried).
  const noGain = carriedTps < gainTps && s.offeredTps >= gainTps;
  // A gain bought with a slower server is share taken from others, not capacity: on a shared,
  // saturated server one client's extra streams queue in front of everyone's (fleet.json, where the
  // clients whose adds passed took 780 req/s each and left 280 to the rest), and a lone client's
  // queue in the server's own (server-saturation.json: 2 → 4 connections doubled the p50). Streams
  // sharing flow-control windows get faster with an add, so that test does not apply there.
  const slower =
    !s.windowStalled &&
    trial.serviceBeforeMs > 0 &&
    s.serviceP50Ms > trial.serviceBeforeMs * (1 + o.latencyToleranceFraction);
  if (!(done && (noGain || slower))) return unchanged;
  return {
    addTrial: undefined,
    connections: Math.max(o.minConnections, trial.connectionsBefore),
    windowsSinceConnectionChange: 0,
    serverBoundUntilMs: s.endMs + jitteredHoldMs(o.serverBoundHoldMs, s.endMs, s.completedTps),
    serverBound: true,
  };
}
