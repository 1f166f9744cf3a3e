import { constants } from 'node:http2';
import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import type { FaultStep } from './helpers/driveLoad.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();
const { NGHTTP2_NO_ERROR } = constants;
const maxStreamId = 2 ** 31 - 1;

// RFC 9113 §6.8: a graceful shutdown sends GOAWAY with 2^31-1 first, then,
// after a round trip, one with the real last-stream-id; 'goaway' fires once
// per frame. A third GOAWAY here raises the id again, which §6.8 forbids
// ("MUST NOT increase"): the client must keep the lowest promise.
test('GOAWAY repeated (two-phase shutdowns, one raising the id, on every connection, three times): nothing lost, nothing processed twice', async () => {
  const server = await startLedgerServer({ serviceMs: 40, commitDelayMs: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000 });
  cleanup(() => client.close());
  const shutdown = (atMs: number): FaultStep[] => [
    {
      atMs,
      run: () => server.goawayAll(NGHTTP2_NO_ERROR, { lastStreamId: maxStreamId, close: false }),
    },
    { atMs: atMs + 30, run: () => server.goawayAll(NGHTTP2_NO_ERROR, { close: false }) },
    {
      atMs: atMs + 60,
      run: () => server.goawayAll(NGHTTP2_NO_ERROR, { lastStreamId: maxStreamId }),
    },
  ];

  const result = await runFaultScenario({
    scenario: 'goaway-repeated',
    client,
    ledger: server,
    plan: {
      rateTps: 400,
      durationMs: 3500,
      faults: [...shutdown(700), ...shutdown(1500), ...shutdown(2300)],
    },
  });
  const { counts } = result;

  expectInvariantsHeld(result);
  expect(server.goawaysSent).toBeGreaterThanOrEqual(9);
  expect(server.sessions.length).toBeGreaterThanOrEqual(4);
  expect(counts.retried).toBeGreaterThan(0);
  // Graceful shutdowns lose nothing processed. A retry that lands on a
  // connection whose own shutdown starts next is unprocessed again and,
  // after its one retry, fails as retry-exhausted (never processed: the
  // ledger check above holds the client to that).
  expect(
    Object.keys(counts.failures).filter((k) => k !== 'H2FLOW_TRANSPORT/retry-exhausted'),
  ).toEqual([]);
  expect(counts.failed).toBeLessThan(counts.retried);
  expect(counts.timedOut).toBe(0);
});
