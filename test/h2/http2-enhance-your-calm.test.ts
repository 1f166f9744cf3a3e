import { constants } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import { driveRequests, makeRequests } from './helpers/driveRequests.js';
import { type RawServer, respond, startRawServer } from './helpers/rawServer.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

test('RST_STREAM(ENHANCE_YOUR_CALM) comes back as retryable enhance-your-calm, and the retry succeeds', async () => {
  const code = constants.NGHTTP2_ENHANCE_YOUR_CALM;
  expect(code).toBe(11);
  const attemptsSeen = new Map<string, number>();
  const handled = new Map<string, number>();
  server = await startRawServer({
    settings: { maxConcurrentStreams: 8 },
    onStream: (stream, headers, srv) => {
      const id = String(headers['x-req-id']);
      const attempt = (attemptsSeen.get(id) ?? 0) + 1;
      attemptsSeen.set(id, attempt);
      // Every odd request is reset on its first attempt without being processed.
      if (Number(id) % 2 === 1 && attempt === 1) {
        srv.reset(stream, code);
        return;
      }
      handled.set(id, (handled.get(id) ?? 0) + 1);
      respond(stream, 200, `ok ${id}`);
    },
  });
  transport = createH2Transport(server.url, { initialConnections: 1 });
  const report = await driveRequests(transport, makeRequests(40));

  expect(report.violations).toEqual([]);
  for (const s of report.settled) {
    const odd = s.request.id % 2 === 1;
    expect(s.attempts).toHaveLength(odd ? 2 : 1);
    if (odd) {
      expect(s.attempts[0]!.outcome).toMatchObject({
        kind: 'retryable',
        reason: 'enhance-your-calm',
        http2Code: code,
      });
    }
    expect(s.final).toMatchObject({ kind: 'response', status: 200 });
    if (s.final.kind === 'response') {
      expect(Buffer.from(s.final.body).toString()).toBe(`ok ${s.request.id}`);
    }
  }
  expect(handled.size).toBe(40);
  expect([...handled.values()].every((n) => n === 1)).toBe(true);
  // The client answered no reset with one of its own.
  expect(server.resetsReceived.size).toBe(0);
  // The session survived: stream resets are not connection errors.
  expect(server.sessions).toHaveLength(1);
});
