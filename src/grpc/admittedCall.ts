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
  /** Messages sent so far, kept for a retry until the server answers (then nothing can be refused). */
  #messages: { context: MessageContext; message: Buffer }[] | undefined = [];
  #readPending = false;
  #halfClosed = false;
  #real: GrpcCall | undefined;
  #permit: Permit<StatusObject> | undefined;
  #acquisition: Acquisition | undefined;
  #answered = false;
  #attempts = 0;
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
    const budgetMs = Number.isFinite(remainingMs) ? remainingMs : this.#host.noDeadlineBudgetMs;
    if (!(budgetMs > 0)) {
      this.#end({
        code: status.DEADLINE_EXCEEDED,
        details: 'Deadline exceeded before the call started',
        metadata: new Metadata(),
      });
      return;
    }
    this.#acquisition = this.#host.limiter.acquire({ budgetMs }, this);
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
    const retry = this.#attempts++ > 0;
    permit.onCancel = () =>
      real.cancelWithStatus(
        this.#cancelledBy?.code ?? status.DEADLINE_EXCEEDED,
        this.#cancelledBy?.details ?? 'h2flow: the call reached its deadline',
      );
    if (this.#credentials !== undefined) real.setCredentials(this.#credentials);
    real.start(this.#metadata!, this.#attemptListener(real, child));
    if (this.#readPending) real.startRead();
    // A retry sends the messages again without their callbacks: those fired on the first attempt.
    for (const m of this.#messages ?? []) {
      real.sendMessageWithContext(retry ? withoutCallback(m.context) : m.context, m.message);
    }
    if (this.#halfClosed) {
      real.halfClose();
      permit.sent();
    }
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
    if (this.#ended) return;
    this.#messages?.push({ context, message });
    this.#real?.sendMessageWithContext(context, message);
  }

  startRead(): void {
    if (this.#real !== undefined) this.#real.startRead();
    else this.#readPending = true;
  }

  halfClose(): void {
    this.#halfClosed = true;
    if (this.#real === undefined) return;
    this.#real.halfClose();
    this.#permit?.sent();
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
        this.#answered = true;
        this.#messages = undefined;
        this.#permit?.headers();
        this.#listener?.onReceiveMetadata(metadata);
      },
      onReceiveMessage: (message) => {
        if (this.#real === real && !this.#ended) this.#listener?.onReceiveMessage(message);
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
      !this.#answered &&
      this.#messages !== undefined
    ) {
      this.#real = undefined;
      permit.retry('refused-stream', refusedStreamCode);
    } else {
      permit.respond(httpLikeStatus(s.code), s);
    }
  }

  /** Hands the caller its one status, on a later tick (grpc-js's callers expect it after `start` returns). */
  #end(s: StatusObject): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#messages = undefined;
    const listener = this.#listener;
    process.nextTick(() => listener?.onReceiveStatus(s));
  }
}

/** A message's context without its write callback (for a resend: the callback fired the first time). */
function withoutCallback(context: MessageContext): MessageContext {
  return context.flags === undefined ? {} : { flags: context.flags };
}
