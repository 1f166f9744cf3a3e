import { replayLimitBytes } from '../core/replayLimit.js';

/**
 * A streamed request body that can be sent again if the server provably did
 * not process it (REFUSED_STREAM, or a GOAWAY below its stream id): it keeps
 * the chunks it has read while they total at most {@link replayLimitBytes}.
 * Each `[Symbol.asyncIterator]()` is one attempt: it yields what was kept,
 * then reads on from the source. A body that outgrew the limit cannot be
 * replayed (`replayable` is false), so such a request fails rather than
 * being sent short. An attempt that stops early leaves the source open for
 * the next one; {@link close} ends it for good.
 */
export class ReplayableBody implements AsyncIterable<Uint8Array> {
  readonly #source: AsyncIterator<Uint8Array>;
  #kept: Uint8Array[] | undefined = [];
  #keptBytes = 0;
  #exhausted = false;
  #closed = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]();
  }

  /** True while every byte read so far is kept: another attempt can send the whole body. */
  get replayable(): boolean {
    return this.#kept !== undefined;
  }

  /** Ends the source (its `finally` runs); later attempts read nothing more from it. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#kept = undefined;
    if (!this.#exhausted) void this.#source.return?.()?.catch(() => {});
  }

  /** One attempt: what was kept so far, then the source from where it stands (an iterator, not a generator: one await less per chunk). */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const replay = this.#kept;
    if (replay === undefined) throw new Error('the request body was a stream already sent once');
    const replayCount = replay.length;
    let replayed = 0;
    const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        if (replayed < replayCount) return { done: false, value: replay[replayed++]! };
        if (this.#exhausted || this.#closed) return finished;
        const next = await this.#source.next();
        if (next.done) {
          this.#exhausted = true;
          return finished;
        }
        this.#keep(next.value);
        return next;
      },
      // An attempt that stops early leaves the source to the next one; close() ends it.
      return: async (): Promise<IteratorResult<Uint8Array>> => finished,
    };
  }

  #keep(chunk: Uint8Array): void {
    if (this.#kept === undefined) return;
    this.#keptBytes += chunk.byteLength;
    if (this.#keptBytes > replayLimitBytes) this.#kept = undefined;
    else this.#kept.push(chunk);
  }
}
