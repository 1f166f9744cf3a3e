import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
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

test('never more streams in flight on a session than the server allows, by the server own count', async () => {
  const limit = 5;
  server = await startRawServer({
    settings: { maxConcurrentStreams: limit },
    onStream: (stream) => respondAfter(stream, 10, 200, 'ok'),
  });
  transport = createH2Transport(server.url, { initialConnections: 1 });
  const report = await driveRequests(transport, makeRequests(150));

  expect(report.violations).toEqual([]);
  expect(report.settled.map((s) => s.final.kind)).toEqual(Array(150).fill('response'));
  // Exactly one attempt each: nothing was refused, so nothing queued in nghttp2.
  expect(report.settled.every((s) => s.attempts.length === 1)).toBe(true);
  expect(server.streamsSeen).toBe(150);
  expect(server.maxInFlightPerSession).toBeLessThanOrEqual(limit);
  // And the limit was used, not undershot.
  expect(server.maxInFlightPerSession).toBe(limit);
  expect(report.refusedDispatches).toBeGreaterThan(0);
  expect(server.resetsReceived.size).toBe(0);
});

test('with two sessions each stays within its own limit and both carry load', async () => {
  const limit = 4;
  server = await startRawServer({
    settings: { maxConcurrentStreams: limit },
    onStream: (stream) => respondAfter(stream, 10, 200, 'ok'),
  });
  transport = createH2Transport(server.url, { initialConnections: 2 });
  const report = await driveRequests(transport, makeRequests(120));

  expect(report.settled.every((s) => s.final.kind === 'response')).toBe(true);
  expect(server.sessions).toHaveLength(2);
  expect(server.maxInFlightPerSession).toBeLessThanOrEqual(limit);
  expect(report.maxInFlight).toBeLessThanOrEqual(2 * limit);
  expect(report.maxInFlight).toBeGreaterThan(limit);
});
