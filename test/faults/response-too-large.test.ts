import { constants } from 'node:http2';
import { expect, test } from '@jest/globals';
import { createClient } from '../../src/createClient.js';
import { isTransportError } from '../../src/errors/TransportError.js';
import { cleanupAfterEach } from './helpers/cleanup.js';
import { expectInvariantsHeld, runFaultScenario } from './helpers/faultScenario.js';
import { startLedgerServer } from './helpers/ledgerServer.js';

const cleanup = cleanupAfterEach();
const KiB = 1024;
const MiB = 1024 * KiB;

/** Every 10th request gets a 1.5 MiB body: announced in content-length for ids ending in 0, streamed unannounced for ids ending in 5. */
const bigKind = (key: string): 'announced' | 'streamed' | undefined => {
  const id = Number(key.slice('/f/'.length));
  return id % 10 === 0 ? 'announced' : id % 10 === 5 ? 'streamed' : undefined;
};

// maxResponseBytes protects the client's memory from a server that answers
// with more than the caller will accept. The stream is reset with
// RST_STREAM(CANCEL) (RFC 9113 §8.1 lets either side abandon a stream); the
// 1.5 MiB bodies are larger than the client's 1 MiB stream window, so the
// server is still sending when the reset arrives and must see it.
test('responses larger than maxResponseBytes: a clear error, the stream is reset, the server sees the RST, the rest is unharmed', async () => {
  const maxResponseBytes = 64 * KiB;
  const server = await startLedgerServer({
    serviceMs: 10,
    // Room for node to keep the unsent rest of every reset response (see LedgerServerOptions).
    maxSessionMemoryMb: 256,
    body: (a) =>
      bigKind(a.key)
        ? Buffer.alloc(1.5 * MiB, 0x61)
        : Buffer.from(JSON.stringify({ key: a.key, seq: a.seq })),
    contentLength: (a) => bigKind(a.key) !== 'streamed',
  });
  cleanup(() => server.close());
  const client = createClient(server.url, { timeoutMs: 3000, maxResponseBytes });
  cleanup(() => client.close());
  const result = await runFaultScenario({
    scenario: 'response-too-large',
    client,
    ledger: server,
    plan: { rateTps: 100, durationMs: 3000 },
  });
  const { run, counts } = result;

  expectInvariantsHeld(result);
  let big = 0;
  for (const r of run.records.values()) {
    if (r.error?.code === 'H2FLOW_OVERLOAD') continue;
    const key = `/f/${r.id}`;
    if (bigKind(key) === undefined) {
      expect(r.response?.status).toBe(200);
      continue;
    }
    big++;
    expect(isTransportError(r.error)).toBe(true);
    if (!isTransportError(r.error)) continue;
    expect(r.error.failure).toBe('response-too-large');
    expect(r.error.http2Code).toBe(constants.NGHTTP2_CANCEL);
    expect(r.error.message).toContain(`maxResponseBytes`);
    expect(r.error.message).toContain(String(maxResponseBytes));
    expect(r.sample?.retries).toBe(0);
    // The server saw the client's RST_STREAM(CANCEL) on that stream.
    const [attempt] = server.byKey.get(key)!;
    expect({ key, fate: attempt!.fate, rstCode: attempt!.rstCode }).toEqual({
      key,
      fate: 'client-reset',
      rstCode: constants.NGHTTP2_CANCEL,
    });
  }
  expect(big).toBeGreaterThan(10);
  expect(counts.failures).toEqual({ 'H2FLOW_TRANSPORT/response-too-large': big });
  // A protective reset is a stream matter: the connection carried on.
  expect(server.sessions).toHaveLength(1);
});
