import { type CongestionKind, firstCongestion } from './congestion.js';
import type { ControllerOptions } from './controllerOptions.js';
import type { ControllerState } from './controllerState.js';
import type { ControlWindow } from './controlWindow.js';
import type { Decision, DecisionReason, PathState } from './decision.js';

/** The controller's output for one window: its next state and its decision. */
export interface StepResult {
  readonly state: ControllerState;
  readonly decision: Decision;
}

const congestionReason: Readonly<Record<CongestionKind, DecisionReason>> = {
  timeout: 'timeout',
  cancel: 'cancel',
  refusedStream: 'refused-stream',
  enhanceYourCalm: 'enhance-your-calm',
  goawayError: 'goaway-error',
  http429: 'http-429',
  http503: 'http-503',
  connectionError: 'connection-error',
};

/** Weight of the newest window in the throughput EWMA. */
const throughputSmoothing = 0.3;
/** Concurrency counts as rising when mean streams in flight exceed their smoothed value by this fraction. */
const concurrencyRiseFraction = 0.2;
/** Throughput within this fraction below its smoothed value still counts as flat. */
const flatThroughputFraction = 0.1;
/** Headroom when sizing connections from Little's law. */
const connectionHeadroom = 1.1;
/** Drain only if the remaining connections would stay this far below the high-utilization mark. */
const drainMarginFraction = 0.8;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
/** Counts and latencies from the outside world may be NaN or negative; the controller reads them as 0. */
const sane = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);

/**
 * One step of the AIMD controller: a window's statistics in, the next state
 * and a decision (target rate, target connections, reason) out. Pure: no
 * I/O, no timers, no clock; time arrives as `window.endMs`.
 *
 * The control law, in order (docs/controller.md derives each rule):
 * 1. Judge a pending connection add: if completed throughput did not rise by
 *    `minConnectionGainFraction`, the server is the bottleneck (`server-bound`):
 *    undo the add and stop probing for `serverBoundHoldMs`.
 * 2. Rate: any congestion signal cuts the rate to
 *    `decreaseFactor × min(rate, delivered)`, delivered being the larger of
 *    this window's completions and their smoothed history; queue-wait p99 over
 *    its target cuts it by `queueDecreaseFactor` — but only while the queue is
 *    not already shrinking, and at most once per queue-wait p99 (requests
 *    queued before a cut still report long waits while the queue drains).
 *    While a queue is building the rate holds. Otherwise the rate doubles per
 *    window in slow start until the path fills, then grows by
 *    `additiveIncreaseTpsPerS`, but never while demand-limited.
 * 3. Connections: when slots (or flow-control windows) are full and a queue is
 *    building while service latency is not rising, size the pool from
 *    Little's law (at most doubling per step) and
 *    re-enter slow start to probe the new capacity. A latency rise that
 *    follows a rate rise, with no throughput gain, also marks `server-bound`.
 *    After `drainAfterWindows` idle windows, drain one connection.
 */
