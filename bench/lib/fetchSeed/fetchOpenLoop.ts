/**
 * An open loop of `fetch` calls (k6's constant arrival rate): request `i`
 * is sent at `start + i / rate` whatever became of the ones before it, each
 * a 75-byte JSON POST whose response body is read to its end. Outcomes are
 * read as a caller sees them; the h2flow agent's own counters (its clients'
 * `stats()`) are the authoritative count where there is one.
 */
import { intendedSendMs, totalArrivals } from '../../../src/load/arrivalSchedule.js';

/** A 75-byte JSON body, the size of the seed's charging requests. */
export const seedBody = `{"subscriberId":"imsi-001010123456789","ratingGroup":100,"units":1,"p":"x"}`;

/** What one open loop is asked to do. */
export interface FetchOpenLoopOptions {
  /** Full URL, path included. */
  readonly url: string;
  /** Offered rate, req/s. */
  readonly rateTps: number;
  /** Arrival phase, ms. */
  readonly durationMs: number;
  /** The `dispatcher` given to every fetch. */
  readonly dispatcher: unknown;
  /** A per-fetch `AbortSignal.timeout(ms)`, as a caller with a deadline and no h2flow sets it; undefined for none. */
  readonly abortAfterMs?: number | undefined;
}

/** What the caller saw. */
export interface FetchOpenLoopResult {
  /** Fetches started. */
  readonly offered: number;
  /** Fetches that ended (a response read to its end, or an error): equal to `offered` when nothing was lost. */
  readonly settled: number;
  /** Responses with status < 500 other than 429. */
  readonly succeeded: number;
  /** Successes whose body ended within the arrival phase, per second of it. */
  readonly goodputTps: number;
  /**
   * The same after the first {@link warmupMs} (the connection and the
   * controller starting), the figure a closed-loop probe of a saturated
   * connection compares with.
   */
  readonly steadyGoodputTps: number;
  /** Errors by what caused them: the cause's `code` (H2FLOW_*), `TimeoutError` for the caller's own timeout, or the error's name. */
  readonly errors: Readonly<Record<string, number>>;
  /** Responses by status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** p99 of how late the loop sent, ms (above ~50 ms the box could not offer the load). */
  readonly sendLagP99Ms: number;
}

/** The start of a run the steady goodput leaves out, ms. */
export const warmupMs = 1000;

/** What caused a failed fetch: h2flow's code on the cause, the caller's timeout, or the error's name. */
function causeOf(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: unknown; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'TimeoutError';
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  // A cause from another realm (a test runner's) reaches fetch's caller as a plain Error whose message names it.
  const named = /(H2FLOW_[A-Z_]+)|^(\w+Error)/.exec(e?.cause?.message ?? '');
  return named?.[1] ?? named?.[2] ?? e?.name ?? 'unknown';
}

/** Runs the loop; resolves when every fetch has settled. */
export async function runFetchOpenLoop(o: FetchOpenLoopOptions): Promise<FetchOpenLoopResult> {
  const startMs = performance.now() + 20;
  const schedule = { startMs, rateTps: o.rateTps, durationMs: o.durationMs, maxRequests: Infinity };
  const total = totalArrivals(schedule);
  const endOfArrivalsMs = startMs + o.durationMs;
  const errors: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const lagsMs: number[] = [];
  let settled = 0;
  let succeeded = 0;
  let inPhase = 0;
  let steady = 0;
  const pending: Promise<void>[] = [];

  const one = async (): Promise<void> => {
    try {
      const res = await fetch(o.url, {
        method: 'POST',
        body: seedBody,
        headers: { 'content-type': 'application/json' },
        dispatcher: o.dispatcher,
        ...(o.abortAfterMs === undefined ? {} : { signal: AbortSignal.timeout(o.abortAfterMs) }),
      } as RequestInit);
      await res.arrayBuffer();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status < 500 && res.status !== 429) {
        succeeded++;
        const endMs = performance.now();
        if (endMs <= endOfArrivalsMs) inPhase++;
        if (endMs <= endOfArrivalsMs && endMs >= startMs + warmupMs) steady++;
      }
    } catch (error) {
      const cause = causeOf(error);
      errors[cause] = (errors[cause] ?? 0) + 1;
    } finally {
      settled++;
    }
  };

  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const nowMs = performance.now();
      for (; next < total && intendedSendMs(schedule, next) <= nowMs; next++) {
        lagsMs.push(nowMs - intendedSendMs(schedule, next));
        pending.push(one());
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
    settled,
    succeeded,
    goodputTps: inPhase / (o.durationMs / 1000),
    steadyGoodputTps: steady / ((o.durationMs - warmupMs) / 1000),
    errors,
    statuses,
    sendLagP99Ms: lagsMs[Math.floor(lagsMs.length * 0.99)] ?? 0,
  };
}
