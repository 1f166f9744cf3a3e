/**
 * A dispatcher that answers every request itself, with no network: what is
 * left of a `fetch` through it is fetch's own cost (its Request, Headers and
 * Response objects, its body streams, its promise chain). The fetch-overhead
 * bench subtracts it from the agent's CPU per request to get the agent's own.
 *
 * Per request it does what a real dispatcher's caller sees, in order:
 * `onConnect(abort)`, the request body drained to its end when it is an
 * async iterable (fetch hands POST bodies over as an async generator over its
 * body stream, so that path is paid as on the wire), then — on the next turn
 * of the event loop, as a socket's answer would arrive — `onResponseStarted`,
 * `onHeaders(200, raw headers, resume, 'OK')`, `onData(body)` and
 * `onComplete([])`, waiting for `resume` wherever the handler returns false.
 */
import type { DispatchOptions, LegacyHandler } from '../../src/undici/undiciHandlers.js';

/** The answer's body, the size of the bench's raw server's. */
const answerBody = Buffer.from('{"ok":true,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}');

/** The answer's headers as undici's raw `[name, value, …]` Buffers, made once. */
const answerHeaders: readonly Buffer[] = [
  Buffer.from('content-type'),
  Buffer.from('application/json'),
  Buffer.from('content-length'),
  Buffer.from(String(answerBody.length)),
];

/** The dispatcher: `fetch(url, { dispatcher: noopDispatcher() })`. */
export interface NoopDispatcher {
  /** Answers `handler` 200 with a small JSON body; always true (never asks the caller to wait). */
  dispatch(opts: DispatchOptions, handler: LegacyHandler): boolean;
  /** Nothing to close; resolves at once. */
  close(): Promise<void>;
}

/** Creates a {@link NoopDispatcher}. */
export function noopDispatcher(): NoopDispatcher {
  return {
    dispatch(opts, handler) {
      void answer(opts, handler);
      return true;
    },
    close: () => Promise.resolve(),
  };
}

/** One request's life: connect, drain the body, then answer on the next turn. */
async function answer(opts: DispatchOptions, handler: LegacyHandler): Promise<void> {
  let aborted: Error | undefined;
  try {
    handler.onConnect?.((reason) => {
      aborted ??= reason ?? new Error('aborted');
    });
    const body = opts.body as AsyncIterable<Uint8Array> | null | undefined;
    if (body != null && typeof body[Symbol.asyncIterator] === 'function') {
      for await (const _chunk of body) if (aborted !== undefined) break;
    }
    // A network answer comes from an I/O callback, never in the same microtask run.
    await new Promise<void>((resolve) => setImmediate(resolve));
  } catch (error) {
    aborted ??= error as Error;
  }
  if (aborted !== undefined) {
    handler.onError?.(aborted);
    return;
  }
  respond(handler);
}

/** Headers, data, end; a `false` from the handler pauses until it calls `resume`. */
function respond(handler: LegacyHandler): void {
  let step = 0;
  const go = (): void => {
    while (step < 3) {
      const now = step++;
      if (now === 0) {
        handler.onResponseStarted?.();
        if (handler.onHeaders?.(200, [...answerHeaders], go, 'OK') === false) return;
      } else if (now === 1) {
        if (handler.onData?.(answerBody) === false) return;
      } else {
        handler.onComplete?.([]);
      }
    }
  };
  go();
}
