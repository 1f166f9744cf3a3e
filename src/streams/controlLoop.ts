import { Observable, type SchedulerLike } from 'rxjs';
import type { CapacitySnapshot } from '../core/capacity.js';
import type { ControllerOptions } from '../core/controllerOptions.js';
import { type ControllerState, initialControllerState } from '../core/controllerState.js';
import type { ControlWindow } from '../core/controlWindow.js';
import type { Decision } from '../core/decision.js';
import { step } from '../core/step.js';
import { nextWindowMs } from '../core/windowLength.js';
import type { WindowAccumulator } from '../stats/windowAccumulator.js';

/** One turn of the loop: the window the controller saw, and what it decided. */
export interface ControlStep {
  readonly window: ControlWindow;
  readonly decision: Decision;
  readonly state: ControllerState;
}

/** What the loop reads from its surroundings when a window closes. */
export interface ControlProbe {
  /** The transport's capacity now. */
  capacity(): CapacitySnapshot;
  /** Requests waiting in the client's queue now. */
  queueLength(): number;
}

/**
 * The control loop: one {@link ControlStep} out per window.
 *
 * Its owner feeds `accumulator` with plain method calls as requests move (no
 * per-request emission), and a timer on `scheduler` closes each
 * window, runs the pure `step`, and schedules the next window with the
 * length rule `nextWindowMs` (max(100 ms, 2 × service p50), clamped), so the
 * same code runs on the real clock and in the simulator's virtual time.
 * Subscribing starts the loop (the first window runs from the accumulator's
 * start); unsubscribing stops its timer.
 */
export function controlLoop(
  accumulator: WindowAccumulator,
  probe: ControlProbe,
  options: ControllerOptions,
  scheduler: SchedulerLike,
): Observable<ControlStep> {
  return new Observable<ControlStep>((subscriber) => {
    let state = initialControllerState(options);
    const timer = scheduler.schedule(function closeWindow() {
      const window = accumulator.close(scheduler.now(), probe.capacity(), probe.queueLength());
      const result = step(state, window, options);
      state = result.state;
      subscriber.next({ window, decision: result.decision, state });
      // Time spent waiting for flow-control credit is queueing, and queueing never lengthens a
      // window (queue wait does not): a window-bound path's windows follow its unloaded latency,
      // and are never longer than the queue-wait target they must keep the wait under.
      const latencyMs =
        window.windowStalls > 0 && state.baselineServiceMs > 0
          ? Math.min(
              window.serviceP50Ms,
              state.baselineServiceMs,
              (options.queueTargetFraction * options.timeoutMs) / options.windowLatencyMultiple,
            )
          : window.serviceP50Ms;
      this.schedule(undefined, nextWindowMs(latencyMs, options));
    }, options.minWindowMs);
    return () => timer.unsubscribe();
  });
}
