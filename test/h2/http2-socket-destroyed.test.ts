import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { TransportEvent } from '../../src/transport/Transport.js';
import { driveRequests, makeRequests } from './helpers/driveRequests.js';
import { type RawServer, respondAfter, startRawServer } from './helpers/rawServer.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

test('the server destroys the socket mid-load: session-closed errors, a connection-error event, and a reconnect', async () => {
  server = await startRawServer({
    settings: { maxConcurrentStreams: 10 },
    onStream: (stream, _headers, srv) => {
      if (srv.streamsSeen === 30) {
        // Let this stream's HEADERS settle, then drop the TCP connection under the session.
        setTimeout(() => srv.sockets[0]!.destroy(), 5);
        return;
      }
      respondAfter(stream, 20, 200, 'ok');
    },
  });
  transport = createH2Transport(server.url, { initialConnections: 1, reconnectBaseMs: 20 });
  const events: TransportEvent[] = [];
  const sub = transport.events$.subscribe((e) => events.push(e));
  const report = await driveRequests(transport, makeRequests(100));
  sub.unsubscribe();

  expect(report.violations).toEqual([]);
  const lost = report.settled.filter((s) => s.final.kind === 'error');
  // The streams open on the dead connection may have been processed: they fail, unretried.
  expect(lost.length).toBeGreaterThan(0);
  expect(lost.length).toBeLessThanOrEqual(10);
  for (const s of lost) {
    expect(s.attempts).toHaveLength(1);
    expect(s.final).toMatchObject({ kind: 'error', failure: 'session-closed' });
  }
  expect(report.settled.filter((s) => s.final.kind === 'response')).toHaveLength(100 - lost.length);
  // Reported as a connection error of session 1, followed by a new session.
  const kinds = events.map((e) => `${e.kind}:${e.sessionId}`);
  expect(kinds).toContain('connection-error:1');
  expect(kinds.indexOf('connection-error:1')).toBeLessThan(kinds.indexOf('session-ready:2'));
  expect(kinds).toContain('session-closed:1');
  expect(server.sessions).toHaveLength(2);
});
