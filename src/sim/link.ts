import type { HeapScheduler } from './heapScheduler.js';

/**
 * One direction of a client's network path: a FIFO serializer at
 * `bandwidthBytesPerS`, then a fixed propagation delay of half the RTT.
 *
 * A frame handed over at `nowMs` starts when the frames before it have left
 * (`busyUntilMs`), takes `bytes / bandwidth` to serialize, and arrives one
 * one-way delay after its last byte left. Transmission is computed when the
 * frame is handed over, so the link needs no events of its own. All of a
 * client's connections share its link, as they share a NIC and a path; with
 * unlimited bandwidth only the propagation delay remains.
 */
export class Link {
  /** Propagation delay, ms (RTT / 2). */
  readonly oneWayMs: number;
  readonly #msPerByte: number;
  #busyUntilMs = 0;
  #bytesSent = 0;

  constructor(rttMs: number, bandwidthBytesPerS: number) {
    this.oneWayMs = rttMs / 2;
    this.#msPerByte = Number.isFinite(bandwidthBytesPerS) ? 1000 / bandwidthBytesPerS : 0;
  }

  /** Puts `bytes` on the link at `nowMs`; returns when the last byte has left, ms. Arrival is that + {@link oneWayMs}. */
  transmit(bytes: number, nowMs: number): number {
    this.#bytesSent += bytes;
    if (this.#msPerByte === 0) return nowMs;
    const startMs = Math.max(this.#busyUntilMs, nowMs);
    this.#busyUntilMs = startMs + bytes * this.#msPerByte;
    return this.#busyUntilMs;
  }

  /** Bytes queued behind the serializer at `nowMs` (0 with unlimited bandwidth). */
  backlogBytes(nowMs: number): number {
    if (this.#msPerByte === 0 || this.#busyUntilMs <= nowMs) return 0;
    return (this.#busyUntilMs - nowMs) / this.#msPerByte;
  }

  /** Bytes handed to the link so far. */
  get bytesSent(): number {
    return this.#bytesSent;
  }
}

/** Bytes of an HTTP/2 frame header (RFC 9113 §4.1), counted on the link but not against flow control. */
export const frameHeaderBytes = 9;

/** Bytes of an RST_STREAM frame on the link (header + 4-byte error code). */
export const rstStreamFrameBytes = frameHeaderBytes + 4;

/**
 * Posts `fn(arg)` for `extraMs` after `leftAtMs` (when a frame's last byte
 * left, at or after now). A frame that leaves now arrives after a fixed
 * delay, which the scheduler keeps in a FIFO lane instead of its heap.
 */
export function deliver<A>(
  scheduler: HeapScheduler,
  leftAtMs: number,
  extraMs: number,
  fn: (arg: A) => void,
  arg: A,
): void {
  if (leftAtMs === scheduler.now()) scheduler.postAfter(extraMs, fn, arg);
  else scheduler.postAndForget(leftAtMs + extraMs, fn, arg);
}
