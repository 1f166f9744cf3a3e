import { afterEach, beforeAll, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter, take, toArray } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { H2TransportOptions } from '../../src/h2/H2TransportOptions.js';
import { generateTestCertificate, type TestCertificate } from '../../src/server/testCertificate.js';
import type { TransportEvent } from '../../src/transport/Transport.js';
import { driveRequests, makeRequests } from './helpers/driveRequests.js';
import { type RawServer, startRawServer } from './helpers/rawServer.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;
let cert: TestCertificate;
let otherCa: string;

beforeAll(async () => {
  cert = await generateTestCertificate('127.0.0.1');
  otherCa = (await generateTestCertificate('127.0.0.1')).caPem;
});

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

async function tlsServer(): Promise<RawServer> {
  return startRawServer({ tls: { keyPem: cert.keyPem, certPem: cert.certPem } });
}

/** The first two connection errors (the second proves the transport keeps reconnecting). */
async function twoConnectionErrors(
  options: Partial<H2TransportOptions>,
): Promise<TransportEvent[]> {
  transport = createH2Transport(server!.url, { reconnectBaseMs: 10, ...options });
  const errors = firstValueFrom(
    transport.events$.pipe(
      filter((e) => e.kind === 'connection-error' || e.kind === 'session-ready'),
      take(2),
      toArray(),
    ),
  );
  return errors;
}

test('h2 over TLS with the self-signed CA given as `ca` works, negotiated by ALPN', async () => {
  server = await tlsServer();
  transport = createH2Transport(server.url, { ca: cert.caPem });
  const report = await driveRequests(transport, makeRequests(20));
  expect(report.settled.every((s) => s.final.kind === 'response')).toBe(true);
  expect(server.sessions[0]!.alpnProtocol).toBe('h2');
  expect(server.sessions[0]!.encrypted).toBe(true);
});

test('a wrong CA fails to connect with a connection-error naming the TLS error, and keeps retrying', async () => {
  server = await tlsServer();
  const events = await twoConnectionErrors({ ca: otherCa });
  expect(events.map((e) => e.kind)).toEqual(['connection-error', 'connection-error']);
  for (const e of events) {
    if (e.kind !== 'connection-error') throw new Error('unreachable');
    expect(e.causeCode).toMatch(/CERT|VERIFY|SIGNATURE/);
    expect(e.detail).toContain(e.causeCode);
  }
  expect(transport!.freeSlots()).toBe(0);
  expect(transport!.capacity().readySessions).toBe(0);
  expect(server.sessions).toHaveLength(0);
});

test('certificate verification is on by default: no `ca` fails too', async () => {
  server = await tlsServer();
  const events = await twoConnectionErrors({});
  expect(events[0]).toMatchObject({ kind: 'connection-error' });
  expect(events[0]!.kind === 'connection-error' && events[0]!.causeCode).toMatch(/CERT|VERIFY/);
});

test('`servername` passes through: a name the certificate does not cover fails verification', async () => {
  server = await tlsServer();
  const events = await twoConnectionErrors({ ca: cert.caPem, servername: 'not-in-cert.example' });
  expect(events[0]).toMatchObject({
    kind: 'connection-error',
    causeCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
  });
});

test('`rejectUnauthorized: false` passes through and skips verification', async () => {
  server = await tlsServer();
  transport = createH2Transport(server.url, { rejectUnauthorized: false });
  const report = await driveRequests(transport, makeRequests(3));
  expect(report.settled.every((s) => s.final.kind === 'response')).toBe(true);
});
