import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createClient } from '../../src/createClient.js';
import { isTransportError } from '../../src/errors/TransportError.js';
import { generateTestCertificate } from '../../src/server/testCertificate.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';

describe('createClient over TLS (h2, ALPN)', () => {
  let server: TestServer;
  let other: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ tls: true, latencyMs: 1 });
    other = await startTestServer({ tls: true, latencyMs: 1 });
  });

  afterAll(async () => {
    await server.close();
    await other.close();
  });

  it('works with the server CA given as `ca`', async () => {
    const client = createClient(server.url, { ca: server.caPem!, timeoutMs: 5000 });
    const res = await client.request({ method: 'POST', body: '{"amount":1}' });
    expect(res.status).toBe(200);
    await client.close();
  });

  it('fails with H2FLOW_TRANSPORT naming the TLS error when the CA is wrong', async () => {
    const startedBefore = server.stats().streamsStarted;
    // Another server's self-signed CA does not sign this server's certificate.
    const client = createClient(server.url, {
      ca: other.caPem!,
      timeoutMs: 1500,
      reconnectBaseMs: 50,
    });
    const error = await client.request({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isTransportError(error)).toBe(true);
    if (!isTransportError(error)) return;
    expect(error.code).toBe('H2FLOW_TRANSPORT');
    expect(error.failure).toBe('connect');
    expect(error.causeCode).toMatch(/CERT|SIGNATURE|SELF_SIGNED|VERIFY/);
    expect(error.message).toContain(error.causeCode!);
    expect(error.breakdown.phase).toBe('queued');
    expect(server.stats().streamsStarted).toBe(startedBefore); // nothing reached the server
    await client.close();
  });

  it('fails at once, not at the deadline, when the TLS server refuses ALPN h2 with alert 120', async () => {
    // Node's https server offers only http/1.1 and refuses a client that offers only h2.
    const cert = await generateTestCertificate('127.0.0.1');
    const http1 = createHttpsServer({ key: cert.keyPem, cert: cert.certPem });
    await new Promise<void>((resolve) => http1.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(http1.address() as AddressInfo).port}`;
    const client = createClient(url, { ca: cert.caPem, timeoutMs: 5000 });
    const startedMs = performance.now();
    const error = await client.request({}).then(
      () => undefined,
      (e: unknown) => e,
    );
    const tookMs = performance.now() - startedMs;
    await client.close();
    await new Promise<void>((resolve) => http1.close(() => resolve()));
    expect(isTransportError(error) && error.causeCode).toBe('H2FLOW_ALPN_NOT_H2');
    expect((error as Error).message).toMatch(/no h2 by ALPN/);
    expect(tookMs).toBeLessThan(2500);
  });
});
