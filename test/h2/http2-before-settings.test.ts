import { connect } from 'node:http2';
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

const limit = 5;
const delaySettingsMs = 250;

async function slowSettingsServer(): Promise<RawServer> {
  return startRawServer({
    settings: { maxConcurrentStreams: limit },
    delaySettingsMs,
    onStream: (stream) => respondAfter(stream, 5, 200, 'ok'),
  });
}

test('control: a raw node:http2 burst before the server SETTINGS is refused', async () => {
  server = await slowSettingsServer();
  const session = connect(server.url);
  session.on('error', () => {});
  const codes = await Promise.all(
    Array.from({ length: 30 }, () => {
      const stream = session.request({ ':path': '/' }, { endStream: true });
      stream.on('error', () => {});
      stream.resume();
      return new Promise<number>((resolve) =>
        stream.on('close', () => resolve(stream.rstCode ?? 0)),
      );
    }),
  );
  session.destroy();
  // Node assumed 100 streams before SETTINGS; the server refused the excess.
  expect(codes.filter((c) => c === 7).length).toBeGreaterThan(0);
});

test('a burst submitted before the server SETTINGS waits for them and gets no REFUSED_STREAM', async () => {
  server = await slowSettingsServer();
  transport = createH2Transport(server.url, { initialConnections: 1 });
  expect(transport.freeSlots()).toBe(0);
  const report = await driveRequests(transport, makeRequests(30));

  expect(report.violations).toEqual([]);
  // The driver offered the burst at once and the transport took none before SETTINGS.
  expect(report.refusedDispatches).toBeGreaterThan(0);
  expect(report.settled.every((s) => s.final.kind === 'response' && s.attempts.length === 1)).toBe(
    true,
  );
  expect(server.streamsSeen).toBe(30);
  expect(server.maxInFlightPerSession).toBeLessThanOrEqual(limit);
  expect(server.resetsReceived.size).toBe(0);
});
