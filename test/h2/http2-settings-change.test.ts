import type { Http2Session } from 'node:http2';
import { afterEach, expect, test } from '@jest/globals';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
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

test('server lowers MAX_CONCURRENT_STREAMS mid-session and raises it again', async () => {
  const high = 8;
  const low = 2;
  // Phases on the server: 'high' → SETTINGS(low) sent → ACKed 'low' → SETTINGS(high) sent → ACKed.
  let phase: 'high' | 'lowering' | 'low' | 'raising' | 'raised' = 'high';
  let seenInLow = 0;
  let maxOpenInLow = 0;
  let maxOpenRaised = 0;
  const handled = new Map<string, number>();
  const change = (session: Http2Session, limit: number, next: typeof phase): void => {
    session.settings({ maxConcurrentStreams: limit }, () => {
      phase = next;
    });
  };
  server = await startRawServer({
    settings: { maxConcurrentStreams: high },
    onStream: (stream, headers, srv) => {
      const session = stream.session!;
      if (phase === 'low') {
        seenInLow++;
        maxOpenInLow = Math.max(maxOpenInLow, srv.inFlight.get(session) ?? 0);
      }
      if (phase === 'raised') {
        maxOpenRaised = Math.max(maxOpenRaised, srv.inFlight.get(session) ?? 0);
      }
      if (phase === 'high' && srv.streamsSeen === 40) {
        phase = 'lowering';
        change(session, low, 'low');
      }
      if (phase === 'low' && seenInLow === 40) {
        phase = 'raising';
        change(session, high, 'raised');
      }
      setTimeout(() => {
        if (stream.closed) return;
        const id = String(headers['x-req-id']);
        handled.set(id, (handled.get(id) ?? 0) + 1);
        respond(stream, 200, 'ok');
      }, 10);
    },
  });
  transport = createH2Transport(server.url, { initialConnections: 1 });
  const limits: number[] = [];
  const sub = transport.capacity$.subscribe((c: CapacitySnapshot) => {
    const s = c.sessions[0];
    if (s?.state === 'ready' && limits.at(-1) !== s.maxConcurrentStreams) {
      limits.push(s.maxConcurrentStreams);
    }
  });
  const report = await driveRequests(transport, makeRequests(200));
  sub.unsubscribe();

  expect(report.violations).toEqual([]);
  expect(phase).toBe('raised');
  expect(limits).toEqual([high, low, high]);
  // After the client acknowledged the lower limit, it never exceeded it.
  expect(seenInLow).toBeGreaterThanOrEqual(40);
  expect(maxOpenInLow).toBeLessThanOrEqual(low);
  // Streams racing the SETTINGS may be refused (RFC 9113 §6.5.3 / §8.7); they
  // come back retryable and succeed on retry. Nothing is handled twice.
  expect(report.settled.every((s) => s.final.kind === 'response')).toBe(true);
  for (const s of report.settled) {
    for (const a of s.attempts.slice(0, -1)) {
      expect(a.outcome).toMatchObject({ kind: 'retryable', reason: 'refused-stream' });
    }
  }
  expect(handled.size).toBe(200);
  expect([...handled.values()].every((n) => n === 1)).toBe(true);
  // With the limit raised again, the session used more than the low limit.
  expect(maxOpenRaised).toBeGreaterThan(low);
  expect(maxOpenRaised).toBeLessThanOrEqual(high);
});
