import type { Subscription } from 'rxjs';
import type { PhaseTimestamps } from '../core/budget.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  RequestHeaders,
  TransportRequest,
} from '../transport/Transport.js';
import type { ClientResponse } from './clientRequest.js';

/** Called exactly once when a job settles. */
export type SettleCallback = (error: H2flowError | undefined, response?: ClientResponse) => void;

/** Where a job reports its transport progress (implemented by the client). */
export interface JobHost {
  jobSent(job: Job, atMs: number, windowStalled: boolean): void;
  jobHeaders(job: Job, atMs: number, status: number): void;
  jobDone(job: Job, outcome: DispatchOutcome): void;
}

/**
 * One request's life inside the client. It is its own `TransportRequest`
 * and `DispatchListener`, so a request costs one object on the hot path.
 */
export class Job implements TransportRequest, DispatchListener, PhaseTimestamps {
  /** `queued` → `in-flight` → (`retry-wait` → `queued` → `in-flight`) → `settled`. */
  state: 'queued' | 'retry-wait' | 'in-flight' | 'settled' = 'queued';
  dispatchedAtMs: number | undefined;
  sentAtMs: number | undefined;
  headersAtMs: number | undefined;
  endAtMs: number | undefined;
  handle: DispatchHandle | undefined;
  /** Deadline timer while in flight, or retry-backoff timer while waiting to retry. */
  timer: Subscription | undefined;
  retries = 0;
  windowStalled = false;
  /** Set when the client itself cancels the stream, so `cancelled` outcomes map to the right error. */
  cancelReason: 'deadline' | 'abort' | 'close' | undefined;
  /** Detaches the AbortSignal listener. */
  detachAbort: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly method: string,
    readonly path: string,
    readonly headers: RequestHeaders,
    readonly body: Uint8Array | undefined,
    readonly submittedAtMs: number,
    readonly budgetMs: number,
    readonly maxResponseBytes: number,
    readonly host: JobHost,
    readonly callback: SettleCallback,
  ) {}

  /** Absolute deadline, ms. */
  get deadlineAtMs(): number {
    return this.submittedAtMs + this.budgetMs;
  }

  /** Forgets the wire timestamps of a failed attempt before a retry (its queue time keeps counting). */
  resetAttempt(): void {
    this.dispatchedAtMs = undefined;
    this.sentAtMs = undefined;
    this.headersAtMs = undefined;
    this.endAtMs = undefined;
    this.handle = undefined;
  }

  onSent(atMs: number, windowStalled: boolean): void {
    this.host.jobSent(this, atMs, windowStalled);
  }

  onHeaders(atMs: number, status: number): void {
    this.host.jobHeaders(this, atMs, status);
  }

  onDone(outcome: DispatchOutcome): void {
    this.host.jobDone(this, outcome);
  }
}
