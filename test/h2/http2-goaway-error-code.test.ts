import { constants } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { TransportEvent } from '../../src/transport/Transport.js';
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

test('GOAWAY(INTERNAL_ERROR): open streams up to last-stream-id fail as goaway, the rest are retryable', async () => {
  const { NGHTTP2_INTERNAL_ERROR } = constants;
  let lastStreamId = 0;
  server = await startRawServer({
    settings: { maxConcurrentStreams: 10 },
    onStream: (stream, _headers, srv) => {
      const first = stream.session === srv.sessions[0];
      // The first session answers five streams and holds the next five.
      if (!first || srv.streamsSeen <= 5) {
        respond(stream, 200, 'ok');
        return;
      }
      if (srv.streamsSeen === 10) {
        // Stream ids 11..19 are held; 11 and 13 are "being processed".
        lastStreamId = stream.id! - 6;
        setTimeout(() => stream.session!.goaway(NGHTTP2_INTERNAL_ERROR, lastStreamId), 50);
      }
    },
  });
  transport = createH2Transport(server.url, { initialConnections: 1, reconnectBaseMs: 10 });
  const events: TransportEvent[] = [];
  const sub = transport.events$.subscribe((e) => events.push(e));
  const report = await driveRequests(transport, makeRequests(10));
  sub.unsubscribe();

  expect(report.violations).toEqual([]);
  expect(lastStreamId).toBe(13);
  const finals = report.settled.map((s) => s.final);
  const goawayErrors = finals.filter((o) => o.kind === 'error');
  // Streams 11 and 13 may have been processed: not retryable.
  expect(goawayErrors).toHaveLength(2);
  for (const o of goawayErrors) {
    expect(o).toMatchObject({
      kind: 'error',
      failure: 'goaway',
      http2Code: NGHTTP2_INTERNAL_ERROR,
    });
  }
  // Streams 15..19 were not: retried once on a new session, and answered.
  const retried = report.settled.filter((s) => s.attempts.length === 2);
  expect(retried).toHaveLength(3);
  for (const s of retried) {
    expect(s.attempts[0]!.outcome).toMatchObject({
      kind: 'retryable',
      reason: 'goaway-unprocessed',
      http2Code: NGHTTP2_INTERNAL_ERROR,
    });
    expect(s.final.kind).toBe('response');
  }
  expect(finals.filter((o) => o.kind === 'response')).toHaveLength(8);
  expect(events.filter((e) => e.kind === 'goaway')[0]).toMatchObject({
    errorCode: NGHTTP2_INTERNAL_ERROR,
    lastStreamId: 13,
    sessionId: 1,
  });
  // The GOAWAY explains the close: no connection error, and a new session.
  expect(events.some((e) => e.kind === 'connection-error')).toBe(false);
  expect(events.filter((e) => e.kind === 'session-ready').map((e) => e.sessionId)).toEqual([1, 2]);
});
