import { connect } from 'node:http2';
import { describe, expect, test } from '@jest/globals';
import { closeSession, connectReady, fetchStats, request, waitUntil } from './rawClient.js';
import { serverFixture } from './serverFixture.js';

const start = serverFixture();

describe('TLS', () => {
  test('serves h2 over TLS with a certificate a client verifies against the generated CA', async () => {
    const server = await start({ tls: true, latencyMs: 1 });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect(server.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const session = await connectReady(server.url, { ca: server.caPem! });
    expect(session.alpnProtocol).toBe('h2');
    expect((await request(session)).status).toBe(200);
    const stats = await fetchStats(server.url, server.caPem);
    expect(stats.streamsCompleted).toBe(1);
    await closeSession(session);
  });

  test('a client that does not trust the CA is refused at the handshake', async () => {
    const server = await start({ tls: true });
    const session = connect(server.url);
    const error = await new Promise<NodeJS.ErrnoException>((resolve) =>
      session.once('error', resolve),
    );
    expect(error.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    session.destroy();
    expect(server.stats().streamsStarted).toBe(0);
  });

  test('h2c servers have no CA', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.caPem).toBeUndefined();
  });
});

describe('flow-control windows', () => {
  test('windowBytes is the stream window a client is told, and a large upload still completes', async () => {
    const server = await start({ windowBytes: 1024, latencyMs: 1 });
    const session = await connectReady(server.url);
    expect(session.remoteSettings.initialWindowSize).toBe(1024);
    const outcome = await request(session, { body: Buffer.alloc(256 * 1024, 7) });
    expect(outcome.status).toBe(200);
    await closeSession(session);
  });

  test('a window above 65,535 also opens the connection window', async () => {
    const server = await start({ windowBytes: 1024 * 1024 });
    const session = await connectReady(server.url);
    expect(session.remoteSettings.initialWindowSize).toBe(1024 * 1024);
    // The connection window grows by WINDOW_UPDATE, which may follow SETTINGS.
    await waitUntil(() => session.state.remoteWindowSize === 1024 * 1024, 2000);
    await closeSession(session);
  });
});
