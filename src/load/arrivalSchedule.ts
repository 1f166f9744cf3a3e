/**
 * The open-loop arrival schedule of a load run (wrk2's "constant throughput",
 * k6's `constant-arrival-rate`): request `i` is due at
 *
 *   startMs + i × 1000 / rateTps
 *
 * whatever happened to requests before it. Its intended send time is fixed
 * by the schedule, not by when the event loop got round to sending it, so a
 * stall of the generator (or of the process it shares with a server) counts
 * against the requests it delayed instead of silently lowering the offered
 * rate — the "coordinated omission" a closed loop commits.
 *
 * Pure: time comes in as numbers, so the schedule is tested without timers.
 */
export interface ArrivalSchedule {
  /** When the first request is due, ms on the run's clock. */
  readonly startMs: number;
  /** Requests per second offered. */
  readonly rateTps: number;
  /** Length of the arrival phase, ms: only requests due before `startMs + durationMs` are sent. */
  readonly durationMs: number;
  /** Most requests sent, whatever the duration (Infinity for no count bound). */
  readonly maxRequests: number;
}

/** The intended send time of request `index` (0-based), ms. */
export function intendedSendMs(schedule: ArrivalSchedule, index: number): number {
  return schedule.startMs + (index * 1000) / schedule.rateTps;
}

/**
 * How many requests the whole run sends: those due within the duration,
 * capped by `maxRequests`. `ceil(duration × rate)` counts index 0 at the
 * start and excludes one due exactly at the end.
 */
export function totalArrivals(schedule: ArrivalSchedule): number {
  const byTime = Math.max(0, Math.ceil((schedule.durationMs * schedule.rateTps) / 1000 - 1e-9));
  return Math.min(byTime, schedule.maxRequests);
}

/**
 * How many requests are due by `nowMs` in total (not just new ones): the
 * count of indices whose intended time is at or before `nowMs`, within the
 * run's total. A timer tick sends `arrivalsDue(s, now) - sentSoFar` at once.
 */
export function arrivalsDue(schedule: ArrivalSchedule, nowMs: number): number {
  if (nowMs < schedule.startMs) return 0;
  const due = Math.floor(((nowMs - schedule.startMs) * schedule.rateTps) / 1000 + 1e-9) + 1;
  return Math.min(due, totalArrivals(schedule));
}