export function step(
  state: ControllerState,
  window: ControlWindow,
  options: ControllerOptions,
): StepResult {
  const o = options;
  const durationS = Math.max(sane(window.durationMs), 1) / 1000;
  // Capped so that a huge count over a 1 ms window cannot become Infinity: an
  // infinite throughput turns the EWMA into NaN (∞ − ∞) for every later window.
  const completedTps = Math.min(sane(window.completed) / durationS, Number.MAX_VALUE);
  const offeredTps = Math.min(sane(window.offered) / durationS, Number.MAX_VALUE);
  const queueWaitP99Ms = sane(window.queueWaitP99Ms);
  const serviceP50Ms = sane(window.serviceP50Ms);
  const slotsTotal = sane(window.slotsTotal);
  const endMs = Number.isFinite(window.endMs) ? window.endMs : 0;
  const queueLength = sane(window.queueLength);

  // Signals.
  const queueTargetMs = o.queueTargetFraction * o.timeoutMs;
  const queueOver = queueWaitP99Ms > queueTargetMs;
  const queueBuilding = queueWaitP99Ms > queueTargetMs * o.queueBuildingFraction;
  const utilization = slotsTotal > 0 ? Math.min(1, sane(window.slotsInUseMean) / slotsTotal) : 0;
  const slotsFull = utilization >= o.highUtilizationFraction;
  const windowStalled = sane(window.windowStalls) > 0;
  const pathFull = queueBuilding && (slotsFull || windowStalled);
  const demandLimited = offeredTps < state.rateTps * o.demandLimitedFraction;
  const congestion = firstCongestion(window.congestion);
  const hasLatency = sane(window.completed) > 0 && serviceP50Ms > 0;
  const latencyRising =
    hasLatency &&
    state.baselineServiceMs > 0 &&
    serviceP50Ms > state.baselineServiceMs * (1 + o.latencyToleranceFraction);
  const baselineServiceMs = !hasLatency
    ? state.baselineServiceMs
    : state.baselineServiceMs === 0 || serviceP50Ms < state.baselineServiceMs
      ? serviceP50Ms
      : state.baselineServiceMs + (serviceP50Ms - state.baselineServiceMs) * o.baselineRiseFraction;
  const throughputTps =
    state.throughputTps === 0
      ? completedTps
      : state.throughputTps + (completedTps - state.throughputTps) * throughputSmoothing;

  let restartThroughput = false;
  let connections = state.connections;
  let windowsSinceChange = state.windowsSinceConnectionChange + 1;
  let throughputBeforeAddTps = state.throughputBeforeAddTps;
  let connectionsBeforeAdd = state.connectionsBeforeAdd;
  let serverBoundUntilMs = state.serverBoundUntilMs;
  let pathState: PathState = state.pathState;
  let connectionReason: DecisionReason | undefined;
  let phase = state.phase;

  // 1. Judge a pending add once the new sessions are up and have had time to carry load.
  const judging = throughputBeforeAddTps > 0;
  if (
    judging &&
    windowsSinceChange >= o.connectionEvalWindows &&
    sane(window.connections) >= connections
  ) {
    // The experiment can only show a gain if callers offered more than the
    // gain it asks for. Judging demand against the rate instead would excuse
    // every failed add: the slow start re-entered at the add doubles the rate
    // past the offered load within a few windows.
    const gainTps = throughputBeforeAddTps * (1 + o.minConnectionGainFraction);
    if (throughputTps < gainTps && offeredTps >= gainTps) {
      pathState = 'server-bound';
      serverBoundUntilMs = endMs + o.serverBoundHoldMs;
      connections = Math.max(o.minConnections, state.connectionsBeforeAdd);
      windowsSinceChange = 0;
      connectionReason = 'server-bound';
    }
    throughputBeforeAddTps = 0;
  }
  // Service latency rising *as load rises* is the server saturating (issue 2 §2): more streams in
  // flight, the same throughput, each one slower (Little's law with a capped service rate). In a
  // latency spike throughput falls instead (the slots cap concurrency), and a rise with flow-control
  // stalls is streams sharing a window; more connections help both, so neither may veto an add.
  const inFlightMean = sane(window.slotsInUseMean);
  const smoothedInFlight =
    state.inFlightMean === 0
      ? inFlightMean
      : state.inFlightMean + (inFlightMean - state.inFlightMean) * throughputSmoothing;
  const moreConcurrencySameThroughput =
    state.inFlightMean > 0 &&
    inFlightMean > state.inFlightMean * (1 + concurrencyRiseFraction) &&
    completedTps < state.throughputTps * (1 + o.minConnectionGainFraction) &&
    // Flat, not falling: when slots cap concurrency, a latency spike makes throughput fall.
    completedTps >= state.throughputTps * (1 - flatThroughputFraction);
  const serverSaturating = latencyRising && moreConcurrencySameThroughput && !windowStalled;
  if (serverSaturating && !judging && pathState !== 'server-bound') {
    pathState = 'server-bound';
    serverBoundUntilMs = endMs + o.serverBoundHoldMs;
  }

  // 2. Rate. A cut goes to β × the throughput the path actually delivered (not β × a rate it never carried).
  let rateTps = state.rateTps;
  let rateReason: DecisionReason;
  let decreaseHoldUntilMs = state.decreaseHoldUntilMs;
  const holding = endMs < state.decreaseHoldUntilMs;
  // Delivered = this window's completions, but never below their smoothed
  // history (which includes this window). Cutting from the raw count made the
  // cut jump: 1 completion cut to β × 1 req/s, 0 completions to β × rate, so a
  // worse window earned a higher rate (found by the fast-check property).
  // Before any history nothing is known, and the rate itself is the basis.
  const deliveredTps =
    state.throughputTps > 0 ? Math.max(completedTps, throughputTps) : state.rateTps;
  const cut = (factor: number): number => factor * Math.min(state.rateTps, deliveredTps);
  if (congestion !== undefined) {
    // A window with both signals cuts at least as deep as either would alone,
    // whichever factor the options make the smaller.
    rateTps = cut(queueOver ? Math.min(o.decreaseFactor, o.queueDecreaseFactor) : o.decreaseFactor);
    phase = 'avoidance';
    rateReason = congestionReason[congestion];
    decreaseHoldUntilMs = endMs + queueWaitP99Ms;
  } else if (queueOver && !judging && !holding && queueLength >= state.queueLength) {
    rateTps = cut(o.queueDecreaseFactor);
    phase = 'avoidance';
    rateReason = 'queue-over-target';
    decreaseHoldUntilMs = endMs + queueWaitP99Ms;
  } else if (holding || queueBuilding) {
    // A queue behind the slots means the rate already meets capacity: hold until it drains.
    phase = 'avoidance';
    rateReason = 'hold';
  } else if (demandLimited) {
    rateReason = 'demand-limited';
  } else if (phase === 'slow-start' && !pathFull) {
    rateTps = state.rateTps * 2;
    rateReason = 'slow-start';
  } else {
    // Slow start ends when the path fills (HyStart-style: a queue behind full slots), before the queue passes its target.
    phase = 'avoidance';
    rateTps = state.rateTps + o.additiveIncreaseTpsPerS * durationS;
    rateReason = 'additive-increase';
  }
  rateTps = clamp(rateTps, o.minRateTps, o.maxRateTps);

  // 3. Connections.
  const probingAllowed = endMs >= serverBoundUntilMs;
  if (pathState === 'server-bound' && probingAllowed) pathState = 'unknown';
  let idleWindows =
    utilization < o.lowUtilizationFraction && !queueBuilding ? state.idleWindows + 1 : 0;
  if (
    connectionReason === undefined &&
    pathFull &&
    congestion === undefined &&
    // Full slots with latency rising as load rises point at the server, not the slots (issue 2 §2).
    !serverSaturating &&
    !judging &&
    probingAllowed &&
    connections < o.maxConnections &&
    windowsSinceChange >= o.connectionEvalWindows
  ) {
    // Little's law: streams needed = demand × latency; connections = streams ÷ slots per connection.
    const slotsPerConnection = slotsTotal / Math.max(1, sane(window.connections));
    const neededStreams =
      Math.max(offeredTps, completedTps) * (serviceP50Ms / 1000) * connectionHeadroom;
    const needed =
      slotsPerConnection > 0 ? Math.ceil(neededStreams / slotsPerConnection) : connections + 1;
    const before = connections;
    connections = clamp(Math.max(before + 1, Math.min(needed, before * 2)), 1, o.maxConnections);
    // Judge against what the path carried just before the add, not a smoothed history that may
    // still remember a capacity the path has lost (a SETTINGS shrink, a latency spike).
    throughputBeforeAddTps = Math.max(completedTps > 0 ? completedTps : throughputTps, 1e-9);
    restartThroughput = true;
    connectionsBeforeAdd = before;
    windowsSinceChange = 0;
    phase = 'slow-start';
    pathState = windowStalled && !slotsFull ? 'window-bound' : 'stream-bound';
    connectionReason = 'add-connection';
    idleWindows = 0;
  } else if (
    connectionReason === undefined &&
    idleWindows >= o.drainAfterWindows &&
    connections > o.minConnections &&
    (utilization * connections) / (connections - 1) <
      o.highUtilizationFraction * drainMarginFraction
  ) {
    connections -= 1;
    windowsSinceChange = 0;
    idleWindows = 0;
    connectionReason = 'drain-connection';
  }
  if (pathState !== 'server-bound' && connectionReason === undefined) {
    if (pathFull) pathState = windowStalled && !slotsFull ? 'window-bound' : 'stream-bound';
    else if (demandLimited) pathState = 'demand-bound';
  }

  const reason: DecisionReason =
    congestion !== undefined ? rateReason : (connectionReason ?? rateReason);
  return {
    state: {
      rateTps,
      connections,
      phase,
      pathState,
      baselineServiceMs,
      windowsSinceConnectionChange: windowsSinceChange,
      throughputBeforeAddTps,
      connectionsBeforeAdd,
      throughputTps: restartThroughput ? completedTps : throughputTps,
      inFlightMean: smoothedInFlight,
      idleWindows,
      decreaseHoldUntilMs,
      queueLength,
      serverBoundUntilMs,
    },
    decision: { rateTps, connections, reason, pathState },
  };
}
