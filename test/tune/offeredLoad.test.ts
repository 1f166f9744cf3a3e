import { afterEach, expect, test } from '@jest/globals';
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { createClient } from '../../src/createClient.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';
import { realTimeScheduler } from '../../src/streams/realTimeScheduler.js';
import { OfferedLoad } from '../../src/tune/offeredLoad.js';

let server: TestServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A test server answering after `latencyMs`, and a fixed-policy client of it: with no token bucket, every request offered reaches the server. */
async function startFixedClient(latencyMs: number): Promise<AdaptiveClient> {
  server = await startTestServer({ latencyMs });
  return createClient(server.url, {
    scheduler: realTimeScheduler,
    policy: 'fixed',
    connections: 1,
  });
}

test('offers each rate open loop from the moment it is set, and stops when told', async () => {
  client = await startFixedClient(5);
  const load = new OfferedLoad(client, { path: '/offered' });
  expect(load.rateTps).toBe(0);
  // Each segment starts, and each flush happens, between the clock readings around the call.
  const now = () => realTimeScheduler.now();
  const [t0, t0After] = [now(), (load.setRateTps(200), now())];
  await sleep(500);
  const [changedMs, changedAfterMs] = [now(), (load.setRateTps(600), now())];
  const atChange = load.sent;
  await sleep(500);
  const [stoppedMs, stoppedAfterMs] = [now(), (load.stop(), now())];
  const sent = load.sent;
  await sleep(100);
  expect(load.sent).toBe(sent);
  expect(load.rateTps).toBe(0);
  await client.close();
  // Request i of a segment is due at start + i / rate, the first one at once; a change
  // and a stop first send what is due, however late the 2 ms timer ran.
  const due = (rateTps: number, ms: number) => Math.floor((ms * rateTps) / 1000) + 1;
  expect(atChange).toBeGreaterThanOrEqual(due(200, changedMs - t0After));
  expect(atChange).toBeLessThanOrEqual(due(200, changedAfterMs - t0));
  expect(sent - atChange).toBeGreaterThanOrEqual(due(600, stoppedMs - changedAfterMs));
  expect(sent - atChange).toBeLessThanOrEqual(due(600, stoppedAfterMs - changedMs));
  expect(load.settled).toBe(sent);
  expect(server!.stats().streamsCompleted).toBe(sent);
});

test('ignores a rate that is not positive, and a repeat of the current rate keeps its schedule', async () => {
  client = await startFixedClient(1);
  const load = new OfferedLoad(client, {});
  load.setRateTps(0);
  load.setRateTps(Number.NaN);
  await sleep(50);
  expect(load.sent).toBe(0);
  const startMs = realTimeScheduler.now();
  load.setRateTps(100);
  await sleep(255);
  // Re-setting the same rate must not restart the segment (which would send one at once, again).
  for (let i = 0; i < 20; i++) load.setRateTps(100);
  await sleep(50);
  load.stop();
  const due = Math.floor(((realTimeScheduler.now() - startMs) * 100) / 1000) + 1;
  expect(load.sent).toBeGreaterThanOrEqual(due - 1);
  expect(load.sent).toBeLessThanOrEqual(due);
});

test('a stop sends what was due before it, even when the timer has not run', async () => {
  client = await startFixedClient(1);
  const load = new OfferedLoad(client, {});
  const startMs = realTimeScheduler.now();
  load.setRateTps(1000);
  // Block the event loop: no tick can run while 30 ms of arrivals fall due.
  while (realTimeScheduler.now() - startMs < 30) {}
  load.stop();
  const due = Math.floor((realTimeScheduler.now() - startMs) * 1) + 1;
  expect(load.sent).toBeGreaterThanOrEqual(due - 1);
  expect(load.sent).toBeLessThanOrEqual(due);
  expect(load.sent).toBeGreaterThanOrEqual(31);
});
