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

test('offers each rate open loop from the moment it is set, and stops when told', async () => {
  server = await startTestServer({ latencyMs: 5 });
  // The fixed policy has no token bucket, so every request offered reaches the server.
  client = createClient(server.url, {
    scheduler: realTimeScheduler,
    policy: 'fixed',
    connections: 1,
  });
  const load = new OfferedLoad(client, { path: '/offered' });
  expect(load.rateTps).toBe(0);
  const t0 = realTimeScheduler.now();
  load.setRateTps(200);
  await sleep(500);
  const atChange = load.sent;
  const changedMs = realTimeScheduler.now();
  load.setRateTps(600);
  await sleep(500);
  load.stop();
  const stoppedMs = realTimeScheduler.now();
  const sent = load.sent;
  await sleep(100);
  expect(load.sent).toBe(sent);
  expect(load.rateTps).toBe(0);
  await client.close();
  // Request i of a segment is due at start + i / rate, the first one at once.
  const first = Math.floor(((changedMs - t0) * 200) / 1000) + 1;
  const second = Math.floor(((stoppedMs - changedMs) * 600) / 1000) + 1;
  // A 2 ms tick may leave the last few due requests unsent when it stops.
  expect(atChange).toBeGreaterThanOrEqual(first - 2);
  expect(atChange).toBeLessThanOrEqual(first + 1);
  expect(sent - atChange).toBeGreaterThanOrEqual(second - 3);
  expect(sent - atChange).toBeLessThanOrEqual(second + 1);
  expect(load.settled).toBe(sent);
  expect(server.stats().streamsCompleted).toBe(sent);
});

test('ignores a rate that is not positive, and a repeat of the current rate keeps its schedule', async () => {
  server = await startTestServer({ latencyMs: 1 });
  client = createClient(server.url, {
    scheduler: realTimeScheduler,
    policy: 'fixed',
    connections: 1,
  });
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
