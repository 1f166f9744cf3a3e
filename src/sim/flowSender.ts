import type { HeapScheduler, PostedEvent } from './heapScheduler.js';
import { frameHeaderBytes, type Link } from './link.js';

/** One stream's body in one direction, as a {@link FlowSender} sees it. */
export class FlowItem<T> {
  /** Bytes the peer lets this stream send now (stream-level window). */
  windowBytes: number;
  /** Body bytes not yet put on the link. */
  pendingBytes = 0;
  /** When the body was handed to the sender, ms. */
  enqueuedAtMs = 0;
  /** True once the body had to wait for WINDOW_UPDATE credit. */
  stalled = false;
  /** @internal Bytes the receiver consumed on this stream and has not yet credited back. */
  unackedBytes = 0;
  /** @internal In the round-robin ring. */
  inRing = false;
  /** @internal Waiting for its own stream window. */
  blocked = false;
  /** @internal RST_STREAM: nothing more will be sent. */
  aborted = false;

  constructor(
    /** What the body belongs to (the stream). */
    readonly owner: T,
    initialWindowBytes: number,
  ) {
    this.windowBytes = initialWindowBytes;
  }
}

/**
 * The DATA sender of one direction of one connection, with HTTP/2 flow
 * control (RFC 9113 §5.2, §6.9), and the receiver's WINDOW_UPDATE policy.
 *
 * A sender may put at most min(stream window, connection window) bytes of
 * DATA on the wire. Frames carry at most `maxFrameBytes`; streams with data
 * take turns frame by frame (round robin, as nghttp2 does for equal
 * weights). The receiver consumes each frame as it arrives and, as nghttp2
 * does, sends WINDOW_UPDATE once the bytes it consumed and has not yet
 * credited reach half the initial window, separately for the connection
 * and for a stream that still has data to come. The credit reaches the
 * sender one one-way delay after that frame arrived: one RTT (plus
 * serialization) after the frame left. Batching matters: crediting every
 * frame back at once would fragment the window into ever smaller frames.
 *
 * Credits come back in the order frames left (the link is FIFO), so they
 * wait in a plain queue and are applied lazily, when the sender next needs
 * window; only a sender actually blocked on window schedules a wake-up
 * event, so small bodies cost no extra events.
 */
export class FlowSender<T> {
  readonly #scheduler: HeapScheduler;
  readonly #link: Link;
  readonly #maxFrameBytes: number;
  readonly #onFinished: (item: FlowItem<T>, lastByteLeftAtMs: number) => void;
  #connectionWindowBytes: number;
  readonly #ring: (FlowItem<T> | undefined)[] = [];
  #ringHead = 0;
  #ringLive = 0;
  #blocked = 0;
  readonly #streamUpdateBytes: number;
  readonly #connectionUpdateBytes: number;
  #connectionUnackedBytes = 0;
  // WINDOW_UPDATEs on their way back: when they land, connection credit, stream credit and
  // its stream (parallel queues, so a frame costs no allocation).
  readonly #creditAtMs: number[] = [];
  readonly #creditConnectionBytes: number[] = [];
  readonly #creditStreamBytes: number[] = [];
  readonly #creditItem: (FlowItem<T> | undefined)[] = [];
  #creditHead = 0;
  #pendingBytes = 0;
  #wake: PostedEvent<FlowSender<unknown>> | undefined;

  /**
   * @param onFinished called when the last byte of an item's body has been
   *   put on the link, with the time it left; its arrival is that plus the
   *   link's one-way delay.
   */
  constructor(
    scheduler: HeapScheduler,
    link: Link,
    windows: {
      readonly streamWindowBytes: number;
      readonly connectionWindowBytes: number;
      readonly maxFrameBytes: number;
    },
    onFinished: (item: FlowItem<T>, lastByteLeftAtMs: number) => void,
  ) {
    const { streamWindowBytes, connectionWindowBytes, maxFrameBytes } = windows;
    this.#scheduler = scheduler;
    this.#link = link;
    this.#connectionWindowBytes = connectionWindowBytes;
    // nghttp2_should_send_window_update: recv_window_size >= local_window_size / 2 in int32
    // arithmetic, so 32,767 for the default 65,535. A fractional half (32,767.5) kept the last
    // 16,383-byte frame of each default window uncredited until the next frame arrived.
    this.#streamUpdateBytes = Math.floor(streamWindowBytes / 2);
    this.#connectionUpdateBytes = Math.floor(connectionWindowBytes / 2);
    this.#maxFrameBytes = maxFrameBytes;
    this.#onFinished = onFinished;
  }

  /** Hands `bytes` of body to send for `item`; sends what the windows allow now. */
  send(item: FlowItem<T>, bytes: number): void {
    const nowMs = this.#scheduler.now();
    item.enqueuedAtMs = nowMs;
    item.pendingBytes = bytes;
    this.#pendingBytes += bytes;
    this.#enqueue(item);
    this.#pump(nowMs);
  }

  /** Stops sending `item` (RST_STREAM): its unsent bytes are dropped. */
  abort(item: FlowItem<T>): void {
    if (item.aborted) return;
    item.aborted = true;
    this.#pendingBytes -= item.pendingBytes;
    item.pendingBytes = 0;
    if (item.inRing) this.#ringLive--;
    if (item.blocked) {
      item.blocked = false;
      this.#blocked--;
    }
  }

