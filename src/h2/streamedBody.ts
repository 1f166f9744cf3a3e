import type { ClientHttp2Stream } from 'node:http2';

/**
 * A response body handed to a streaming listener (`DispatchListener.onData`)
 * as DATA arrives, with the listener's pause and resume. It holds chunks
 * while the listener cannot take them: before the response's headers have
 * been handed on (node:http2 emits `'response'` on the tick after it read
 * the HEADERS, and DATA read with them comes first), and while paused. A
 * stream that closes with chunks still held waits for them: {@link whenDrained}.
 */
export class StreamedBody {
  readonly #onData: (chunk: Uint8Array) => boolean;
  readonly #stream: () => ClientHttp2Stream | undefined;
  readonly #held: Buffer[] = [];
  #headersHandedOn = false;
  #paused = false;
  #dropped = false;
  #drained: (() => void) | undefined;

  constructor(onData: (chunk: Uint8Array) => boolean, stream: () => ClientHttp2Stream | undefined) {
    this.#onData = onData;
    this.#stream = stream;
  }

  /** True while chunks wait for the listener. */
  get holding(): boolean {
    return this.#held.length > 0;
  }

  /** The headers were handed on: chunks read before them go now. */
  headersHandedOn(): void {
    this.#headersHandedOn = true;
    this.#deliver();
  }

  /** A DATA chunk arrived. */
  data(chunk: Buffer): void {
    if (this.#dropped) return;
    if (!this.#headersHandedOn || this.#paused || this.#held.length > 0) this.#held.push(chunk);
    else if (!this.#onData(chunk)) this.pause();
  }

  /** Stops handing chunks on (and the peer, at the windows) until {@link resume}. */
  pause(): void {
    this.#paused = true;
    this.#stream()?.pause();
  }

  /** Hands on what is held, then lets the stream flow again. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#stream()?.resume();
    this.#deliver();
  }

  /** The request is cancelled: nothing more is handed on. */
  drop(): void {
    this.#dropped = true;
    this.#held.length = 0;
  }

  /** Calls `then` once no chunk is held (at once if none is). */
  whenDrained(then: () => void): void {
    if (this.#held.length === 0) then();
    else this.#drained = then;
  }

  #deliver(): void {
    while (this.#held.length > 0 && !this.#paused && !this.#dropped && this.#headersHandedOn) {
      if (!this.#onData(this.#held.shift()!)) this.pause();
    }
    if (this.#held.length === 0 && this.#drained !== undefined) {
      const drained = this.#drained;
      this.#drained = undefined;
      drained();
    }
  }
}
