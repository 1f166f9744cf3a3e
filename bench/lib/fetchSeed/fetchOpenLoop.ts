/**
 * An open loop of `fetch` calls (k6's constant arrival rate): request `i`
 * is sent at `start + i / rate` whatever became of the ones before it, each
 * a 75-byte JSON POST whose response body is read to its end. Outcomes are
 * read as a caller sees them; the h2flow agent's own counters (its clients'
 * `stats()`) are the authoritative count where there is one.
 */
import { type OpenLoopResult, runOpenLoop } from '../openLoop.js';
import { seedBodyText } from '../seedBody.js';

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

/** What the caller saw; failures by cause: h2flow's code, `TimeoutError`, the error's name, or `HTTP <status>`. */
export type FetchOpenLoopResult = OpenLoopResult;

/** What caused a failed fetch: h2flow's code on the cause, the caller's timeout, or the error's name. */
function causeOf(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: unknown; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'TimeoutError';
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  // A cause from another realm (a test runner's) reaches fetch's caller as a plain Error whose message names it.
  const named = /(H2FLOW_[A-Z_]+)|^(\w+Error)/.exec(e?.cause?.message ?? '');
  return named?.[1] ?? named?.[2] ?? e?.name ?? 'unknown';
}

/** Runs the loop of fetches; resolves when every fetch has settled. */
export function runFetchOpenLoop(o: FetchOpenLoopOptions): Promise<FetchOpenLoopResult> {
  return runOpenLoop(o.rateTps, o.durationMs, async () => {
    try {
      const res = await fetch(o.url, {
        method: 'POST',
        body: seedBodyText,
        headers: { 'content-type': 'application/json' },
        dispatcher: o.dispatcher,
        ...(o.abortAfterMs === undefined ? {} : { signal: AbortSignal.timeout(o.abortAfterMs) }),
      } as RequestInit);
      await res.arrayBuffer();
      return res.status < 500 && res.status !== 429 ? 'ok' : `HTTP ${res.status}`;
    } catch (error) {
      return causeOf(error);
    }
  });
}