  /** The connection-level send window at `nowMs`, bytes (credit that has arrived applied). */
  windowBytes(nowMs: number): number {
    this.#applyCredits(nowMs);
    return this.#connectionWindowBytes;
  }

  /** Body bytes waiting for window. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  #enqueue(item: FlowItem<T>): void {
    item.inRing = true;
    this.#ring.push(item);
    this.#ringLive++;
  }

  #dequeue(): FlowItem<T> | undefined {
    const ring = this.#ring;
    while (this.#ringHead < ring.length) {
      const item = ring[this.#ringHead]!;
      ring[this.#ringHead++] = undefined;
      if (!item.inRing) continue;
      item.inRing = false;
      if (item.aborted) continue;
      this.#ringLive--;
      return item;
    }
    return undefined;
  }

  #pump(nowMs: number): void {
    this.#applyCredits(nowMs);
    const link = this.#link;
    const creditDelayMs = 2 * link.oneWayMs;
    while (this.#connectionWindowBytes > 0 && this.#ringLive > 0) {
      const item = this.#dequeue();
      if (item === undefined) break;
      if (item.windowBytes <= 0) {
        item.blocked = true;
        this.#blocked++;
        continue;
      }
      const chunk = Math.min(
        item.pendingBytes,
        item.windowBytes,
        this.#connectionWindowBytes,
        this.#maxFrameBytes,
      );
      if (nowMs > item.enqueuedAtMs) item.stalled = true;
      item.pendingBytes -= chunk;
      item.windowBytes -= chunk;
      this.#connectionWindowBytes -= chunk;
      this.#pendingBytes -= chunk;
      const leftAtMs = link.transmit(chunk + frameHeaderBytes, nowMs);
      this.#received(item, chunk, leftAtMs + creditDelayMs);
      if (item.pendingBytes === 0) this.#onFinished(item, leftAtMs);
      else if (item.windowBytes > 0) this.#enqueue(item);
      else {
        item.blocked = true;
        this.#blocked++;
      }
    }
    this.#compact();
    if ((this.#ringLive > 0 || this.#blocked > 0) && this.#creditHead < this.#creditAtMs.length) {
      const nextMs = this.#creditAtMs[this.#creditHead]!;
      const wake = this.#wake;
      if (wake === undefined || !wake.pending || wake.atMs > nextMs) {
        if (wake !== undefined) this.#scheduler.cancel(wake);
        this.#wake = this.#scheduler.post(nextMs, wakeSender, this as FlowSender<unknown>);
      }
    }
  }

  /** The receiver consumed `chunk` bytes of `item`; queue the WINDOW_UPDATEs this triggers, landing at `creditAtMs`. */
  #received(item: FlowItem<T>, chunk: number, creditAtMs: number): void {
    let connectionCredit = 0;
    this.#connectionUnackedBytes += chunk;
    if (this.#connectionUnackedBytes >= this.#connectionUpdateBytes) {
      connectionCredit = this.#connectionUnackedBytes;
      this.#connectionUnackedBytes = 0;
    }
    let streamCredit = 0;
    // No stream WINDOW_UPDATE once the stream's last DATA (END_STREAM) is in.
    if (item.pendingBytes > 0) {
      item.unackedBytes += chunk;
      if (item.unackedBytes >= this.#streamUpdateBytes) {
        streamCredit = item.unackedBytes;
        item.unackedBytes = 0;
      }
    }
    if (connectionCredit === 0 && streamCredit === 0) return;
    this.#creditAtMs.push(creditAtMs);
    this.#creditConnectionBytes.push(connectionCredit);
    this.#creditStreamBytes.push(streamCredit);
    this.#creditItem.push(streamCredit > 0 ? item : undefined);
  }

  /** @internal Wake-up after credit arrived. */
  wake(): void {
    this.#wake = undefined;
    this.#pump(this.#scheduler.now());
  }

  #applyCredits(nowMs: number): void {
    const atMs = this.#creditAtMs;
    while (this.#creditHead < atMs.length) {
      const head = this.#creditHead;
      if (atMs[head]! > nowMs) break;
      const item = this.#creditItem[head];
      this.#creditItem[head] = undefined;
      this.#creditHead++;
      this.#connectionWindowBytes += this.#creditConnectionBytes[head]!;
      if (item === undefined) continue;
      item.windowBytes += this.#creditStreamBytes[head]!;
      if (item.blocked && !item.aborted) {
        item.blocked = false;
        this.#blocked--;
        this.#enqueue(item);
      }
    }
  }

  /** Drops consumed queue slots once they dominate, so memory tracks what is live. */
  #compact(): void {
    if (this.#ringHead > 1024 && this.#ringHead * 2 > this.#ring.length) {
      this.#ring.splice(0, this.#ringHead);
      this.#ringHead = 0;
    }
    if (this.#creditHead > 1024 && this.#creditHead * 2 > this.#creditAtMs.length) {
      this.#creditAtMs.splice(0, this.#creditHead);
      this.#creditConnectionBytes.splice(0, this.#creditHead);
      this.#creditStreamBytes.splice(0, this.#creditHead);
      this.#creditItem.splice(0, this.#creditHead);
      this.#creditHead = 0;
    }
  }
}

function wakeSender(sender: FlowSender<unknown>): void {
  sender.wake();
}
