import { asyncScheduler, type SchedulerLike } from 'rxjs';

/** Read once: `performance.timeOrigin` is a getter, and the clock is read several times per request. */
const timeOriginMs = performance.timeOrigin;

/**
 * The production scheduler: rxjs's `asyncScheduler` for timers, with a
 * monotonic, sub-millisecond clock (`performance.timeOrigin + performance.now()`)
 * instead of `Date.now()`. Phase timings on loopback are often under 1 ms,
 * and a wall clock that steps backwards would corrupt them.
 */
export const realTimeScheduler: SchedulerLike = {
  now: () => timeOriginMs + performance.now(),
  schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
};
