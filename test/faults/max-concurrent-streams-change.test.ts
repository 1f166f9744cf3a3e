import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { driveLoad } from './helpers/driveLoad.js';
import { checkInvariants } from './helpers/invariants.js';
import { startLedgerServer } from './helpers/ledgerServer.js';
import { watchProcessFaults } from './helpers/processFaults.js';

const cleanup = cleanupAfterEach();

// RFC 9113 §6.5.2/§5.1.2: SETTINGS_MAX_CONCURRENT_STREAMS may fall below the
// streams already open; those finish, and no new stream may open until the
// count is under the new limit. Streams the client opened before it saw the
// SETTINGS are refused by nghttp2 (REFUSED_STREAM, unprocessed, §8.7).
test('SETTINGS maxConcurrentStreams 100 → 1 → 100 mid-session: the client follows the limit and loses nothing', async () => {
  const server = await startLedgerServer({ serviceMs: 20 });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000, maxConnections: 4 });
  cleanup(() => client.close());
  const watch = watchProcessFaults();
  const acked: Record<string, number> = {};
  const mark = (name: string, start: number) => () => {
    acked[name] = performance.now() - start;
  };
  const start = performance.now();

  const run = await driveLoad(client, {
    rateTps: 300,
    durationMs: 4000,
    faults: [
      { atMs: 1000, run: () => server.setMaxConcurrentStreams(1).then(mark('to1', start)) },
      { atMs: 2500, run: () => server.setMaxConcurrentStreams(100).then(mark('to100', start)) },
    ],
  });
  await client.close();
  const { violations, counts } = checkInvariants(run, client.stats(), {
    scenario: 'max-concurrent-streams-change',
    ledger: server,
  });

  expect(watch.stop()).toEqual([]);
  expect(violations).toEqual([]);
  expect(acked.to1).toBeDefined();
  expect(acked.to100).toBeDefined();
  // No stream reached the handler while its connection had the acknowledged
  // limit open (nghttp2 refuses those itself today; this guards that).
  expect(server.limitViolations).toBe(0);
  // Once the client has acknowledged the limit, nothing it sends is refused.
  const lateRetries = [...run.records.values()].filter(
    (r) => (r.sample?.retries ?? 0) > 0 && r.submittedAtMs > acked.to1! + 100,
  );
  expect(lateRetries).toEqual([]);
  // Under the limit of 1 the client kept working, and recovered after.
  const during = [...run.records.values()].filter(
    (r) => r.submittedAtMs > acked.to1! + 200 && r.submittedAtMs < 2500,
  );
  expect(during.filter((r) => r.response?.status === 200).length).toBeGreaterThan(0);
  const after = [...run.records.values()].filter((r) => r.submittedAtMs > 3200);
  expect(after.filter((r) => r.response?.status === 200).length).toBeGreaterThan(0);
  expect(counts.failed).toBe(0);
  // The rate fell while the limit was 1 and climbs back once it is 100 again.
  const ratesAt = (from: number, to: number) =>
    run.decisions.filter((d) => d.atMs >= from && d.atMs < to).map((d) => d.decision.rateTps);
  const lowest = Math.min(...ratesAt(acked.to1!, acked.to100!));
  const highestBefore = Math.max(...ratesAt(0, acked.to1!));
  expect(lowest).toBeLessThan(highestBefore / 2);
  expect(run.decisions.at(-1)!.decision.rateTps).toBeGreaterThan(1.5 * lowest);
});
