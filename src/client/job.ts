import { phaseTimings } from '../core/budget.js';
import { retryAfterMs } from '../core/retryAfter.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { AcquireHandler, Permit } from '../limiter/permit.js';
import type {
  DispatchHandle,
  DispatchListener,
  DispatchOutcome,
  RequestHeaders,
  Transport,
  TransportRequest,
} from '../transport/Transport.js';
import type { ClientResponse, NormalizedRequest } from './clientRequest.js';
import { failureDetails } from './failureDetails.js';

/** Called exactly once when a request settles. */
export type SettleCallback = (error: H2flowError | undefined, response?: ClientResponse) => void;

/**
 * One request's trip through the client: it asks the limiter for a slot,
 * and when granted it is its own `TransportRequest` and `DispatchListener`
 * on the transport, turning the stream's outcome into the permit's one end.
 * So a request costs this object and the limiter's ticket.
 */
export class Job implements AcquireHandler<ClientResponse>, TransportRequest, DispatchListener {
  readonly method: string;
  readonly path: string;
  readonly headers: RequestHeaders;
  readonly body: Uint8Array | undefined;
  #permit: Permit<ClientResponse> | undefined;

  constructor(
    request: NormalizedRequest,
    readonly maxResponseBytes: number,
    readonly transport: Transport,
    readonly callback: SettleCallback,
  ) {
    this.method = request.method;
    this.path = request.path;
    this.headers = request.headers;
    this.body = request.body;
  }

  /** The limiter's id of this request. */
  get id(): number {
    return this.#permit?.id ?? 0;
  }

  /** Absolute deadline, ms. */
  get deadlineAtMs(): number {
    return this.#permit?.deadlineAtMs ?? Number.POSITIVE_INFINITY;
  }

  onGrant(permit: Permit<ClientResponse>): void {
    this.#permit = permit;
    let handle: DispatchHandle | undefined;
    // Set before dispatch: a stream that ends inside it clears the permit's cancel again.
    permit.onCancel = () => handle?.cancel();
    handle = this.transport.dispatch(this, this);
    if (handle === undefined) permit.notSent();
  }

  onSettle(error: H2flowError | undefined, response: ClientResponse | undefined): void {
    // The permit stays: a stream cancelled at the deadline still reports its end, freeing the slot.
    this.callback(error, response);
  }

  onSent(_atMs: number, windowStalled: boolean): void {
    this.#permit?.sent(windowStalled);
  }

  onHeaders(): void {
    this.#permit?.headers();
  }

  onDone(outcome: DispatchOutcome): void {
    const permit = this.#permit;
    if (permit === undefined) return;
    switch (outcome.kind) {
      case 'response': {
        const body = Buffer.from(
          outcome.body.buffer,
          outcome.body.byteOffset,
          outcome.body.byteLength,
        );
        const response: ClientResponse = {
          status: outcome.status,
          headers: outcome.headers,
          body,
          timings: phaseTimings(permit, outcome.atMs),
        };
        permit.respond(outcome.status, response, {
          retryAfterMs: retryAfterMs(outcome.headers['retry-after'], Date.now()),
          windowStalled: outcome.windowStalled,
        });
        return;
      }
      case 'retryable':
        permit.retry(outcome.reason, outcome.http2Code);
        return;
      case 'error':
        permit.fail(failureDetails(outcome));
        return;
      case 'cancelled':
        permit.cancelled(outcome.onWire);
        return;
    }
  }
}
