import { constants, type ServerHttp2Stream } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import { driveRequests, makeRequest } from './helpers/driveRequests.js';
import { type RawServer, respond, startRawServer } from './helpers/rawServer.js';
import { waitUntil } from './helpers/waitUntil.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

const { NGHTTP2_CANCEL } = constants;

/** Streams 4 KiB every 5 ms, 40 times, so the stream is still open when the client resets it. */
function trickle(stream: ServerHttp2Stream, contentLength?: number): void {
  stream.respond({
    ':status': 200,
    ...(contentLength === undefined ? {} : { 'content-length': contentLength }),
  });
  let sent = 0;
  const timer = setInterval(() => {
    if (stream.closed || sent === 40) {
      clearInterval(timer);
      if (!stream.closed) stream.end();
      return;
    }
    stream.write(Buffer.alloc(4096, 0x61));
    sent++;
  }, 5);
}

test('a response body past maxResponseBytes fails as response-too-large and the server sees RST_STREAM(CANCEL)', async () => {
  server = await startRawServer({
    onStream: (stream, headers) =>
      headers[':path'] === '/big' ? trickle(stream) : respond(stream, 200, 'small'),
  });
  transport = createH2Transport(server.url);
  const report = await driveRequests(transport, [
    makeRequest(1, { path: '/big', maxResponseBytes: 10_000 }),
  ]);
  const final = report.settled[0]!.final;
  expect(final).toMatchObject({
    kind: 'error',
    failure: 'response-too-large',
    http2Code: NGHTTP2_CANCEL,
  });
  expect(final.kind === 'error' && final.detail).toContain('10000');
  // Headers had arrived before the body grew too large.
  expect(report.settled[0]!.attempts[0]!.headers?.status).toBe(200);
  await waitUntil(() => server!.resetsReceived.get(NGHTTP2_CANCEL) === 1);
  // A protective reset is a stream matter: the session carries on.
  const after = await driveRequests(transport, [makeRequest(2, { path: '/small' })]);
  expect(after.settled[0]!.final).toMatchObject({ kind: 'response', status: 200 });
  expect(server.sessions).toHaveLength(1);
});

test('a content-length above maxResponseBytes is reset at the headers, before the body', async () => {
  server = await startRawServer({ onStream: (stream) => trickle(stream, 40 * 4096) });
  transport = createH2Transport(server.url);
  const report = await driveRequests(transport, [makeRequest(1, { maxResponseBytes: 1000 })]);
  expect(report.settled[0]!.final).toMatchObject({
    kind: 'error',
    failure: 'response-too-large',
    http2Code: NGHTTP2_CANCEL,
  });
  expect(report.settled[0]!.final.kind === 'error' && report.settled[0]!.final.detail).toContain(
    String(40 * 4096),
  );
  await waitUntil(() => server!.resetsReceived.get(NGHTTP2_CANCEL) === 1);
});
