import { constants } from 'node:http2';
import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §6.8: a graceful GOAWAY names the last stream the server will
// process; streams above it were not processed and may be retried, the ones
// at or below it finish normally on the old connection.
test('GOAWAY(NO_ERROR) mid-load: in-flight streams finish, unprocessed ones are retried once, nothing is processed twice', async () => {
  const server = await startLedgerServer({ serviceMs: 40, commitDelayMs: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000 });
  cleanup(() => client.close());
  // The premise: streams wait in the accept queue above the id the GOAWAY promises. A late
  // event loop can leave the queue empty at 1.5 s, so the GOAWAY waits for one (at most 0.5 s).
  const goawayWhileWaiting = (untilMs: number): void => {
    if (server.waitingCount > 0 || Date.now() >= untilMs)
      server.goawayAll(constants.NGHTTP2_NO_ERROR);
    else setTimeout(() => goawayWhileWaiting(untilMs), 1);
  };
  const result = await runFaultScenario({
    scenario: 'goaway-no-error',
    client,
    ledger: server,
    plan: {
      rateTps: 400,
      durationMs: 3000,
      faults: [{ atMs: 1500, run: () => goawayWhileWaiting(Date.now() + 500) }],
    },
  });
  const { counts } = result;

  expectInvariantsHeld(result);
  expect(server.goawaysSent).toBeGreaterThanOrEqual(1);
  // The accept queue held streams above the promised id: each was retried, not lost.
  expect(server.attempts.filter((a) => a.fate === 'abandoned').length).toBeGreaterThan(0);
  expect(counts.retried).toBeGreaterThan(0);
  // A graceful GOAWAY costs nothing: every request the client sent succeeded.
  expect(counts.failed).toBe(0);
  expect(counts.timedOut).toBe(0);
  expect(counts.succeeded).toBe(counts.submitted - counts.rejected);
  // The load continued on a new connection.
  expect(server.sessions.length).toBeGreaterThanOrEqual(2);
});
