import { describe, expect, test } from '@jest/globals';
import { resolveClientOptions } from '../../src/client/clientOptions.js';
import { clientSnippet } from '../../src/tune/clientSnippet.js';
import { recommend } from '../../src/tune/recommend.js';
import type { TuneResult } from '../../src/tune/tuneResult.js';
import { tuneText } from '../../src/tune/tuneText.js';
import { makeStage } from './stages.js';

const stages = [
  makeStage({ connections: 1, goodputTps: 197 }),
  makeStage({ connections: 2, goodputTps: 376 }),
  makeStage({ connections: 3, goodputTps: 499, end: 'max-rate', bound: undefined }),
];
const result: TuneResult = {
  url: 'http://127.0.0.1:8080/charge?x=1',
  timeoutMs: 5000,
  maxRateTps: 500,
  maxConnections: 16,
  recommendation: recommend({
    stages,
    stop: 'max-rate',
    maxRateTps: 500,
    maxConnections: 16,
    minGainFraction: 0.05,
    minMarginFraction: 0.05,
  }),
  confirm: {
    offeredTps: 474,
    connections: 3,
    goodputTps: 473.6,
    serviceP50Ms: 101.2,
    serviceP99Ms: 108.9,
    latencyP50Ms: 101.5,
    latencyP99Ms: 112.3,
    queueWaitP99Ms: 0.4,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    cancelledOnWire: 0,
    held: true,
  },
  stages,
  outcomes: {
    settled: 30_000,
    succeeded: 29_990,
    statuses: { '200': 29_990 },
    failuresByCause: { 'overload rate-limit': 10 },
    httpErrors: 0,
    firstFailure: { cause: 'overload rate-limit', message: 'overloaded (rate-limit)' },
  },
  durationMs: 11_500,
};

/** Runs the snippet as pasted, with `createClient` replaced by a recorder. */
function pasted(snippet: string): { origin: string; options: Record<string, unknown> } {
  let call: { origin: string; options: Record<string, unknown> } | undefined;
  const createClient = (origin: string, options: Record<string, unknown>) => {
    call = { origin, options };
    return {};
  };
  new Function('createClient', snippet)(createClient);
  if (call === undefined) throw new Error('the snippet did not call createClient');
  return call;
}

describe('clientSnippet', () => {
  test('is code that calls createClient with options the client accepts', () => {
    const { origin, options } = pasted(clientSnippet(result));
    expect(origin).toBe('http://127.0.0.1:8080');
    expect(options).toEqual({
      timeoutMs: 5000,
      initialConnections: 3,
      maxConnections: 3,
      maxRateTps: 474,
    });
    expect(() => resolveClientOptions(options)).not.toThrow();
  });
});

describe('tuneText', () => {
  test('shows the stages, the recommendation, its latency, the margin and why, and the snippet', () => {
    const text = tuneText(result);
    expect(text).toMatch(
      /^h2flow tune http:\/\/127\.0\.0\.1:8080\/charge\?x=1: 3 stages in 11\.5 s/,
    );
    expect(text).toMatch(/^1 +197 .* knee +stream/m);
    expect(text).toMatch(/^3 +499 .* carried --max-rate/m);
    expect(text).toMatch(/^connections +3$/m);
    expect(text).toMatch(/^maxSafeTps +474 req\/s$/m);
    expect(text).toMatch(/^margin +5\.0%$/m);
    expect(text).toMatch(/^per connection +197 req\/s$/m);
    expect(text).toMatch(/^maxConcurrentStreams +20$/m);
    expect(text).toMatch(/^path +stream-bound$/m);
    expect(text).toMatch(/^latency at maxSafeTps +p50 102 ms, p99 112 ms/m);
    expect(text).toMatch(/Why a 5\.0% margin: the floor/);
    expect(text).toContain(clientSnippet(result));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });

  test('when nothing was measured, it says why and offers nothing to paste', () => {
    const failed = [
      makeStage({
        end: 'congestion',
        goodputTps: 0,
        bound: undefined,
        maxConcurrentStreams: 0,
        congestion: { kind: 'goawayError', count: 2, atRateTps: 100, completedTps: 0 },
      }),
    ];
    const text = tuneText({
      ...result,
      url: 'http://127.0.0.1:1/',
      stages: failed,
      confirm: undefined,
      recommendation: recommend({
        stages: failed,
        stop: 'congestion',
        maxRateTps: 500,
        maxConnections: 16,
        minGainFraction: 0.05,
        minMarginFraction: 0.05,
      }),
    });
    expect(text).toMatch(/^nothing to recommend \(stopped: congestion\)$/m);
    expect(text).toMatch(
      /- backed off at the first congestion signal: 2 × goawayError at a rate of 100 req\/s on 1\s+connection/,
    );
    expect(text).not.toMatch(/createClient/);
    expect(text).not.toMatch(/maxSafeTps/);
  });
});
