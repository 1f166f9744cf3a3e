import { afterEach, expect, test } from '@jest/globals';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { createH2Transport } from '../../src/h2/H2Transport.js';
import { type RawServer, respondAfter, startRawServer } from '../h2/helpers/rawServer.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

test('AdaptiveClient over node:http2: a burst queues in the client, never past the server stream limit', async () => {
  server = await startRawServer({
    settings: { maxConcurrentStreams: 5 },
    onStream: (stream) => respondAfter(stream, 5, 200, 'ok'),
  });
  client = new AdaptiveClient(createH2Transport(server.url), {
    policy: 'fixed',
    connections: 1,
    timeoutMs: 10_000,
  });
  const responses = await Promise.all(
    Array.from({ length: 200 }, (_, i) => client!.request({ path: `/r/${i}` })),
  );

  expect(responses.every((r) => r.status === 200)).toBe(true);
  expect(server.streamsSeen).toBe(200);
  expect(server.maxInFlightPerSession).toBe(5);
  expect(server.resetsReceived.size).toBe(0);
  const s = client.stats();
  expect(s.submitted).toBe(
    s.succeeded + s.rejected + s.timedOut + s.failed + s.inFlight + s.queued,
  );
  expect(s.succeeded).toBe(200);
  expect(s.retries).toBe(0);
});

test('a burst before the first session is up waits for it: nothing is shed against the unmeasured initial rate', async () => {
  server = await startRawServer({
    settings: { maxConcurrentStreams: 100 },
    onStream: (stream) => respondAfter(stream, 5, 200, 'ok'),
  });
  // Adaptive on one connection: 400 requests at once, while the session still connects. The
  // queue's drain has not been measured yet; predicted against the initial rate (100 req/s),
  // all but the first 50 would be shed as `queue-wait` although one connection serves them in
  // four rounds of 5 ms.
  client = new AdaptiveClient(createH2Transport(server.url), {
    policy: 'adaptive',
    maxConnections: 1,
    timeoutMs: 5_000,
  });
  const settled = await Promise.allSettled(
    Array.from({ length: 400 }, (_, i) => client!.request({ path: `/burst/${i}` })),
  );

  const s = client.stats();
  expect(s.rejectedByReason).toMatchObject({ 'queue-wait': 0, 'rate-limit': 0, deadline: 0 });
  expect(settled.filter((r) => r.status === 'fulfilled')).toHaveLength(400);
  expect(s).toMatchObject({ submitted: 400, succeeded: 400, rejected: 0, timedOut: 0 });
  expect(server.maxInFlightPerSession).toBe(100);
  expect(server.resetsReceived.size).toBe(0);
});
