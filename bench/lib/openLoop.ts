/**
 * An open loop (k6's constant arrival rate): call `i` starts at
 * `start + i / rate` whatever became of the ones before it, for the arrival
 * phase; the loop resolves once every call has settled. Each call resolves
 * to `ok` or the name of what failed it; successes are counted by when they
 * ended, over the arrival phase (goodput) and after its first second
 * (steady goodput, what a closed-loop probe of a saturated connection
 * compares with).
 */
import { intendedSendMs, totalArrivals } from '../../src/load/arrivalSchedule.js';

/** The start of a run the steady goodput leaves out, ms. */
export const warmupMs = 1000;

/** What the callers saw. */
export interface OpenLoopResult {
  /** Calls started. */
  readonly offered: number;
  /** Calls that ended: equal to `offered` when nothing was lost. */
  readonly settled: number;
  /** Calls that resolved `ok`. */
  readonly succeeded: number;
  /** Successes that ended within the arrival phase, per second of it. */
  readonly goodputTps: number;
  /** The same after the first {@link warmupMs}. */
  readonly steadyGoodputTps: number;
  /** Failures by what failed them. */
  readonly errors: Readonly<Record<string, number>>;
  /** p99 of how late the loop started a call, ms (above ~50 ms the process could not offer the load). */
  readonly sendLagP99Ms: number;
}

/** Runs `one` at `rateTps` for `durationMs`. */
export async function runOpenLoop(
  rateTps: number,
  durationMs: number,
  one: () => Promise<string>,
): Promise<OpenLoopResult> {
  const startMs = performance.now() + 20;
  const schedule = { startMs, rateTps, durationMs, maxRequests: Infinity };
  const total = totalArrivals(schedule);
  const endOfArrivalsMs = startMs + durationMs;
  const errors: Record<string, number> = {};
  const lagsMs: number[] = [];
  const counts = { settled: 0, succeeded: 0, inPhase: 0, steady: 0 };
  const pending: Promise<void>[] = [];
  const run = async (): Promise<void> => {
    const outcome = await one().catch((e: unknown) => (e as Error)?.name ?? 'unknown');
    counts.settled++;
    if (outcome !== 'ok') {
      errors[outcome] = (errors[outcome] ?? 0) + 1;
      return;
    }
    counts.succeeded++;
    const endMs = performance.now();
    if (endMs <= endOfArrivalsMs) counts.inPhase++;
    if (endMs <= endOfArrivalsMs && endMs >= startMs + warmupMs) counts.steady++;
  };
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const nowMs = performance.now();
      for (; next < total && intendedSendMs(schedule, next) <= nowMs; next++) {
        lagsMs.push(nowMs - intendedSendMs(schedule, next));
        pending.push(run());
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, Math.max(0, startMs - performance.now()));
  });
  await Promise.all(pending);
  lagsMs.sort((a, b) => a - b);
  return {
    offered: total,
    settled: counts.settled,
    succeeded: counts.succeeded,
    goodputTps: counts.inPhase / (durationMs / 1000),
    steadyGoodputTps: counts.steady / ((durationMs - warmupMs) / 1000),
    errors,
    sendLagP99Ms: lagsMs[Math.floor(lagsMs.length * 0.99)] ?? 0,
  };
}
