import { STATUS_CODES } from 'node:http';
import type { StreamControl, StreamEnd, StreamSink } from '../client/streamRequest.js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { ResponseHeaders } from '../transport/Transport.js';
import type {
  ControllerHandler,
  DispatchController,
  DispatchHandler,
  HeaderRecord,
  LegacyHandler,
} from './undiciHandlers.js';

/** A {@link StreamSink} over one undici handler, with the request's start and abort wired to it. */
export interface HandlerSink extends StreamSink {
  /** Tells the handler its request started (`onConnect` / `onRequestStart`); the reason if it aborted right there. */
  start(): Error | undefined;
  /** The reason the handler aborted before the client had the request, if it did. */
  earlyAbort(): Error | undefined;
  /** The client's control of the request, once the client has it. */
  attach(control: StreamControl): void;
  /** Settles a request the client never took (bad options, a closed agent, an abort in `start`). */
  fail(error: Error): void;
  /**
   * Settles the sink without a word to the handler, which another dispatcher
   * takes over; true unless it had settled already.
   */
  handOff(): boolean;
}

/** The sink for `handler`: the new contract if it has any of its methods, else the legacy one. */
export function handlerSink(handler: DispatchHandler): HandlerSink {
  return speaksControllerContract(handler)
    ? new ControllerSink(handler as ControllerHandler)
    : new LegacySink(handler as LegacyHandler);
}

const controllerMethods = [
  'onRequestStart',
  'onResponseStart',
  'onResponseData',
  'onResponseEnd',
  'onResponseError',
] as const;

/**
 * True for a handler of the new contract. undici itself looks only for
 * `onRequestStart`; a handler that implements only what it needs of the new
 * contract (say `onResponseData` and `onResponseError`) is read as one too.
 */
export function speaksControllerContract(handler: DispatchHandler): boolean {
  const h = handler as Record<string, unknown>;
  return controllerMethods.some((name) => typeof h[name] === 'function');
}

/**
 * What both contracts share: one settlement, an abort that reaches the
 * client once it has the request, and undici's rule for a handler that
 * throws: from the headers or a chunk, the request is aborted and the
 * handler hears its own error (undici's retry interceptor throws so to ask
 * for a retry); from the end, it hears it as `onError`.
 */
abstract class SinkBase implements HandlerSink {
  protected control: StreamControl | undefined;
  /** Set when the handler aborted before the client had the request. */
  protected early: Error | undefined;
  #settled = false;
  /** What a handler callback threw; it replaces the abort's error in the handler's `onError`. */
  #thrown: Error | undefined;

  abstract start(): Error | undefined;
  protected abstract headers(status: number, headers: ResponseHeaders): boolean;
  protected abstract data(chunk: Uint8Array): boolean;
  protected abstract ended(end: StreamEnd): void;
  protected abstract errored(error: Error): void;

  onHeaders(status: number, headers: ResponseHeaders): boolean {
    try {
      return this.headers(status, headers);
    } catch (error) {
      return this.#threw(error as Error);
    }
  }

  onData(chunk: Uint8Array): boolean {
    try {
      return this.data(chunk);
    } catch (error) {
      return this.#threw(error as Error);
    }
  }

  #threw(error: Error): false {
    this.#thrown ??= error;
    this.abortRequest(error);
    return false;
  }

  earlyAbort(): Error | undefined {
    return this.early;
  }

  attach(control: StreamControl): void {
    if (!this.#settled) this.control = control;
  }

  /** The handler's abort: through the client (counted as an abort, RST_STREAM(CANCEL) if in flight). */
  protected abortRequest(reason: Error | undefined): void {
    if (this.#settled) return;
    if (this.control !== undefined) this.control.abort();
    else this.early ??= reason ?? new Error('aborted before it was sent');
  }

  onEnd(end: StreamEnd): void {
    if (!this.#settle()) return;
    try {
      this.ended(end);
    } catch (error) {
      this.errored(error as Error);
    }
  }

  onError(error: H2flowError): void {
    this.fail(error);
  }

  fail(error: Error): void {
    if (this.#settle()) this.errored(this.#thrown ?? error);
  }

  handOff(): boolean {
    return this.#settle();
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.control = undefined;
    return true;
  }
}

/** Node 20's fetch and undici's `request`: raw Buffer headers, `false` to pause, `resume` to go on. */
class LegacySink extends SinkBase {
  readonly #resume = (): void => this.control?.resume();

  constructor(readonly handler: LegacyHandler) {
    super();
  }

  start(): Error | undefined {
    this.handler.onConnect?.((reason) => this.abortRequest(reason), {});
    return this.early;
  }

  protected headers(status: number, headers: ResponseHeaders): boolean {
    this.handler.onResponseStarted?.();
    const statusText = STATUS_CODES[status] ?? '';
    return (
      this.handler.onHeaders?.(status, rawHeaders(headers), this.#resume, statusText) !== false
    );
  }

  protected data(chunk: Uint8Array): boolean {
    return this.handler.onData?.(chunk as Buffer) !== false;
  }

  protected ended(end: StreamEnd): void {
    this.handler.onComplete?.(rawHeaders(end.trailers));
  }

  protected errored(error: Error): void {
    this.handler.onError?.(error);
  }
}

/** undici ≥ 7's interceptors: the handler steers with the controller, which this sink is. */
class ControllerSink extends SinkBase implements DispatchController {
  #paused = false;
  #aborted = false;
  #reason: Error | null = null;

  constructor(readonly handler: ControllerHandler) {
    super();
  }

  get paused(): boolean {
    return this.#paused;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): Error | null {
    return this.#reason;
  }

  abort(reason?: Error): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason ?? null;
    this.abortRequest(reason);
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.control?.resume();
  }

  start(): Error | undefined {
    this.handler.onRequestStart?.(this, {});
    return this.early;
  }

  protected headers(status: number, headers: ResponseHeaders): boolean {
    this.handler.onResponseStart?.(this, status, headerRecord(headers), STATUS_CODES[status] ?? '');
    return !this.#paused;
  }

  protected data(chunk: Uint8Array): boolean {
    this.handler.onResponseData?.(this, chunk as Buffer);
    return !this.#paused;
  }

  protected ended(end: StreamEnd): void {
    this.handler.onResponseEnd?.(this, headerRecord(end.trailers));
  }

  protected errored(error: Error): void {
    this.handler.onResponseError?.(this, error);
  }
}

/** Headers as undici's raw `[name, value, …]` Buffers, one pair per value. */
export function rawHeaders(headers: ResponseHeaders): Buffer[] {
  const raw: Buffer[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const key = Buffer.from(name, 'latin1');
    if (typeof value === 'string') raw.push(key, Buffer.from(value, 'latin1'));
    else for (const v of value) raw.push(key, Buffer.from(v, 'latin1'));
  }
  return raw;
}

/** Headers as the new contract's record (no undefined values). */
function headerRecord(headers: ResponseHeaders): HeaderRecord {
  const record: HeaderRecord = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) record[name] = typeof value === 'string' ? value : [...value];
  }
  return record;
}
