import { phaseTimings } from '../core/budget.js';
import { retryAfterMs } from '../core/retryAfter.js';
import type { RetryReason } from '../core/retryReason.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { Permit } from '../limiter/permit.js';
import type { DispatchOutcome, ResponseHeaders, Transport } from '../transport/Transport.js';
import { DispatchJob } from './dispatchJob.js';
import { failureDetails } from './failureDetails.js';
import { ReplayableBody } from './replayableBody.js';
import type {
  NormalizedStreamRequest,
  StreamControl,
  StreamEnd,
  StreamSink,
} from './streamRequest.js';

const noTrailers: ResponseHeaders = Object.freeze({});

/**
 * One streamed request's trip through the client, as {@link Job} is for a
 * buffered one: it asks the limiter for a slot, opens a streaming dispatch
 * when granted, hands HEADERS and DATA to its sink as they arrive (pausing
 * when the sink says so), and turns the stream's end into the permit's one
 * end. The request settles for the controller at the response's last byte,
 * on abort, or on error; the sink hears that settlement and nothing after.
 *
 * A retry (the server provably did not process the stream) sends the body
 * again: a fixed body always, a streamed one only while {@link ReplayableBody}
 * still holds all of it; otherwise, and once HEADERS were handed on, the
 * stream fails instead.
 */
export class StreamJob extends DispatchJob<StreamEnd> implements StreamControl {
  readonly bodySource: ReplayableBody | undefined;
  readonly maxResponseBytes = Number.POSITIVE_INFINITY;
  #aborter: { abort(): void } | undefined;
  #started = false;
  #settled = false;
  #retryAfter: string | readonly string[] | undefined;

  constructor(
    request: NormalizedStreamRequest,
    transport: Transport,
    readonly sink: StreamSink,
  ) {
    super(request, transport);
    this.bodySource =
      request.bodySource === undefined ? undefined : new ReplayableBody(request.bodySource);
  }

  /** Keeps what cancels the request as the caller's abort (the limiter's acquisition). */
  started(aborter: { abort(): void }): void {
    this.#aborter = aborter;
  }

  abort(): void {
    this.#aborter?.abort();
  }

  resume(): void {
    if (!this.#settled) this.handle?.resume?.();
  }

  onSettle(error: H2flowError | undefined, end: StreamEnd | undefined): void {
    this.#settled = true;
    this.bodySource?.close();
    if (error !== undefined) this.sink.onError(error);
    else this.sink.onEnd(end!);
  }

  onHeaders(atMs: number, status: number, headers: ResponseHeaders): void {
    if (this.#settled) return;
    this.permit?.headers(atMs);
    this.#started = true;
    this.#retryAfter = headers['retry-after'];
    if (!this.sink.onHeaders(status, headers)) this.handle?.pause?.();
  }

  onData(chunk: Uint8Array): boolean {
    return this.#settled || this.sink.onData(chunk);
  }

  onDone(outcome: DispatchOutcome): void {
    const permit = this.permit;
    if (permit === undefined) return;
    switch (outcome.kind) {
      case 'response':
        permit.respond(
          outcome.status,
          {
            status: outcome.status,
            trailers: outcome.trailers ?? noTrailers,
            timings: phaseTimings(permit, outcome.atMs),
          },
          { retryAfterMs: retryAfterMs(this.#retryAfter, Date.now), atMs: outcome.atMs },
        );
        return;
      case 'retryable':
        this.#retryOrFail(permit, outcome.reason, outcome.http2Code);
        return;
      case 'error':
        permit.fail(failureDetails(outcome));
        return;
      case 'cancelled':
        permit.cancelled(outcome.onWire);
        return;
    }
  }

  /** Retries what can be sent again whole and has shown the caller nothing; fails the rest. */
  #retryOrFail(permit: Permit<StreamEnd>, reason: RetryReason, http2Code: number): void {
    const body = this.bodySource;
    if (!this.#started && (body === undefined || body.replayable)) {
      permit.retry(reason, http2Code);
      return;
    }
    permit.fail({
      failure: 'stream-reset',
      detail: this.#started
        ? `the server refused the stream (${reason}) after its HEADERS were handed on`
        : `the server did not process the stream (${reason}), and its streamed body passed what is kept for a replay`,
      http2Code,
    });
  }
}
