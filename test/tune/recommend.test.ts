import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { recommend } from '../../src/tune/recommend.js';
import type { StageResult, TuneStop } from '../../src/tune/tuneResult.js';
import { makeStage } from './stages.js';

const base = {
  maxRateTps: 1_000_000,
  maxConnections: 16,
  minGainFraction: 0.05,
  minMarginFraction: 0.05,
};

describe('recommend', () => {
  test('stream-bound up to --max-rate: the connections that carried it, less the floor margin', () => {
    const r = recommend({
      ...base,
      maxRateTps: 500,
      stop: 'max-rate',
      stages: [
        makeStage({ connections: 1, goodputTps: 197 }),
        makeStage({ connections: 2, goodputTps: 376, goodputRelStdErr: 0.03 }),
        makeStage({
          connections: 3,
          goodputTps: 499,
          end: 'max-rate',
          bound: undefined,
          goodputRelStdErr: 0.04,
        }),
      ],
    });
    expect(r.connections).toBe(3);
    expect(r.capacityTps).toBe(499);
    // At --max-rate there is no knee to be unsure of: only the 5% floor, although the windows were noisy.
    expect(r.marginFraction).toBe(0.05);
    expect(r.maxSafeTps).toBe(Math.floor(499 * 0.95));
    expect(r.pathState).toBe('stream-bound');
    expect(r.perConnectionTps).toBe(197);
    expect(r.perConnectionIsLimit).toBe(true);
    expect(r.perConnectionLittleTps).toBeCloseTo(200, 9);
    expect(r.maxConcurrentStreams).toBe(20);
    expect(r.notes.join('\n')).toMatch(/carried --max-rate 500 req\/s with 3 connections/);
  });

  test('server-bound: a second connection added nothing, so one is recommended', () => {
    const r = recommend({
      ...base,
      stop: 'no-gain',
      stages: [
        makeStage({
          goodputTps: 594,
          bound: 'server',
          goodputRelStdErr: 0.018,
          maxConcurrentStreams: 100,
        }),
        makeStage({ connections: 2, goodputTps: 599, bound: 'server', maxConcurrentStreams: 100 }),
      ],
    });
    expect(r.connections).toBe(1);
    expect(r.pathState).toBe('server-bound');
    expect(r.capacityTps).toBe(594);
    expect(r.marginFraction).toBe(0.05);
    expect(r.maxSafeTps).toBe(564);
    expect(r.perConnectionIsLimit).toBe(false);
    expect(r.perConnectionLittleTps).toBeCloseTo(1000, 9);
    expect(r.notes.join('\n')).toMatch(/the server, not the connections, is the limit/);
    expect(r.notes.join('\n')).toMatch(/a connection can carry at least that/);
  });

  test('a noisy knee widens the margin beyond the floor', () => {
    const r = recommend({
      ...base,
      stop: 'no-gain',
      stages: [
        makeStage({ goodputTps: 1000, goodputRelStdErr: 0.04 }),
        makeStage({ connections: 2, goodputTps: 1010 }),
      ],
    });
    expect(r.marginFraction).toBeCloseTo(0.08, 12);
    expect(r.maxSafeTps).toBe(920);
  });

  test('stream-bound, then server-bound: the fewest connections within the noise of the best', () => {
    const r = recommend({
      ...base,
      stop: 'no-gain',
      stages: [
        makeStage({ goodputTps: 950, bound: 'stream' }),
        makeStage({ connections: 2, goodputTps: 1480, bound: 'server' }),
        makeStage({ connections: 3, goodputTps: 1500, bound: 'server' }),
      ],
    });
    expect(r.connections).toBe(2);
    expect(r.capacityTps).toBe(1480);
    expect(r.pathState).toBe('server-bound');
  });

  test('a congestion signal is reported, and only what was measured before it is used', () => {
    const r = recommend({
      ...base,
      stop: 'congestion',
      stages: [
        makeStage({
          end: 'congestion',
          bound: undefined,
          goodputTps: 780,
          congestion: { kind: 'http503', count: 12, atRateTps: 1600, completedTps: 700 },
        }),
      ],
    });
    expect(r.maxSafeTps).toBe(Math.floor(780 * 0.95));
    expect(r.pathState).toBe('unknown');
    expect(r.notes.join('\n')).toMatch(/12 × http503 at a rate of 1,600 req\/s on 1 connection/);
  });

  test('nothing measured: nothing recommended', () => {
    const r = recommend({
      ...base,
      stop: 'no-connection',
      stages: [makeStage({ end: 'no-connection', goodputTps: 0, maxConcurrentStreams: 0 })],
    });
    expect(r.maxSafeTps).toBe(0);
    expect(r.notes).toEqual(['no stage completed a request: nothing to recommend']);
    expect(recommend({ ...base, stop: 'duration-limit', stages: [] }).maxSafeTps).toBe(0);
  });

  test('never above the measured capacity or --max-rate, and the connections are the fewest within the noise of the best', () => {
    const stage = fc.record({
      goodputTps: fc.double({ min: 0, max: 1e5, noNaN: true }),
      goodputRelStdErr: fc.double({ min: 0, max: 1, noNaN: true }),
      end: fc.constantFrom<StageResult['end'][]>(
        'saturated',
        'max-rate',
        'congestion',
        'time-limit',
      ),
    });
    fc.assert(
      fc.property(
        fc.array(stage, { minLength: 1, maxLength: 16 }),
        fc.double({ min: 1, max: 1e5, noNaN: true }),
        fc.constantFrom<TuneStop[]>(
          'no-gain',
          'max-rate',
          'max-connections',
          'congestion',
          'duration-limit',
        ),
        (raw, maxRateTps, stop) => {
          const stages = raw.map((s, i) => makeStage({ ...s, connections: i + 1 }));
          const r = recommend({ ...base, maxRateTps, stop, stages });
          const carried = stages.map((s) => Math.min(s.goodputTps, maxRateTps));
          const best = Math.max(...carried);
          if (best <= 0) return r.maxSafeTps === 0;
          const chosen = carried[r.connections - 1]!;
          return (
            r.maxSafeTps <= chosen &&
            r.maxSafeTps <= maxRateTps &&
            r.maxSafeTps >= Math.floor(chosen * 0.75) &&
            chosen >= best * 0.95 &&
            carried.slice(0, r.connections - 1).every((c) => c < best * 0.95)
          );
        },
      ),
      { numRuns: 1000 },
    );
  });
});
