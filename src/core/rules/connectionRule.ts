import type { ControllerOptions } from '../controllerOptions.js';
import type { AddTrial, ControllerState } from '../controllerState.js';
import type { DecisionReason } from '../decision.js';
import { clamp, type PathSignals } from './pathSignals.js';

/** Headroom when sizing connections from Little's law. */
const connectionHeadroom = 1.1;
/** Drain only if the remaining connections would stay this far below the high-utilization mark. */
const drainMarginFraction = 0.8;

/** What may stop this window from adding a connection. */
export interface AddGuards {
  /** A connection decision (an undo) was already made in this step. */
  readonly decided: boolean;
  /** An add was on trial when the window began: its verdict comes first, the next add later. */
  readonly trialOpen: boolean;
  /** A congestion signal or an error surge: the server is asking for less, not more. */
  readonly congested: boolean;
  /** Latency rises with load: more connections would only load the server more. */
  readonly serverSaturating: boolean;
  /** A `server-bound` verdict still holds. */
  readonly probingBlocked: boolean;
}

/** The connection part of the next state; `reason` is set only when the target changed. */
export interface ConnectionOutcome {
  readonly connections: number;
  readonly addTrial: AddTrial | undefined;
  readonly windowsSinceConnectionChange: number;
  readonly idleWindows: number;
  readonly reason: DecisionReason | undefined;
  /** The add restarts the throughput EWMA at this window's completions. */
  readonly restartThroughput: boolean;
}

/**
 * Rule 4: connections (docs/controller.md, "Connections"). When slots or
 * flow-control windows are full and a queue builds, and nothing says the
 * server is the limit, size the pool by Little's law (at most doubling per
 * step) and put the add on trial. After `drainAfterWindows` idle windows,
 * drain one connection if the rest stay well below the high mark.
 */
export function connectionRule(
  state: ControllerState,
  s: PathSignals,
  judged: Pick<ConnectionOutcome, 'connections' | 'addTrial' | 'windowsSinceConnectionChange'>,
  guards: AddGuards,
  o: ControllerOptions,
): ConnectionOutcome {
  const idleWindows =
    s.utilization < o.lowUtilizationFraction && !s.queueBuilding ? state.idleWindows + 1 : 0;
  // Literals, not spreads, here and below: V8 copies a spread field by field on a slow path, and
  // this ran at 1.9 µs of a 3.4 µs step (bench/step.ts, 7 Dec).
  const none: ConnectionOutcome = {
    connections: judged.connections,
    addTrial: judged.addTrial,
    windowsSinceConnectionChange: judged.windowsSinceConnectionChange,
    idleWindows,
    reason: undefined,
    restartThroughput: false,
  };
  if (guards.decided) return none;
  const before = judged.connections;
  if (
    s.pathFull &&
    !guards.congested &&
    !guards.serverSaturating &&
    !guards.probingBlocked &&
    !guards.trialOpen &&
    before < o.maxConnections &&
    judged.windowsSinceConnectionChange >= o.connectionEvalWindows
  ) {
    const connections = clamp(
      Math.max(before + 1, Math.min(connectionsNeeded(s), before * 2)),
      1,
      o.maxConnections,
    );
    // Judge against what the path carried just before the add, not a smoothed history that may
    // still remember a capacity it has lost (a SETTINGS shrink). Streams sharing a flow-control
    // window finish in bunches, though (flow-control-upload.json): there, no more than the history.
    const carriedTps = s.windowStalled ? Math.min(s.completedTps, s.throughputTps) : s.completedTps;
    return {
      connections,
      addTrial: {
        throughputBeforeTps: Math.max(s.completedTps > 0 ? carriedTps : s.throughputTps, 1e-9),
        serviceBeforeMs: s.serviceP50Ms,
        connectionsBefore: before,
        windows: 0,
        completed: 0,
        ms: 0,
      },
      windowsSinceConnectionChange: 0,
      idleWindows: 0,
      reason: 'add-connection',
      restartThroughput: true,
    };
  }
  if (
    idleWindows >= o.drainAfterWindows &&
    before > o.minConnections &&
    (s.utilization * before) / (before - 1) < o.highUtilizationFraction * drainMarginFraction
  ) {
    return {
      connections: before - 1,
      addTrial: none.addTrial,
      windowsSinceConnectionChange: 0,
      idleWindows: 0,
      reason: 'drain-connection',
      restartThroughput: false,
    };
  }
  return none;
}

/**
 * Little's law: streams needed = demand × latency; connections = streams ÷
 * slots per connection. A window-bound connection carries what its window
 * lets through, whatever its free slots, so there the pool is sized by what
 * each connection delivers.
 */
function connectionsNeeded(s: PathSignals): number {
  const demandTps = Math.max(s.offeredTps, s.completedTps) * connectionHeadroom;
  const perConnection = Math.max(1, s.readySessions);
  const perConnectionTps = s.deliveredTps / perConnection;
  if (s.windowStalled && !s.slotsFull && perConnectionTps > 0) {
    return Math.ceil(demandTps / perConnectionTps);
  }
  const slotsPerConnection = s.slotsTotal / perConnection;
  if (!(slotsPerConnection > 0)) return perConnection + 1;
  return Math.ceil((demandTps * (s.serviceP50Ms / 1000)) / slotsPerConnection);
}
