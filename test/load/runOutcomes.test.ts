import { describe, expect, it } from '@jest/globals';
import type { PolicyResult } from '../../src/core/runResult.js';
import { readPathState, withOutcomes } from '../../src/load/runOutcomes.js';

const base = {
  policy: 'adaptive (max 8)',
  offeredTps: 50,
  durationS: 10,
  submitted: 500,
  succeeded: 0,
  timedOut: 0,
  rejected: 0,
  failed: 500,
  cancelledOnWire: 0,
  goodputTps: 0,
  capacityTps: 0,
  efficiency: 0,
  queueWaitP99Ms: 0,
  latencyP99Ms: 3,
  connectionsMax: 1,
  retries: 0,
  pathState: 'server-bound',
  timeline: [],
} satisfies PolicyResult;

describe('readPathState: the path state reads what happened', () => {
  it('no session ever ready: no-connection, whatever the controller guessed', () => {
    expect(readPathState({ ...base, connectionsMax: 0, pathState: 'demand-bound' }, 0)).toBe(
      'no-connection',
    );
  });

  it('everything offered got a response, nothing shed or timed out: demand-bound', () => {
    expect(readPathState(base, 500)).toBe('demand-bound');
    expect(readPathState({ ...base, pathState: 'none' }, 496)).toBe('demand-bound');
  });

  it('otherwise the controller view stands', () => {
    expect(readPathState({ ...base, timedOut: 3 }, 497)).toBe('server-bound');
    expect(readPathState({ ...base, rejected: 100 }, 400)).toBe('server-bound');
    expect(readPathState(base, 400)).toBe('server-bound');
    expect(readPathState({ ...base, submitted: 0, connectionsMax: 0 }, 0)).toBe('server-bound');
  });
});

describe('withOutcomes', () => {
  it('attaches statuses, HTTP errors, causes, the first failure and the error rate', () => {
    const r = withOutcomes(base, {
      settled: 500,
      succeeded: 0,
      statuses: { '404': 500 },
      failuresByCause: { 'http 404': 500 },
      httpErrors: 500,
      firstFailure: { cause: 'http 404', message: 'HTTP 404' },
    });
    expect(r).toMatchObject({
      statuses: { '404': 500 },
      httpErrors: 500,
      errorRate: 1,
      failuresByCause: { 'http 404': 500 },
      firstFailure: { cause: 'http 404', message: 'HTTP 404' },
      pathState: 'demand-bound',
    });
  });
});
