import type { TransportErrorDetails } from '../errors/TransportError.js';
import type { DispatchOutcome } from '../transport/Transport.js';

/** A stream's `error` outcome as the details of the `TransportError` its permit fails with. */
export function failureDetails(
  outcome: Extract<DispatchOutcome, { readonly kind: 'error' }>,
): TransportErrorDetails {
  return {
    failure: outcome.failure,
    detail: outcome.detail,
    ...(outcome.http2Code === undefined ? {} : { http2Code: outcome.http2Code }),
    ...(outcome.causeCode === undefined ? {} : { causeCode: outcome.causeCode }),
  };
}
