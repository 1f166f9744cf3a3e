import type { H2flowError } from '../errors/H2flowError.js';
import type { AcquireHandler, Permit } from '../limiter/permit.js';
import type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  RequestHeaders,
  ResponseHeaders,
  Transport,
  TransportRequest,
} from '../transport/Transport.js';

/** What a job carries to the wire (its request, normalised). */
export interface JobRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array | undefined;
}

/**
 * What a request's trip through the client shares, buffered ({@link Job})
 * or streamed ({@link StreamJob}): it is its own `TransportRequest` and
 * `DispatchListener`, and when the limiter grants it a slot it opens its
 * stream on the transport, with the permit's cancel set to cancel it.
 */
export abstract class DispatchJob<R>
  implements AcquireHandler<R>, TransportRequest, DispatchListener
{
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array | undefined;
  abstract readonly maxResponseBytes: number;
  /** The permit, once granted; kept after settling, so a cancelled stream's end still frees its slot. */
  protected permit: Permit<R> | undefined;
  /** The stream of the current attempt. */
  protected handle: DispatchHandle | undefined;

  constructor(
    request: JobRequest,
    readonly transport: Transport,
  ) {
    this.method = request.method;
    this.path = request.path;
    this.headers = request.headers;
    this.body = request.body;
  }

  /** The limiter's id of this request. */
  get id(): number {
    return this.permit?.id ?? 0;
  }

  /** Absolute deadline, ms. */
  get deadlineAtMs(): number {
    return this.permit?.deadlineAtMs ?? Number.POSITIVE_INFINITY;
  }

  onGrant(permit: Permit<R>): void {
    this.permit = permit;
    // Set before dispatch: a stream that ends inside it clears the permit's cancel again.
    permit.onCancel = () => this.handle?.cancel();
    this.handle = this.transport.dispatch(this, this);
    if (this.handle === undefined) permit.notSent();
  }

  // The transport's times are the limiter's: the client runs its limiter on `transport.scheduler`.
  onSent(atMs: number, windowStalled: boolean): void {
    this.permit?.sent(windowStalled, atMs);
  }

  abstract onSettle(error: H2flowError | undefined, response: R | undefined): void;
  abstract onHeaders(atMs: number, status: number, headers: ResponseHeaders): void;
  abstract onDone(outcome: DispatchOutcome): void;
}
