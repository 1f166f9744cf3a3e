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
/** An add is judged after at most this many × `connectionEvalWindows` windows, however few of them tested it. */
const experimentPatience = 4;
/** Completions an add's experiment needs before its verdict (their count's noise is about 7%). */
const minExperimentCompletions = 200;
/** On a window-bound path the rate may lead delivered throughput by at most this factor. */
const windowBoundRateLead = 1.25;

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
  const windowStalled = sane(window.windowStalls) > 0;
  // A window-bound path queues inside the connection, out of the client's sight: a stream waiting
  // for flow-control credit is already in flight, so its wait shows as service latency above the
  // unloaded baseline, never as queue wait (flow-control.json: 100 responses sharing one 64 KiB
  // window took 3.7 s each while the client's queue was empty). With windows stalling, that excess
  // is queue wait too, so the queue rules (hold, cut, add) see the path's whole queue.
  // Little's law gives the latency of the streams in flight now (mean in flight ÷ completions),
  // a window before their completions report it. A window with none completes fewer than one per
  // window length, which bounds the latency from below as one completion would.
  const inFlightLatencyMs =
    (sane(window.slotsInUseMean) * durationS * 1000) / Math.max(sane(window.completed), 1);
  const windowWaitMs =
    windowStalled && state.baselineServiceMs > 0
      ? Math.max(0, Math.max(serviceP50Ms, inFlightLatencyMs) - state.baselineServiceMs)
      : 0;
  const pathWaitMs = Math.max(queueWaitP99Ms, windowWaitMs);
  const queueOver = pathWaitMs > queueTargetMs;
  const queueBuilding = pathWaitMs > queueTargetMs * o.queueBuildingFraction;
  const utilization = slotsTotal > 0 ? Math.min(1, sane(window.slotsInUseMean) / slotsTotal) : 0;
  const slotsFull = utilization >= o.highUtilizationFraction;
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
      : windowWaitMs > queueTargetMs * o.queueBuildingFraction
        ? state.baselineServiceMs
        : state.baselineServiceMs +
          (serviceP50Ms - state.baselineServiceMs) * o.baselineRiseFraction;
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
  const gainTps = throughputBeforeAddTps * (1 + o.minConnectionGainFraction);
  const sessionsUp = sane(window.connections) >= connections;
  // Only windows whose rate could carry the gain test the add: under a lower rate the token bucket,
  // not the path, caps completions (flow-control-upload.json: an add judged while a queue cut held
  // the rate at 52 req/s was called useless, and the pool fell back to 1 connection for 30 s).
  const experimentWindow = judging && sessionsUp && state.rateTps >= gainTps;
  let experimentWindows = state.experimentWindows + (experimentWindow ? 1 : 0);
  let experimentCompleted =
    state.experimentCompleted + (experimentWindow ? sane(window.completed) : 0);
  let experimentMs = state.experimentMs + (experimentWindow ? durationS * 1000 : 0);
  // With n completions a throughput is known to about 1/√n: a few windows of a 100 req/s path
  // (flow-control.json) hold a few dozen, and a 5% gain drowns in that noise. So the experiment
  // also waits for enough completions, and its throughput is their mean over its windows or the
  // smoothed one, whichever is higher: undoing a useful add costs `serverBoundHoldMs` of capacity.
  const experimentTps = experimentMs > 0 ? (1000 * experimentCompleted) / experimentMs : 0;
  // Past `experimentPatience` × `connectionEvalWindows` windows the add is judged on what the path
  // carried anyway: a rate held below the gain that long was held by the path's own queue, which
  // the added sessions did not relieve; and an experiment must not hold back the queue cuts
  // (suppressed while judging) for good.
  const experimentDone =
    judging &&
    windowsSinceChange >= o.connectionEvalWindows &&
    sessionsUp &&
    ((experimentWindows >= o.connectionEvalWindows &&
      experimentCompleted >= minExperimentCompletions) ||
      windowsSinceChange >= o.connectionEvalWindows * experimentPatience);
  // Keeping a useful add needs less evidence than undoing one (an extra connection costs little, a
  // wrong undo costs `serverBoundHoldMs` of capacity): on a window-bound path, where a slower server
  // is no verdict, an add whose throughput already shows the gain is kept at once, and the pool may
  // grow again while the windows are still full.
  const experimentPassed =
    judging &&
    windowStalled &&
    windowsSinceChange >= o.connectionEvalWindows &&
    sessionsUp &&
    Math.max(throughputTps, experimentTps) >= gainTps;
  if (experimentDone || experimentPassed) {
    // The experiment can only show a gain if callers offered more than the
    // gain it asks for. Judging demand against the rate instead would excuse
    // every failed add: the slow start re-entered at the add doubles the rate
    // past the offered load within a few windows.
    const noGain = Math.max(throughputTps, experimentTps) < gainTps && offeredTps >= gainTps;
    if (experimentDone && noGain) {
      pathState = 'server-bound';
      serverBoundUntilMs = endMs + jitteredHoldMs(o.serverBoundHoldMs, endMs, completedTps);
      connections = Math.max(o.minConnections, state.connectionsBeforeAdd);
      windowsSinceChange = 0;
      connectionReason = 'server-bound';
    }
    throughputBeforeAddTps = 0;
    experimentWindows = 0;
    experimentCompleted = 0;
    experimentMs = 0;
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
    serverBoundUntilMs = endMs + jitteredHoldMs(o.serverBoundHoldMs, endMs, completedTps);
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
  // The client's queue over its target and not already shrinking; not while an add is judged.
  const clientQueueOver =
    queueWaitP99Ms > queueTargetMs && !judging && queueLength >= state.queueLength;
  // The windows' queue over its target and not already shrinking (fewer streams in flight than
  // before). Requests waiting on a window are on the wire where no admission can shed them: only a
  // lower rate drains them, add being judged or not (the judge waits for the rate to recover).
  const windowQueueOver = windowWaitMs > queueTargetMs && inFlightMean >= state.inFlightMean;
  // A cut holds off the next for one queue wait (TCP's once per round trip). A window wait counts
  // only up to the target: the shrinking test already spares a draining window queue, and a
  // Little's-law wait from a window with one completion can be seconds long.
  const holdMs = Math.max(queueWaitP99Ms, Math.min(windowWaitMs, queueTargetMs));
  if (congestion !== undefined) {
    // A window with both signals cuts at least as deep as either would alone,
    // whichever factor the options make the smaller.
    rateTps = cut(queueOver ? Math.min(o.decreaseFactor, o.queueDecreaseFactor) : o.decreaseFactor);
    phase = 'avoidance';
    rateReason = congestionReason[congestion];
    decreaseHoldUntilMs = endMs + holdMs;
  } else if ((clientQueueOver || windowQueueOver) && !holding) {
    rateTps = cut(o.queueDecreaseFactor);
    phase = 'avoidance';
    rateReason = 'queue-over-target';
    decreaseHoldUntilMs = endMs + holdMs;
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
  // On a window-bound path a rate above what the windows deliver cannot be shed at admission (the
  // client's queue stays empty): the excess goes on the wire and queues in the windows, visible
  // only a latency later. So the rate keeps a bounded lead over delivered throughput, as BBR paces
  // at a gain over its bandwidth estimate: 25%, or one additive step where that is more, so a rate
  // cut far down can climb back as fast as additive increase allows.
  if ((windowStalled || state.pathState === 'window-bound') && state.throughputTps > 0) {
    const leadTps = Math.max(
      deliveredTps * (windowBoundRateLead - 1),
      o.additiveIncreaseTpsPerS * durationS,
    );
    rateTps = Math.min(rateTps, deliveredTps + leadTps);
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
    // A window-bound connection carries what its flow-control window lets through, whatever its
    // free slots, so slots ask for one more connection while every window is full. There the pool is
    // sized by what each connection delivers: connections = demand ÷ throughput per connection.
    const windowBound = windowStalled && !slotsFull;
    const perConnectionTps = deliveredTps / Math.max(1, sane(window.connections));
    const needed =
      windowBound && perConnectionTps > 0
        ? Math.ceil((Math.max(offeredTps, completedTps) * connectionHeadroom) / perConnectionTps)
        : slotsPerConnection > 0
          ? Math.ceil(neededStreams / slotsPerConnection)
          : connections + 1;
    const before = connections;
    connections = clamp(Math.max(before + 1, Math.min(needed, before * 2)), 1, o.maxConnections);
    // Judge against what the path carried just before the add, not a smoothed history that may
    // still remember a capacity the path has lost (a SETTINGS shrink, a latency spike). Streams
    // sharing a flow-control window finish in bunches, though, and one bunch set a bar two
    // connections never reached (flow-control-upload.json): there, no more than the history.
    const carriedTps = windowStalled ? Math.min(completedTps, throughputTps) : completedTps;
    throughputBeforeAddTps = Math.max(completedTps > 0 ? carriedTps : throughputTps, 1e-9);
    experimentWindows = 0;
    experimentCompleted = 0;
    experimentMs = 0;
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
      experimentWindows,
      experimentCompleted,
      experimentMs,
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

/**
 * The server-bound hold, spread over ±25% by a hash of the moment and the
 * throughput. Pure and deterministic, but different for every client of a
 * fleet (their windows end at different times and carry different loads), so
 * a hundred instances that were judged server-bound together do not all
 * re-probe with new connections in the same second.
 */
function jitteredHoldMs(baseMs: number, endMs: number, completedTps: number): number {
  let h = Math.imul(Math.round(endMs) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.round(completedTps * 1000);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  const unit = ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  return baseMs * (0.75 + 0.5 * unit);
}
