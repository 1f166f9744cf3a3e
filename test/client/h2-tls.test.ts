import { createClient } from '../../src/createClient.js';
import { isTransportError } from '../../src/errors/TransportError.js';
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
});
