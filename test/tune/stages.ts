import type { StageResult } from '../../src/tune/tuneResult.js';

/** A stage result with plausible defaults: one connection at a 100 ms stream knee, 200 req/s. */
export function makeStage(overrides: Partial<StageResult> = {}): StageResult {
  return {
    connections: 1,
    end: 'saturated',
    goodputTps: 200,
    goodputRelStdErr: 0.01,
    measuredWindows: 8,
    measuredMs: 1600,
    bound: 'stream',
    serviceP50Ms: 100,
    queueWaitP99MaxMs: 500,
    baselineServiceMs: 100,
    maxConcurrentStreams: 20,
    congestion: undefined,
    timedOut: 0,
    cancelledOnWire: 0,
    startedAtMs: 0,
    durationMs: 3000,
    windows: [],
    ...overrides,
  };
}
