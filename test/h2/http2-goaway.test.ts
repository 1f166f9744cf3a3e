import { constants, type Http2Session } from 'node:http2';
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

test('GOAWAY(NO_ERROR) mid-load: streams up to last-stream-id complete, the rest are retried once, nothing is handled twice', async () => {
  let goneAway: Http2Session | undefined;
  let lastStreamId = 0;
  const seenAbove: number[] = [];
  const handledOnFirst: number[] = [];
  const handled = new Map<string, number>();
  server = await startRawServer({
    settings: { maxConcurrentStreams: 10 },
    onStream: (stream, headers, srv) => {
      const session = stream.session!;
      const id = stream.id!;
      if (session === goneAway && id > lastStreamId) seenAbove.push(id);
      else if (goneAway === undefined && srv.streamsSeen === 20) {
        goneAway = session;
        // RFC 9113 §6.8 graceful shutdown: a first GOAWAY with the largest id,
        // then the real one. The client must tolerate both. They go out in one
        // tick: Node's server answers the client's own GOAWAY with one naming
        // its last processed stream, and nghttp2 clamps that to the lowest id
        // already sent only once ours has left.
        lastStreamId = id - 8;
        for (let above = lastStreamId + 2; above <= id; above += 2) seenAbove.push(above);
        session.goaway(constants.NGHTTP2_NO_ERROR, 2 ** 31 - 1);
        session.goaway(constants.NGHTTP2_NO_ERROR, lastStreamId);
      }
      setTimeout(() => {
        // A real server does not process streams above its last-stream-id.
        if (session === goneAway && id > lastStreamId) return;
        if (stream.closed) return;
        if (session === server!.sessions[0]) handledOnFirst.push(id);
        const key = String(headers['x-req-id']);
        handled.set(key, (handled.get(key) ?? 0) + 1);
        respond(stream, 200, 'ok');
      }, 30);
    },
  });
  transport = createH2Transport(server.url, { initialConnections: 1 });
  const events: TransportEvent[] = [];
  const sub = transport.events$.subscribe((e) => events.push(e));
  const report = await driveRequests(transport, makeRequests(100));
  sub.unsubscribe();

  expect(report.violations).toEqual([]);
  expect(report.settled.filter((s) => s.final.kind !== 'response').map((s) => s.attempts)).toEqual(
    [],
  );
  const retried = report.settled.filter((s) => s.attempts.length > 1);
  for (const s of retried) {
    expect(s.attempts).toHaveLength(2);
    expect(s.attempts[0]!.outcome).toMatchObject({
      kind: 'retryable',
      reason: 'goaway-unprocessed',
      http2Code: 0,
    });
  }
  // Every stream the server saw above last-stream-id came back for a retry
  // (and possibly more the client opened before the GOAWAY reached it).
  expect(seenAbove.length).toBeGreaterThan(0);
  expect(retried.length).toBeGreaterThanOrEqual(seenAbove.length);
  // Every stream at or below it completed on the first session.
  expect(handledOnFirst.every((id) => id <= lastStreamId)).toBe(true);
  expect(handledOnFirst.length).toBe((lastStreamId + 1) / 2);
  // Nothing lost, nothing handled twice.
  expect(handled.size).toBe(100);
  expect([...handled.values()].every((n) => n === 1)).toBe(true);
  // Both GOAWAYs were reported; a replacement session carried the rest.
  const goaways = events.filter((e) => e.kind === 'goaway');
  expect(goaways.length).toBeGreaterThanOrEqual(2);
  expect(goaways.every((e) => e.kind === 'goaway' && e.errorCode === 0)).toBe(true);
  expect(goaways.at(-1)).toMatchObject({ lastStreamId });
  expect(events.filter((e) => e.kind === 'session-ready')).toHaveLength(2);
  expect(events.some((e) => e.kind === 'connection-error')).toBe(false);
});
