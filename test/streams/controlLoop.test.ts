import { map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import type { CongestionKind } from '../../src/core/congestion.js';
import { resolveControllerOptions } from '../../src/core/controllerOptions.js';
import type { RequestSample } from '../../src/core/sample.js';
import { WindowAccumulator } from '../../src/stats/windowAccumulator.js';
import { controlLoop } from '../../src/streams/controlLoop.js';

/** What the tests tell the loop, applied to its accumulator as a client would. */
type LoopEvent =
  | { readonly kind: 'offered' }
  | { readonly kind: 'admitted' }
  | { readonly kind: 'dispatched'; readonly atMs: number; readonly queueWaitMs: number }
  | { readonly kind: 'stream-ended'; readonly atMs: number }
  | { readonly kind: 'settled'; readonly sample: RequestSample }
  | { readonly kind: 'congestion'; readonly congestion: CongestionKind };

/** An accumulator started now, and `next(event)` to feed it. */
function fed(scheduler: TestScheduler) {
  const accumulator = new WindowAccumulator(scheduler.now());
  const next = (e: LoopEvent): void => {
    if (e.kind === 'offered') accumulator.offered();
    else if (e.kind === 'admitted') accumulator.admitted();
    else if (e.kind === 'dispatched') accumulator.dispatched(e.atMs, e.queueWaitMs);
    else if (e.kind === 'stream-ended') accumulator.streamEnded(e.atMs);
    else if (e.kind === 'settled') accumulator.settled(e.sample);
    else accumulator.congestion(e.congestion);
  };
  return { accumulator, events: { next } };
}

const capacity = (slotsTotal: number): CapacitySnapshot => ({
  atMs: 0,
  sessions: [],
  readySessions: 1,
  slotsTotal,
  slotsInUse: 0,
  slotsAvailable: slotsTotal,
});

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const options = resolveControllerOptions({ initialRateTps: 100 });

describe('controlLoop', () => {
  it('turns dispatch and completion events into a window and a decision at each window end', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { accumulator, events } = fed(scheduler);
      const loop$ = controlLoop(
        accumulator,
        { capacity: () => capacity(100), queueLength: () => 0 },
        options,
        scheduler,
      );
      // Each ms: one request offered, admitted, dispatched, and completed 10 ms later.
      scheduler.schedule(function tick(n: number | undefined = 0) {
        const now = scheduler.now();
        events.next({ kind: 'offered' });
        events.next({ kind: 'admitted' });
        events.next({ kind: 'dispatched', atMs: now, queueWaitMs: 0 });
        scheduler.schedule(() => {
          events.next({ kind: 'stream-ended', atMs: now + 10 });
          events.next({
            kind: 'settled',
            sample: {
              submittedAtMs: now,
              dispatchedAtMs: now,
              sentAtMs: now,
              headersAtMs: now + 10,
              endAtMs: now + 10,
              outcome: 'succeeded',
              settledAtMs: now + 10,
              retries: 0,
              cancelledOnWire: false,
              windowStalled: false,
            },
          });
        }, 10);
        if (n < 298) this.schedule(n + 1, 1);
      }, 0);
      const summary$ = loop$.pipe(
        map(
          (s) =>
            `${s.window.offered}/${s.window.completed}/${s.window.serviceP50Ms.toFixed(1)}/${s.decision.reason}/${s.decision.rateTps}`,
        ),
      );
      // Windows close at 100, 200, 300 ms (2 × p50 = 20 ms is below the 100 ms floor). The first
      // window runs from the accumulator's start, so it sees the first tick's offer too. Nothing signals
      // congestion, so nothing is enforced: the decision reports the open ceiling, twice what was
      // delivered (the initial 100 req/s before any history, then 1000 req/s).
      expectObservable(summary$, '^ 350ms !').toBe('100ms a 99ms b 99ms c', {
        a: '100/90/10.0/open/200',
        b: '100/100/10.0/open/2000',
        c: '99/100/10.0/open/2000',
      });
    });
  });

  it('lengthens the window to twice the service p50 when latency is long', () => {
    const scheduler = testScheduler();
    scheduler.run(({ expectObservable }) => {
      const { accumulator, events } = fed(scheduler);
      const loop$ = controlLoop(
        accumulator,
        { capacity: () => capacity(100), queueLength: () => 0 },
        options,
        scheduler,
      );
      scheduler.schedule(() => {
        events.next({ kind: 'dispatched', atMs: 0, queueWaitMs: 0 });
        events.next({
          kind: 'settled',
          sample: {
            submittedAtMs: 0,
            dispatchedAtMs: 0,
            endAtMs: 300,
            outcome: 'succeeded',
            settledAtMs: 300,
            retries: 0,
            cancelledOnWire: false,
            windowStalled: false,
          },
        });
      }, 50);
      const ends$ = loop$.pipe(map((s) => Math.round(s.window.durationMs)));
      // First window: 100 ms (floor). Its p50 is 300 ms (WindowHistogram: within 0.4%), so the next lasts ~600 ms.
      expectObservable(ends$.pipe(take(2)), '^ 800ms !').toBe('100ms a 599ms (b|)', {
        a: 100,
        b: 600,
      });
    });
  });
  it('keeps a window-bound path at its unloaded latency: waiting for window credit never lengthens a window', () => {
    const durations = (windowStalled: boolean): number[] => {
      const scheduler = testScheduler();
      const seen: number[] = [];
      scheduler.run(() => {
        const { accumulator, events } = fed(scheduler);
        const loop$ = controlLoop(
          accumulator,
          { capacity: () => capacity(100), queueLength: () => 0 },
          options,
          scheduler,
        );
        const settle = (atMs: number, latencyMs: number): void => {
          scheduler.schedule(() => {
            events.next({ kind: 'dispatched', atMs, queueWaitMs: 0 });
            events.next({
              kind: 'settled',
              sample: {
                submittedAtMs: atMs,
                dispatchedAtMs: atMs - latencyMs,
                endAtMs: atMs,
                outcome: 'succeeded',
                settledAtMs: atMs,
                retries: 0,
                cancelledOnWire: false,
                windowStalled,
              },
            });
          }, atMs);
        };
        // A 50 ms response sets the baseline; the next one took 800 ms, 750 of them waiting for credit.
        settle(50, 50);
        settle(150, 800);
        loop$.pipe(take(3)).subscribe((step) => seen.push(Math.round(step.window.durationMs)));
      });
      return seen;
    };
    expect(durations(true)).toEqual([100, 100, 100]);
    // The same latency with no stall is service time: the window stretches to two p50s.
    expect(durations(false)[2]).toBeGreaterThanOrEqual(1600);
  });
});
