import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { TokenBucket } from '../../src/core/tokenBucket.js';
import {
  createTokenBucket,
  msUntilToken,
  retarget,
  takeToken,
  tokensAt,
} from '../../src/core/tokenBucket.js';
import { logUniformArb, uniformArb } from './arbitraries.js';

/** Takes every whole token available at `nowMs`; returns the bucket and how many were taken. */
function drain(b: TokenBucket, nowMs: number): [TokenBucket, number] {
  let bucket = b;
  let taken = 0;
  for (;;) {
    const next = takeToken(bucket, nowMs);
    if (next === undefined) return [bucket, taken];
    bucket = next;
    taken += 1;
  }
}

describe('token bucket', () => {
  it('starts full', () => {
    const b = createTokenBucket(100, 10, 0);
    expect(tokensAt(b, 0)).toBe(10);
    expect(drain(b, 0)[1]).toBe(10);
  });

  it('refuses a take when less than one token is left', () => {
    const [empty] = drain(createTokenBucket(100, 3, 0), 0);
    expect(takeToken(empty, 0)).toBeUndefined();
    // 100 tokens/s is one every 10 ms.
    expect(takeToken(empty, 9.9)).toBeUndefined();
    expect(takeToken(empty, 10)).toBeDefined();
  });

  it('earns tokens at rateTps', () => {
    const [empty] = drain(createTokenBucket(250, 1000, 0), 0);
    expect(tokensAt(empty, 1000)).toBeCloseTo(250, 9);
    expect(drain(empty, 2000)[1]).toBe(500);
  });

  it('never holds more than burst, and forfeits what it earns while full', () => {
    const full = createTokenBucket(1000, 5, 0);
    expect(tokensAt(full, 60_000)).toBe(5);
    const [after, taken] = drain(full, 60_000);
    expect(taken).toBe(5);
    // A take at the cap re-anchors there; the minute spent full adds nothing later.
    expect(tokensAt(after, 60_001)).toBeCloseTo(1, 9);
  });

  it('keeps the tokens earned so far when the rate changes', () => {
    const [empty] = drain(createTokenBucket(100, 50, 0), 0);
    const b = retarget(empty, 1000, 50, 100); // 10 tokens earned at 100/s
    expect(tokensAt(b, 100)).toBeCloseTo(10, 9);
    expect(tokensAt(b, 110)).toBeCloseTo(20, 9); // then 1 per ms
  });

  it('caps the kept tokens at the new burst', () => {
    const b = retarget(createTokenBucket(100, 50, 0), 100, 8, 0);
    expect(tokensAt(b, 0)).toBe(8);
  });

  it('says how long until the next token', () => {
    const [empty] = drain(createTokenBucket(200, 4, 0), 0);
    expect(msUntilToken(empty, 0)).toBeCloseTo(5, 9);
    expect(msUntilToken(empty, 2)).toBeCloseTo(3, 9);
    expect(msUntilToken(empty, 5)).toBe(0);
    expect(msUntilToken(retarget(empty, 0, 4, 0), 0)).toBe(Infinity);
  });

  it('does not drift over millions of takes with rate changes', () => {
    // Rates that are not binary fractions, changed every 1.7 s, ticks of 0.7 ms.
    const rates = [333.3, 12_345.6, 7, 4999.9, 1000 / 3, 25_000];
    const burst = 100;
    // Empty it at t = 0: a full bucket rightly forfeits what it earns while full.
    let [bucket, taken] = drain(createTokenBucket(rates[0] ?? 0, burst, 0), 0);
    let expected = burst; // the starting fill, all taken at t = 0
    let nowMs = 0;
    let rateTps = rates[0] ?? 0;
    let worstErr = 0;
    for (let period = 0; period < 100; period += 1) {
      const endMs = (period + 1) * 1700;
      while (nowMs < endMs) {
        nowMs = Math.min(endMs, nowMs + 0.7);
        const [next, n] = drain(bucket, nowMs);
        bucket = next;
        taken += n;
      }
      expected += (rateTps * 1700) / 1000;
      // Greedy takes leave less than one token behind, so `taken` trails the
      // exact total by less than one token, however long the run.
      worstErr = Math.max(worstErr, expected - taken);
      expect(expected - taken).toBeGreaterThanOrEqual(-1e-6);
      rateTps = rates[(period + 1) % rates.length] ?? 0;
      bucket = retarget(bucket, rateTps, burst, nowMs);
    }
    expect(taken).toBeGreaterThan(1_000_000);
    expect(worstErr).toBeLessThan(1);
  });

  it('always has a token at nowMs + msUntilToken', () => {
    fc.assert(
      fc.property(
        logUniformArb(0.001, 1e6),
        fc.integer({ min: 1, max: 1000 }),
        fc.oneof(fc.constant(0), logUniformArb(1e-3, 1e9), uniformArb(0, 1e9)),
        fc.integer({ min: 0, max: 2000 }),
        fc.oneof(fc.constant(0), logUniformArb(1e-6, 1e4)),
        (rateTps, burst, startMs, takes, laterMs) => {
          let b = createTokenBucket(rateTps, burst, startMs);
          for (let i = 0; i < takes; i += 1) b = takeToken(b, startMs) ?? b;
          const nowMs = startMs + laterMs;
          const waitMs = msUntilToken(b, nowMs);
          expect(takeToken(b, nowMs + waitMs)).toBeDefined();
        },
      ),
      { numRuns: 1000 },
    );
  });
});
