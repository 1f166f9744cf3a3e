import type { ChannelInterface } from '@grpc/grpc-js';
import { replayLimitBytes } from '../core/replayLimit.js';

type GrpcCall = ReturnType<ChannelInterface['createCall']>;
type MessageContext = Parameters<GrpcCall['sendMessageWithContext']>[0];

/** One message the caller sent, and its write callback until it fires. */
interface Outgoing {
  readonly message: Buffer;
  readonly flags: number | undefined;
  callback: (() => void) | undefined;
}

/**
 * What a gRPC call sends, between the caller and one real call at a time:
 * its messages, then its half-close. It holds what comes before a real call
 * exists, and writes to the real call one message at a time, the next after
 * the last one's write callback, as grpc-js's own streams do (grpc-js's
 * call stack holds a single pending message). Until the server answers, and
 * while they total at most {@link replayLimitBytes}, it keeps the messages
 * written, so a refused call can {@link attach} a new real call and resend
 * them; each caller's callback fires once, on the first write.
 */
export class MessageOutbox {
  /** Messages not yet written to the current call, after (while replayable) those written. */
  readonly #queue: Outgoing[] = [];
  #written = 0;
  #writing = false;
  #keptBytes = 0;
  #replayable = true;
  #halfClosed = false;
  #halfCloseSent = false;
  #sentCount = 0;
  #real: GrpcCall | undefined;
  readonly #onHalfCloseSent: () => void;

  /** `onHalfCloseSent` hears each real call's half-close (the request is fully sent). */
  constructor(onHalfCloseSent: () => void) {
    this.#onHalfCloseSent = onHalfCloseSent;
  }

  /** Messages the caller sent: more than one makes the call a stream. */
  get sentCount(): number {
    return this.#sentCount;
  }

  /** Whether a refused call can be resent whole: nothing answered, nothing forgotten. */
  get replayable(): boolean {
    return this.#replayable;
  }

  /** The caller sends a message. */
  push(context: MessageContext, message: Buffer): void {
    this.#sentCount++;
    this.#keptBytes += message.length;
    this.#queue.push({ message, flags: context.flags, callback: context.callback });
    this.#flush();
  }

  /** The caller half-closes: sent once every message before it is written. */
  halfClose(): void {
    this.#halfClosed = true;
    this.#flush();
  }

  /** Writes everything so far to `real`, a new attempt (for a retry: every kept message again). */
  attach(real: GrpcCall): void {
    this.#real = real;
    this.#written = 0;
    this.#writing = false;
    this.#halfCloseSent = false;
    this.#flush();
  }

  /** The current real call ended; nothing is written until the next {@link attach}. */
  detach(): void {
    this.#real = undefined;
  }

  /** The server answered: nothing can be refused now, so written messages need not be kept. */
  answered(): void {
    this.#replayable = false;
    this.#forgetWritten();
  }

  /** The call ended: drop everything. */
  clear(): void {
    this.#queue.length = 0;
    this.#written = 0;
    this.#real = undefined;
    this.#replayable = false;
  }

  #flush(): void {
    const real = this.#real;
    if (real === undefined || this.#writing) return;
    const next = this.#queue[this.#written];
    if (next !== undefined) {
      this.#written++;
      this.#writing = true;
      const context: MessageContext = {
        callback: () => {
          if (this.#real !== real) return; // a refused attempt's: the resend fires the caller's
          this.#writing = false;
          const callback = next.callback;
          next.callback = undefined;
          callback?.();
          this.#flush();
        },
      };
      if (next.flags !== undefined) context.flags = next.flags;
      real.sendMessageWithContext(context, next.message);
      return;
    }
    if (this.#keptBytes > replayLimitBytes) this.#replayable = false;
    this.#forgetWritten();
    if (this.#halfClosed && !this.#halfCloseSent) {
      this.#halfCloseSent = true;
      real.halfClose();
      this.#onHalfCloseSent();
    }
  }

  /** Once not replayable, written messages are not kept. */
  #forgetWritten(): void {
    if (this.#replayable || this.#writing) return;
    this.#queue.splice(0, this.#written);
    this.#written = 0;
  }
}
