import {
  type CallCredentials,
  type ChannelInterface,
  type Deadline,
  type InterceptingListener,
  Metadata,
  type StatusObject,
  status,
} from '@grpc/grpc-js';
import type { H2flowError } from '../errors/H2flowError.js';
import type { Limiter } from '../limiter/Limiter.js';
import type { AcquireHandler, Acquisition, Permit } from '../limiter/permit.js';
import type { ChildChannel, ChildChannels } from './childChannels.js';
import { httpLikeStatus, refusedDetails, statusOfError } from './grpcStatus.js';
import { MessageOutbox } from './messageOutbox.js';

/** grpc-js's call, as `ChannelInterface.createCall` returns it (not exported by name). */
export type GrpcCall = ReturnType<ChannelInterface['createCall']>;
type MessageContext = Parameters<GrpcCall['sendMessageWithContext']>[0];
type ParentCall = Parameters<ChannelInterface['createCall']>[3];

/** REFUSED_STREAM (RFC 9113 §7). */
const refusedStreamCode = 7;

/** What every call of one h2flow channel shares. */
export interface CallHost {
  readonly limiter: Limiter;
  readonly children: ChildChannels;
  readonly target: string;
  /** The budget of a call without a deadline, ms. */
  readonly noDeadlineBudgetMs: number;
  nextCallNumber(): number;
}

/** The grpc-js call's own arguments, passed on to the real call when a slot is granted. */
export interface CallArgs {
  readonly method: string;
  readonly deadline: Deadline;
  readonly host: string | null | undefined;
  readonly parentCall: ParentCall;
  readonly propagateFlags: number | null | undefined;
}

/**
 * One gRPC call admitted through h2flow's limiter. grpc-js drives it like
 * any call (`start`, `startRead`, `sendMessageWithContext`, `halfClose`,
 * synchronously for a unary call); it asks the limiter for a slot in
 * `start`, with the call's deadline as its budget, buffers what comes before
 * the grant (as grpc-js's own `ResolvingCall` does before name resolution),
 * then starts a real call on the least loaded child channel and replays it.
 * A call the limiter sheds ends before anything is sent, with
 * RESOURCE_EXHAUSTED and details naming the reason and the budget
 * breakdown. A stream the server refuses is retried once (on a grant of
 * its own, so perhaps another connection), with the messages it sent.
 * The caller's listener hears one status, always asynchronously.
 */
export class AdmittedCall implements GrpcCall, AcquireHandler<StatusObject> {
  readonly #host: CallHost;
  readonly #args: CallArgs;
  readonly #callNumber: number;
  #credentials: CallCredentials | undefined;
  #metadata: Metadata | undefined;
  #listener: InterceptingListener | undefined;
  /** What the caller sends, held before the grant and kept for a resend after a refusal. */
  readonly #outbox = new MessageOutbox(() => this.#permit?.sent());
  /** Messages received: more than one makes it a stream (no latency sample). */
  #receivedCount = 0;
  /** The caller asked for a message that has not come yet: each attempt, a retry too, asks again. */
  #readRequested = false;
  #real: GrpcCall | undefined;
  #permit: Permit<StatusObject> | undefined;
  #acquisition: Acquisition | undefined;
  #cancelledBy: { code: number; details: string } | undefined;
  #ended = false;

  constructor(host: CallHost, args: CallArgs) {
    this.#host = host;
    this.#args = args;
    this.#callNumber = host.nextCallNumber();
  }

