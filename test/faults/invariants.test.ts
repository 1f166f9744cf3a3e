import { describe, expect, test } from '@jest/globals';
import type { ClientResponse } from '../../src/client/clientRequest.js';
import type { ClientStats } from '../../src/core/clientStats.js';
import type { RequestSample } from '../../src/core/sample.js';
import { TransportError } from '../../src/errors/TransportError.js';
import type { LoadRun, RequestRecord } from './helpers/driveLoad.js';
import { checkInvariants } from './helpers/invariants.js';
import type { LedgerServer, ServerAttempt } from './helpers/ledgerServer.js';

// The fault scenarios pass only if this checker can fail: each case below
// feeds it one broken invariant and expects it named.

const breakdown = {
  budgetMs: 1000,
  elapsedMs: 5,
  phase: 'awaiting' as const,
  timings: { queuedMs: 1, sendingMs: 1, awaitingMs: 3, receivingMs: 0 },
};

function sample(outcome: RequestSample['outcome'], retries = 0): RequestSample {
  return {
    submittedAtMs: 0,
    outcome,
    settledAtMs: 5,
    retries,
    cancelledOnWire: false,
    windowStalled: false,
  };
}

function ok(id: number, seq: number, retries = 0): RequestRecord {
  const response: ClientResponse = {
    status: 200,
    headers: {},
    body: Buffer.from(JSON.stringify({ key: `/f/${id}`, seq })),
    timings: breakdown.timings,
  };
  return {
    id,
    submittedAtMs: 0,
    callbacks: 1,
    error: undefined,
    response,
    sample: sample('succeeded', retries),
    settledAtMs: 5,
  };
}

function run(records: RequestRecord[]): LoadRun {
  return {
    records: new Map(records.map((r) => [r.id, r])),
    decisions: [],
    unpairedCallbacks: 0,
    faultErrors: [],
    unsettled: 0,
    elapsedMs: 10,
  };
}

function stats(over: Partial<ClientStats> = {}): ClientStats {
  return {
    submitted: 2,
    succeeded: 2,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    inFlight: 0,
    queued: 0,
    cancelledOnWire: 0,
    retries: 0,
    httpErrors: 0,
    rejectedByReason: {
      'rate-limit': 0,
      'queue-full': 0,
      'queue-wait': 0,
      deadline: 0,
      'no-capacity': 0,
    },
    ...over,
  };
}

function ledger(attempts: Record<string, Partial<ServerAttempt>[]>): LedgerServer {
  const byKey = new Map<string, ServerAttempt[]>();
  for (const [key, list] of Object.entries(attempts)) {
    byKey.set(
      key,
      list.map((a, seq) => ({
        key,
        seq,
        session: 0,
        streamId: 1,
        receivedAtMs: 0,
        processed: true,
        fate: 'completed',
        rstCode: 0,
        ...a,
      })),
    );
  }
  return { byKey, attempts: [...byKey.values()].flat(), goawaysSent: 0 } as unknown as LedgerServer;
}

const scenario = 'invariants-self-test';
const record = false;

describe('checkInvariants', () => {
  test('a clean run has no violations', () => {
    const report = checkInvariants(run([ok(1, 0), ok(2, 0)]), stats(), {
      scenario,
      record,
      ledger: ledger({ '/f/1': [{}], '/f/2': [{}] }),
    });
    expect(report.violations).toEqual([]);
  });

  test('names a request called back twice, or never', () => {
    const twice = { ...ok(1, 0), callbacks: 2 };
    const never = { ...ok(2, 0), callbacks: 0 };
    const { violations } = checkInvariants(run([twice, never]), stats(), { scenario, record });
    expect(violations).toEqual(
      expect.arrayContaining(['request 1: 2 callbacks', 'request 2: 0 callbacks']),
    );
  });

  test('names stats that do not reconcile or disagree with the callbacks', () => {
    const { violations } = checkInvariants(
      run([ok(1, 0), ok(2, 0)]),
      stats({ succeeded: 1, inFlight: 1 }),
      { scenario, record },
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        'stats().succeeded is 1, the callbacks say 2',
        'stats().inFlight is 1, the callbacks say 0',
      ]),
    );
  });

  test('names a request the server processed twice, and a retry after processing', () => {
    const { violations, counts } = checkInvariants(
      run([ok(1, 1, 1), ok(2, 0)]),
      stats({ retries: 1 }),
      {
        scenario,
        record,
        ledger: ledger({ '/f/1': [{}, {}], '/f/2': [{}] }),
      },
    );
    expect(counts.duplicates).toBe(1);
    expect(violations).toEqual(
      expect.arrayContaining([
        'request 1: processed 2 times by the server',
        'request 1: retried after the server processed attempt 0 (completed)',
      ]),
    );
  });

  test('names a success that the server did not complete last, and retry-exhausted after processing', () => {
    const exhausted: RequestRecord = {
      ...ok(2, 0, 1),
      response: undefined,
      error: new TransportError({ failure: 'retry-exhausted', detail: 'x' }, breakdown),
      sample: sample('failed', 1),
    };
    const { violations } = checkInvariants(
      run([ok(1, 0), exhausted]),
      stats({ succeeded: 1, failed: 1, retries: 1 }),
      {
        scenario,
        record,
        ledger: ledger({
          '/f/1': [{ processed: false, fate: 'refused' }],
          '/f/2': [{ fate: 'refused', processed: false }, {}],
        }),
      },
    );
    expect(violations).toEqual(
      expect.arrayContaining([
        "request 1: success not matched by the server's last attempt",
        'request 2: reported retry-exhausted (never processed) but the server processed it',
      ]),
    );
  });
});
