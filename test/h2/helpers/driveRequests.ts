import type { Subscription } from 'rxjs';
import type {
  DispatchOutcome,
  Transport,
  TransportRequest,
} from '../../../src/transport/Transport.js';

/** One attempt of a request, as the transport reported it. */
export interface Attempt {
  readonly sent: { readonly atMs: number; readonly windowStalled: boolean } | undefined;
  readonly headers: { readonly atMs: number; readonly status: number } | undefined;
  readonly outcome: DispatchOutcome;
}

/** A request after its last attempt. */
export interface Settled {
  readonly request: TransportRequest;
  readonly attempts: readonly Attempt[];
  /** The last attempt's outcome. */
  readonly final: DispatchOutcome;
}

/** What the driver saw besides the results. */
export interface DriveReport {
  readonly settled: Settled[];
  /** `dispatch` calls that returned `undefined` (no free slot). */
  refusedDispatches: number;
  /** Protocol violations seen: a callback after `onDone`, `onDone` twice. */
  readonly violations: string[];
  /** Most attempts in flight at once, by the driver's own count. */
  maxInFlight: number;
}

/** Options of {@link driveRequests}. */
export interface DriveOptions {
  /** Retries of a `retryable` outcome per request. Default 1. */
  readonly maxRetries?: number;
  /** Wait before retrying after ENHANCE_YOUR_CALM, ms. Default 20. */
  readonly calmBackoffMs?: number;
  /** The whole run must settle within this, or the promise rejects, ms. Default 10,000. */
  readonly timeoutMs?: number;
}

/**
 * A tiny test-only client: it keeps requests in its own FIFO queue, hands
 * them to `transport.dispatch` while it takes them, and retries retryable
 * outcomes. Like the real client it moves the queue only when the transport
 * signals (a `capacity$` emission or an `onDone`), never by polling, so a
 * missing signal shows up as a timeout.
 */
export function driveRequests(
  transport: Transport,
  requests: readonly TransportRequest[],
  options: DriveOptions = {},
): Promise<DriveReport> {
  const maxRetries = options.maxRetries ?? 1;
  const calmBackoffMs = options.calmBackoffMs ?? 20;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const queue = [...requests];
  const attempts = new Map<TransportRequest, Attempt[]>();
  const report: DriveReport = { settled: [], refusedDispatches: 0, violations: [], maxInFlight: 0 };
  let inFlight = 0;
  let pumping = false;
  let again = false;
  let finished = false;
  const timers = new Set<NodeJS.Timeout>();

  return new Promise<DriveReport>((resolve, reject) => {
    let subscription: Subscription | undefined;
    const end = (error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      for (const t of timers) clearTimeout(t);
      subscription?.unsubscribe();
      if (error) reject(error);
      else resolve(report);
    };
    const deadline = setTimeout(() => {
      end(
        new Error(
          `driver timed out after ${timeoutMs} ms: ${report.settled.length}/${requests.length} settled, ${queue.length} queued, ${inFlight} in flight, capacity ${JSON.stringify(transport.capacity())}`,
        ),
      );
    }, timeoutMs);

    const start = (request: TransportRequest): boolean => {
      let sent: Attempt['sent'];
      let headers: Attempt['headers'];
      let done = false;
      const handle = transport.dispatch(request, {
        onSent(atMs, windowStalled) {
          if (done) report.violations.push(`onSent after onDone (request ${request.id})`);
          sent = { atMs, windowStalled };
        },
        onHeaders(atMs, status) {
          if (done) report.violations.push(`onHeaders after onDone (request ${request.id})`);
          headers = { atMs, status };
        },
        onDone(outcome) {
          if (done) {
            report.violations.push(`onDone twice (request ${request.id})`);
            return;
          }
          done = true;
          inFlight--;
          settle(request, { sent, headers, outcome });
        },
      });
      if (handle === undefined) {
        report.refusedDispatches++;
        return false;
      }
      inFlight++;
      report.maxInFlight = Math.max(report.maxInFlight, inFlight);
      return true;
    };

    const settle = (request: TransportRequest, attempt: Attempt): void => {
      const list = attempts.get(request) ?? [];
      list.push(attempt);
      attempts.set(request, list);
      const o = attempt.outcome;
      if (o.kind === 'retryable' && list.length <= maxRetries) {
        if (o.reason === 'enhance-your-calm') {
          const t = setTimeout(() => {
            timers.delete(t);
            queue.unshift(request);
            pump();
          }, calmBackoffMs);
          timers.add(t);
        } else {
          queue.unshift(request);
        }
      } else {
        report.settled.push({ request, attempts: list, final: o });
      }
      if (report.settled.length === requests.length) end();
      else pump();
    };

    const pump = (): void => {
      if (finished) return;
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          while (queue.length > 0 && start(queue[0]!)) queue.shift();
        } while (again);
      } finally {
        pumping = false;
      }
    };

    subscription = transport.capacity$.subscribe(() => pump());
    if (requests.length === 0) end();
    else pump();
  });
}

/** A request with an `x-req-id` header so the server can tell attempts of one request apart. */
export function makeRequest(
  id: number,
  init: { method?: string; path?: string; body?: Uint8Array; maxResponseBytes?: number } = {},
): TransportRequest {
  return {
    id,
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    path: init.path ?? `/r/${id}`,
    headers: { 'x-req-id': String(id) },
    body: init.body,
    deadlineAtMs: Number.POSITIVE_INFINITY,
    maxResponseBytes: init.maxResponseBytes ?? 1024 * 1024 * 8,
  };
}

/** `count` requests with ids 1..count. */
export function makeRequests(count: number): TransportRequest[] {
  return Array.from({ length: count }, (_, i) => makeRequest(i + 1));
}

/** Resolves with the first value `predicate` accepts from `source` within `timeoutMs`. */
export function waitFor<T>(
  source: { subscribe(next: (value: T) => void): { unsubscribe(): void } },
  predicate: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let sub: { unsubscribe(): void } | undefined;
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      sub?.unsubscribe();
      reject(new Error(`waitFor timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sub = source.subscribe((value) => {
      if (done || !predicate(value)) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => sub?.unsubscribe());
      resolve(value);
    });
  });
}
