import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { startTestServer } from '../../src/server/testServer.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';

const cleanup = cleanupAfterEach();
const KiB = 1024;

// RFC 9113 §6.9: a 1 KiB stream window lets 1 KiB through per WINDOW_UPDATE,
// so a 256 KiB body needs 256 of them. Slow, but nothing may be lost, stall
// forever or be counted twice; the stall shows in the samples.
test('1 KiB flow-control windows both ways with 256 KiB bodies both ways: every request completes intact', async () => {
  const bodyBytes = 256 * KiB;
  const server = await startTestServer({
    latencyMs: 5,
    windowBytes: KiB,
    responseBytes: bodyBytes,
  });
  cleanup(() => server.close());
  // One connection: a connection the controller drains sends GOAWAY, which can overtake
  // HEADERS still queued on it; the server then ignores those streams and they are
  // retried, legitimately but outside what this test counts (docs/reliability.md).
  const client = createClient(server.url, {
    timeoutMs: 10_000,
    maxConnections: 1,
    initialWindowSize: KiB,
    // The connection window cannot go below the protocol's 65,535 (RFC 9113 §6.9.2).
    connectionWindowBytes: 65_535,
  });
  cleanup(() => client.close());
  const body = Buffer.alloc(bodyBytes, 0x61);

  const result = await runFaultScenario({
    scenario: 'tiny-windows',
    client,
    witness: () => server.stats(),
    refusalsOnly: true,
    plan: {
      rateTps: 20,
      durationMs: 3000,
      request: (id) => ({ method: 'POST', path: `/f/${id}`, body }),
    },
  });
  const { run, counts } = result;
  const witness = result.witness!;

  expectInvariantsHeld(result);
  expect(counts.succeeded).toBe(counts.submitted - counts.rejected);
  expect(counts.succeeded).toBeGreaterThan(0);
  expect(witness.streamsCompleted).toBe(counts.succeeded);
  for (const r of run.records.values()) {
    if (r.response === undefined) continue;
    expect(r.response.body.byteLength).toBe(bodyBytes);
    // The upload waited on the 1 KiB window, and the samples say so.
    expect(r.sample?.windowStalled).toBe(true);
  }
});
