import type { Observable, SchedulerLike, Subscription } from 'rxjs';
import {
  createTokenBucket,
  msUntilToken,
  retarget,
  type TokenBucket,
  takeToken,
} from '../core/tokenBucket.js';

/** The limit a {@link RateGate} follows: a controller decision, or anything shaped like one. */
export interface RateLimit {
  /** The rate to enforce, req/s. */
  readonly rateTps: number;
  /** Enforce it; when false every take succeeds. */
  readonly limiting: boolean;
}

/** Options of a {@link RateGate}. */
export interface RateGateOptions {
  /** The bucket's rate once a first limit arrives, req/s, before any decision retargets it. */
  readonly initialRateTps: number;
  /** Bucket depth, in ms of the current rate (depth = max(1, rate × burstMs / 1000) tokens). Default 100. */
  readonly burstMs: number;
}

/** Defaults for {@link RateGateOptions} (initial rate comes from the controller options). */
export const defaultRateGateOptions: Pick<RateGateOptions, 'burstMs'> = Object.freeze({
  burstMs: 100,
});

/**
 * A token bucket whose rate follows `limits$` (the controller's decisions),
 * read on `scheduler`'s clock. It sits at admission: a request that finds no
 * token is shed at once, before it can queue or reach the wire. It starts
 * open, and enforces a rate only while the latest limit is `limiting` (a
 * congestion episode): a healthy path never loses a request to it.
 *
 * Exact under virtual time and free of drift over long runs: token counts are
 * derived from the epoch of the last rate change (see core/tokenBucket.ts),
 * never accumulated step by step.
 */
export class RateGate {
  #bucket: TokenBucket;
  #limiting = false;
  readonly #burstMs: number;
  readonly #scheduler: SchedulerLike;
  readonly #subscription: Subscription;

  constructor(limits$: Observable<RateLimit>, options: RateGateOptions, scheduler: SchedulerLike) {
    this.#burstMs = options.burstMs;
    this.#scheduler = scheduler;
    this.#bucket = createTokenBucket(
      options.initialRateTps,
      depth(options.initialRateTps, options.burstMs),
      scheduler.now(),
    );
    this.#subscription = limits$.subscribe(({ rateTps, limiting }) => {
      this.#limiting = limiting;
      this.#bucket = retarget(
        this.#bucket,
        rateTps,
        depth(rateTps, this.#burstMs),
        this.#scheduler.now(),
      );
    });
  }

  /** The rate in force, req/s. */
  get rateTps(): number {
    return this.#bucket.rateTps;
  }

  /** True while a rate is enforced. */
  get limiting(): boolean {
    return this.#limiting;
  }

  /** Takes a token if one is available now; always succeeds while not {@link limiting}. */
  tryTake(): boolean {
    if (!this.#limiting) return true;
    const next = takeToken(this.#bucket, this.#scheduler.now());
    if (next === undefined) return false;
    this.#bucket = next;
    return true;
  }

  /** Milliseconds until the next token (0 if one is available). */
  msUntilToken(): number {
    return msUntilToken(this.#bucket, this.#scheduler.now());
  }

  /** Stops following the rate stream. */
  dispose(): void {
    this.#subscription.unsubscribe();
  }
}

function depth(rateTps: number, burstMs: number): number {
  return Math.max(1, (rateTps * burstMs) / 1000);
}
