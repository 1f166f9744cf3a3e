import { status } from '@grpc/grpc-js';
import { isAbortedError } from '../errors/AbortedError.js';
import { isDeadlineError } from '../errors/DeadlineError.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { isOverloadError } from '../errors/OverloadError.js';

/** The details grpc-js gives a call whose stream the server refused (RST_STREAM REFUSED_STREAM). */
export const refusedDetails = 'Stream refused by server';

/**
 * A gRPC status as the limiter reads a response's end (`permit.respond`):
 * - OK and the application's own codes (NOT_FOUND, INVALID_ARGUMENT, …)
 *   are answers, as an HTTP 2xx–4xx is: 200;
 * - RESOURCE_EXHAUSTED is the server throttling: 429, a congestion signal;
 * - UNAVAILABLE is the server or its path failing: 503, which cuts the
 *   rate only when it surges above its background share ("do no harm");
 * - INTERNAL, UNKNOWN and DATA_LOSS are server errors: 500.
 */
export function httpLikeStatus(code: number): number {
  switch (code) {
    case status.RESOURCE_EXHAUSTED:
      return 429;
    case status.UNAVAILABLE:
      return 503;
    case status.INTERNAL:
    case status.UNKNOWN:
    case status.DATA_LOSS:
      return 500;
    default:
      return 200;
  }
}

/**
 * The status a call ends with when h2flow settled it: a shed call with
 * RESOURCE_EXHAUSTED, gRPC's code for "out of a resource, try later", which
 * grpc-js and retry policies do not retry by default (UNAVAILABLE would be
 * retried at once, and it says the server is unreachable, which it is not);
 * an expired one with DEADLINE_EXCEEDED; an aborted one with CANCELLED;
 * anything else (closed, transport) with UNAVAILABLE. The details are the
 * error's message, which names the reason and the budget breakdown.
 */
export function statusOfError(error: H2flowError): { code: number; details: string } {
  const code = isOverloadError(error)
    ? status.RESOURCE_EXHAUSTED
    : isDeadlineError(error)
      ? status.DEADLINE_EXCEEDED
      : isAbortedError(error)
        ? status.CANCELLED
        : status.UNAVAILABLE;
  return { code, details: `${error.code}: ${error.message}` };
}
