import { rawHeaders, speaksControllerContract } from './handlerSink.js';
import type {
  ControllerHandler,
  DispatchController,
  DispatchHandler,
  DispatchOptions,
  HeaderRecord,
  LegacyHandler,
} from './undiciHandlers.js';

/** A dispatch function, as undici's interceptors take and return them. */
export type DispatchFn = (opts: DispatchOptions, handler: DispatchHandler) => boolean;

/** An interceptor as undici composes them: a dispatch function in, a dispatch function out. */
export type DispatchInterceptor = (dispatch: DispatchFn) => DispatchFn;

/**
 * Wraps `dispatch` in `interceptors`, the last outermost, as undici's
 * `Dispatcher.compose` does: each interceptor is handed the new handler
 * contract (undici ≥ 7's interceptors speak only it), so a legacy handler
 * from `undici.request` or `fetch` is adapted on the way in.
 */
export function composeInterceptors(
  dispatch: DispatchFn,
  interceptors: readonly DispatchInterceptor[],
): DispatchFn {
  let composed = dispatch;
  for (const interceptor of interceptors) {
    if (typeof interceptor !== 'function') {
      throw new TypeError(`invalid interceptor: expected a function, got ${typeof interceptor}`);
    }
    const inner = interceptor(composed);
    composed = (opts, handler) => inner(opts, asControllerHandler(handler));
  }
  return composed;
}

/** `handler` under the new contract: itself if it speaks it, else a legacy handler adapted. */
export function asControllerHandler(handler: DispatchHandler): ControllerHandler {
  if (speaksControllerContract(handler)) return handler as ControllerHandler;
  const legacy = handler as LegacyHandler;
  return {
    onRequestStart(controller: DispatchController, context: object) {
      legacy.onConnect?.((reason) => controller.abort(reason), context);
    },
    onResponseStart(controller, status, headers, statusMessage) {
      legacy.onResponseStarted?.();
      const resume = (): void => controller.resume();
      if (legacy.onHeaders?.(status, rawHeaders(headers), resume, statusMessage) === false) {
        controller.pause();
      }
    },
    onResponseData(controller, chunk) {
      if (legacy.onData?.(chunk) === false) controller.pause();
    },
    onResponseEnd(_controller, trailers: HeaderRecord) {
      legacy.onComplete?.(rawHeaders(trailers));
    },
    onResponseError(_controller, error) {
      legacy.onError?.(error);
    },
  };
}
