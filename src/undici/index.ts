/**
 * `h2flow/undici`: h2flow under Node's `fetch` and undici. One line puts the
 * adaptive controller under every `fetch` call in a process:
 *
 * ```ts
 * import { setGlobalDispatcher } from 'undici';
 * import { createAgent } from 'h2flow/undici';
 * setGlobalDispatcher(createAgent({ timeoutMs: 2000 }));
 * ```
 *
 * or per call, `fetch(url, { dispatcher: agent })`. It loads no undici
 * itself: Node's global `fetch` drives it as it is (docs/fetch.md).
 */

export type { AdaptiveClient } from '../client/AdaptiveClient.js';
export type { StreamEnd } from '../client/streamRequest.js';
export type { CreateClientOptions } from '../createClient.js';
export { AbortedError, isAbortedError } from '../errors/AbortedError.js';
export type { BudgetBreakdown } from '../errors/budgetBreakdown.js';
export { ClosedError, isClosedError } from '../errors/ClosedError.js';
export { DeadlineError, isDeadlineError } from '../errors/DeadlineError.js';
export { H2flowError, type H2flowErrorCode, isH2flowError } from '../errors/H2flowError.js';
export { InvalidOptionError, isInvalidOptionError } from '../errors/InvalidOptionError.js';
export { isOverloadError, OverloadError } from '../errors/OverloadError.js';
export { isTransportError, TransportError } from '../errors/TransportError.js';
export type { DispatchFn, DispatchInterceptor } from './composeInterceptors.js';
export {
  type AgentOptions,
  createAgent,
  type Dispatcher,
  type FallbackDispatcher,
  H2flowAgent,
} from './H2flowAgent.js';
export type {
  ControllerHandler,
  DispatchController,
  DispatchHandler,
  DispatchOptions,
  LegacyHandler,
} from './undiciHandlers.js';
