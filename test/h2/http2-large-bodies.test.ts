import { createHash, randomBytes } from 'node:crypto';
import { afterEach, expect, test } from '@jest/globals';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import { driveRequests, makeRequest } from './helpers/driveRequests.js';
import { type RawServer, startRawServer } from './helpers/rawServer.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

const MiB = 1024 * 1024;
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('1 MiB bodies both ways arrive byte for byte; the upload reports its window stall', async () => {
  const responseBody = randomBytes(MiB);
  const received = new Map<string, string>();
  server = await startRawServer({
    onStream: (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.set(String(headers['x-req-id']), sha256(Buffer.concat(chunks)));
        stream.respond({ ':status': 200, 'content-length': responseBody.length });
        stream.end(responseBody);
      });
    },
  });
  transport = createH2Transport(server.url);
  const bodies = [1, 2, 3, 4].map(() => randomBytes(MiB));
  const requests = bodies.map((body, i) => makeRequest(i + 1, { body, maxResponseBytes: 2 * MiB }));
  const report = await driveRequests(transport, requests);

  expect(report.violations).toEqual([]);
  for (const s of report.settled) {
    expect(s.final.kind).toBe('response');
    if (s.final.kind !== 'response') continue;
    expect(s.final.body.byteLength).toBe(MiB);
    expect(Buffer.compare(Buffer.from(s.final.body), responseBody)).toBe(0);
    expect(received.get(String(s.request.id))).toBe(sha256(bodies[s.request.id - 1]!));
    // The server's stream window is Node's default 65,535 bytes, far below
    // 1 MiB: the body had to wait for WINDOW_UPDATEs.
    expect(s.attempts[0]!.sent?.windowStalled).toBe(true);
    // Phases in order: body sent, then response headers, then the end.
    const { sent, headers } = s.attempts[0]!;
    expect(sent!.atMs).toBeLessThanOrEqual(headers!.atMs);
    expect(headers!.atMs).toBeLessThanOrEqual(s.final.atMs);
  }
  // Our receive windows reached the server: 1 MiB per stream, 16 MiB per connection.
  const session = server.sessions[0]!;
  expect(session.remoteSettings.initialWindowSize).toBe(MiB);
  expect(session.state.remoteWindowSize).toBeGreaterThan(8 * MiB);
});

test('a small body that fits the windows is not reported as stalled', async () => {
  server = await startRawServer();
  transport = createH2Transport(server.url);
  const report = await driveRequests(transport, [
    makeRequest(1, { body: Buffer.from('{"imsi":"001010123456789"}') }),
  ]);
  expect(report.settled[0]!.final.kind).toBe('response');
  expect(report.settled[0]!.attempts[0]!.sent).toEqual({
    atMs: expect.any(Number),
    windowStalled: false,
  });
});
