import type { CongestionKind } from '../core/congestion.js';
import type { RequestSample } from '../core/sample.js';

/**
 * What the client tells the control loop, one event per thing that happened.
 * `offered`, `admitted` and `rejected` carry no data, so they are shared
 * constants and cost nothing to emit.
 */
export type LoopEvent =
  | { readonly kind: 'offered' }
  | { readonly kind: 'admitted' }
  | { readonly kind: 'rejected' }
  | { readonly kind: 'dispatched'; readonly atMs: number; readonly queueWaitMs: number }
  | { readonly kind: 'stream-ended'; readonly atMs: number }
  | { readonly kind: 'settled'; readonly sample: RequestSample }
  | { readonly kind: 'congestion'; readonly congestion: CongestionKind };

/** The shared `offered` event. */
export const offeredEvent: LoopEvent = Object.freeze({ kind: 'offered' });
/** The shared `admitted` event. */
export const admittedEvent: LoopEvent = Object.freeze({ kind: 'admitted' });
/** The shared `rejected` event. */
export const rejectedEvent: LoopEvent = Object.freeze({ kind: 'rejected' });