  start(metadata: Metadata, listener: InterceptingListener): void {
    this.#metadata = metadata;
    this.#listener = listener;
    if (this.#cancelledBy !== undefined) {
      this.#end({ ...this.#cancelledBy, metadata: new Metadata() });
      return;
    }
    const deadlineMs =
      this.#args.deadline instanceof Date ? this.#args.deadline.getTime() : this.#args.deadline;
    const remainingMs = deadlineMs - Date.now();
    const hasDeadline = Number.isFinite(remainingMs);
    const budgetMs = hasDeadline ? remainingMs : this.#host.noDeadlineBudgetMs;
    if (!(budgetMs > 0)) {
      this.#end({
        code: status.DEADLINE_EXCEEDED,
        details: 'Deadline exceeded before the call started',
        metadata: new Metadata(),
      });
      return;
    }
    // A call without a deadline waits at most `noDeadlineBudgetMs` for a slot, then runs as long as it
    // runs, as grpc-js would run it: a watch stream is not cut short by a timer the caller never set.
    this.#acquisition = this.#host.limiter.acquire({ budgetMs, waitOnly: !hasDeadline }, this);
  }

  onGrant(permit: Permit<StatusObject>): void {
    this.#permit = permit;
    const child = this.#host.children.take();
    if (child === undefined) {
      permit.notSent();
      return;
    }
    const a = this.#args;
    const real = child.channel.createCall(
      a.method,
      a.deadline,
      a.host,
      a.parentCall,
      a.propagateFlags,
    );
    this.#real = real;
    permit.onCancel = () =>
      real.cancelWithStatus(
        this.#cancelledBy?.code ?? status.DEADLINE_EXCEEDED,
        this.#cancelledBy?.details ?? 'h2flow: the call reached its deadline',
      );
    if (this.#credentials !== undefined) real.setCredentials(this.#credentials);
    real.start(this.#metadata!, this.#attemptListener(real, child));
    if (this.#readRequested) real.startRead();
    this.#outbox.attach(real);
  }

  onSettle(error: H2flowError | undefined, end: StatusObject | undefined): void {
    if (error === undefined) {
      this.#end(end!);
      return;
    }
    const mapped = statusOfError(error);
    const by = this.#cancelledBy;
    this.#end({
      ...(by !== undefined && mapped.code === status.CANCELLED ? by : mapped),
      metadata: new Metadata(),
    });
  }

  sendMessageWithContext(context: MessageContext, message: Buffer): void {
    if (!this.#ended) this.#outbox.push(context, message);
  }

  startRead(): void {
    this.#readRequested = true;
    this.#real?.startRead();
  }

  halfClose(): void {
    if (!this.#ended) this.#outbox.halfClose();
  }

  cancelWithStatus(code: number, details: string): void {
    if (this.#ended || this.#cancelledBy !== undefined) return;
    this.#cancelledBy = { code, details };
    // Before start there is nothing to abort: start ends the call.
    this.#acquisition?.abort();
  }

  getPeer(): string {
    return this.#real?.getPeer() ?? this.#host.target;
  }

  getCallNumber(): number {
    return this.#callNumber;
  }

  setCredentials(credentials: CallCredentials): void {
    this.#credentials = credentials;
    this.#real?.setCredentials(credentials);
  }

  getAuthContext(): ReturnType<GrpcCall['getAuthContext']> {
    return this.#real?.getAuthContext() ?? null;
  }

  /** One attempt's listener: passes messages on, and turns its status into the permit's end. */
  #attemptListener(real: GrpcCall, child: ChildChannel): InterceptingListener {
    let done = false;
    return {
      onReceiveMetadata: (metadata) => {
        if (this.#real !== real || this.#ended) return;
        this.#outbox.answered();
        this.#permit?.headers();
        this.#listener?.onReceiveMetadata(metadata);
      },
      onReceiveMessage: (message) => {
        if (this.#real !== real || this.#ended) return;
        this.#receivedCount++;
        this.#readRequested = false; // before the listener, which may ask for the next at once
        this.#listener?.onReceiveMessage(message);
      },
      onReceiveStatus: (s) => {
        if (done) return;
        done = true;
        this.#host.children.release(child);
        this.#host.limiter.capacityChanged();
        this.#reportEnd(s);
      },
    };
  }

  /** The real call's status as the permit's one end for this attempt. */
  #reportEnd(s: StatusObject): void {
    const permit = this.#permit!;
    if (this.#ended || s.code === status.CANCELLED || s.code === status.DEADLINE_EXCEEDED) {
      // Cancelled on the wire: by h2flow (its deadline, the caller's cancel) or by grpc-js's own
      // deadline timer, which fires with h2flow's; the limiter settles it by why it cancelled.
      permit.cancelled(true);
    } else if (
      s.code === status.UNAVAILABLE &&
      s.details === refusedDetails &&
      this.#outbox.replayable
    ) {
      this.#real = undefined;
      this.#outbox.detach();
      permit.retry('refused-stream', refusedStreamCode);
    } else {
      const streaming = this.#outbox.sentCount > 1 || this.#receivedCount > 1;
      permit.respond(httpLikeStatus(s.code), s, { streaming });
    }
  }

  /** Hands the caller its one status, on a later tick (grpc-js's callers expect it after `start` returns). */
  #end(s: StatusObject): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#outbox.clear();
    const listener = this.#listener;
    process.nextTick(() => listener?.onReceiveStatus(s));
  }
}
