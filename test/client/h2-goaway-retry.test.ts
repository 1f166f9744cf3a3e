import { constants, type Http2Session } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { createH2Transport } from '../../src/h2/H2Transport.js';
import { type RawServer, respond, startRawServer } from '../h2/helpers/rawServer.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

test('AdaptiveClient over node:http2: a GOAWAY mid-load loses nothing and repeats nothing', async () => {
  let goneAway: Http2Session | undefined;
  let lastStreamId = 0;
  const handled = new Map<string, number>();
  server = await startRawServer({
    settings: { maxConcurrentStreams: 10 },
    onStream: (stream, headers, srv) => {
      const session = stream.session!;
      if (goneAway === undefined && srv.streamsSeen === 15) {
        goneAway = session;
        lastStreamId = stream.id! - 6;
        session.goaway(constants.NGHTTP2_NO_ERROR, lastStreamId);
      }
      setTimeout(() => {
        if (stream.closed || (session === goneAway && stream.id! > lastStreamId)) return;
        const key = String(headers['x-req-id']);
        handled.set(key, (handled.get(key) ?? 0) + 1);
        respond(stream, 200, `ok ${key}`);
      }, 20);
    },
  });
  client = new AdaptiveClient(createH2Transport(server.url), {
    policy: 'fixed',
    connections: 1,
    timeoutMs: 5000,
  });
  const responses = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      client!.request({ path: `/r/${i}`, headers: { 'x-req-id': String(i) } }),
    ),
  );

  expect(responses.map((r) => r.body.toString())).toEqual(
    Array.from({ length: 60 }, (_, i) => `ok ${i}`),
  );
  const stats = client.stats();
  expect(stats.succeeded).toBe(60);
  expect(stats.retries).toBeGreaterThan(0);
  expect(stats.cancelledOnWire).toBe(0);
  expect(handled.size).toBe(60);
  expect([...handled.values()].every((n) => n === 1)).toBe(true);
  expect(server.sessions).toHaveLength(2);
});
