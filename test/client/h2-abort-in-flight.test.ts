import { constants, type ServerHttp2Stream } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { isAbortedError } from '../../src/errors/AbortedError.js';
import { createH2Transport } from '../../src/h2/H2Transport.js';
import { type RawServer, startRawServer } from '../h2/helpers/rawServer.js';
import { waitUntil } from '../h2/helpers/waitUntil.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

test('AdaptiveClient over node:http2: aborting an in-flight request sends RST_STREAM(CANCEL) the server sees', async () => {
  const held: ServerHttp2Stream[] = [];
  server = await startRawServer({ onStream: (stream) => held.push(stream) });
  client = new AdaptiveClient(createH2Transport(server.url), {
    policy: 'fixed',
    connections: 1,
    timeoutMs: 1000,
  });
  const abort = new AbortController();
  const pending = client.request({ path: '/slow', signal: abort.signal });
  await waitUntil(() => held.length === 1);
  abort.abort();

  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAbortedError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'H2FLOW_ABORTED', cancelledOnWire: true });
  await waitUntil(() => server!.resetsReceived.get(constants.NGHTTP2_CANCEL) === 1);
  expect(client.stats().cancelledOnWire).toBe(1);
});
