import { phaseTimings } from '../core/budget.js';
import { retryAfterMs } from '../core/retryAfter.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { asBuffer } from '../transport/asBuffer.js';
import type { DispatchOutcome, Transport } from '../transport/Transport.js';
import type { ClientResponse, NormalizedRequest } from './clientRequest.js';
import { DispatchJob } from './dispatchJob.js';
import { failureDetails } from './failureDetails.js';

/** Called exactly once when a request settles. */
export type SettleCallback = (error: H2flowError | undefined, response?: ClientResponse) => void;

/**
 * One request's trip through the client: it asks the limiter for a slot,
 * and when granted it is its own `TransportRequest` and `DispatchListener`
 * on the transport, turning the stream's outcome into the permit's one end.
 * So a request costs this object and the limiter's ticket.
 */
export class Job extends DispatchJob<ClientResponse> {
  constructor(
    request: NormalizedRequest,
    readonly maxResponseBytes: number,
    transport: Transport,
    readonly callback: SettleCallback,
  ) {
    super(request, transport);
  }

  onSettle(error: H2flowError | undefined, response: ClientResponse | undefined): void {
    // The permit stays: a stream cancelled at the deadline still reports its end, freeing the slot.
    this.callback(error, response);
  }

  onHeaders(atMs: number): void {
    this.permit?.headers(atMs);
  }

  onDone(outcome: DispatchOutcome): void {
    const permit = this.permit;
    if (permit === undefined) return;
    switch (outcome.kind) {
      case 'response': {
        const response: ClientResponse = {
          status: outcome.status,
          headers: outcome.headers,
          body: asBuffer(outcome.body),
          timings: phaseTimings(permit, outcome.atMs),
        };
        permit.respond(outcome.status, response, {
          retryAfterMs: retryAfterMs(outcome.headers['retry-after'], Date.now),
          windowStalled: outcome.windowStalled,
          atMs: outcome.atMs,
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
