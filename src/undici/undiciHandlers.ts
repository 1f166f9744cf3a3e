/**
 * The two handler contracts an undici dispatcher is driven with, as h2flow
 * reads them (declared here: `h2flow/undici` never loads undici).
 */

/** Aborts a request from the caller's side; undici passes the reason along. */
export type AbortCallback = (reason?: Error) => void;

/**
 * The legacy contract, which Node 20's global `fetch` and undici's `request`
 * send: `onConnect` first, then HEADERS as raw name/value Buffers, DATA, and
 * one `onComplete` or `onError`. A `false` from `onHeaders` or `onData`
 * pauses until the `resume` given with the headers is called.
 */
export interface LegacyHandler {
  onConnect?(abort: AbortCallback, context?: object): void;
  onResponseStarted?(): void;
  onHeaders?(status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean;
  onData?(chunk: Buffer): boolean;
  onComplete?(rawTrailers: Buffer[] | null): void;
  onError?(error: Error): void;
  onUpgrade?(status: number, rawHeaders: Buffer[], socket: unknown): void;
}

/** What a new-contract handler steers its request with. */
export interface DispatchController {
  abort(reason?: Error): void;
  pause(): void;
  resume(): void;
  readonly aborted: boolean;
  readonly paused: boolean;
  readonly reason: Error | null;
}

/** Headers as the new contract hands them: lower-case names. */
export type HeaderRecord = Record<string, string | string[]>;

/**
 * The contract undici ≥ 7 sends through its interceptors (`compose`): every
 * call carries the controller, and pausing is `controller.pause()`.
 */
export interface ControllerHandler {
  onRequestStart?(controller: DispatchController, context: object): void;
  onResponseStart?(
    controller: DispatchController,
    status: number,
    headers: HeaderRecord,
    statusMessage: string,
  ): void;
  onResponseData?(controller: DispatchController, chunk: Buffer): void;
  onResponseEnd?(controller: DispatchController, trailers: HeaderRecord): void;
  onResponseError?(controller: DispatchController, error: Error): void;
  onRequestUpgrade?(
    controller: DispatchController,
    status: number,
    headers: HeaderRecord,
    socket: unknown,
  ): void;
}

/** Either contract; a handler with `onRequestStart` is driven by the new one. */
export type DispatchHandler = LegacyHandler | ControllerHandler;

/** What undici's `dispatch(options, handler)` options carry that h2flow reads. */
export interface DispatchOptions {
  /** `https://host:port` or a URL; the agent keeps one client per origin. */
  readonly origin?: string | URL | undefined;
  /** Path with query, starting with `/`. */
  readonly path: string;
  /** HTTP method. */
  readonly method: string;
  /** A plain object, a flat `[name, value, …]` array, or an iterable of pairs. */
  readonly headers?: unknown;
  /** A string, bytes, an async iterable (a `Readable`, fetch's body generator), a Blob, or null. */
  readonly body?: unknown;
  /** Extra query parameters. */
  readonly query?: Record<string, unknown> | undefined;
  /** Set for WebSocket or CONNECT upgrades, which h2flow does not carry. */
  readonly upgrade?: string | null | undefined;
}
