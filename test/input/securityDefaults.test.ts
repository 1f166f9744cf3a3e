import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { defaultClientOptions } from '../../src/client/clientOptions.js';
import { createClient } from '../../src/createClient.js';
import { isTransportError } from '../../src/errors/TransportError.js';
import { startMetricsServer } from '../../src/metrics/metricsServer.js';
import { defaultServerOptions } from '../../src/server/serverOptions.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';
import { startLedgerServer } from '../faults/helpers/ledgerServer.js';
import { startRawTcpServer } from '../faults/helpers/rawTcpServer.js';
import { cliBuilt, freePort, spawnServe } from '../faults/helpers/serveProcess.js';
import { runCli } from '../helpers/runCli.js';
import { failureOf } from './helpers/thrown.js';

// Each secure default, checked against real sockets: what it is, and that
// nothing quietly turns it off. docs/security.md lists them and where each
// is enforced.

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'h2flow-security-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(closers.splice(0).map((close) => close()));
});
async function tlsServer(): Promise<TestServer> {
  const server = await startTestServer({ tls: true, latencyMs: 1 });
  closers.push(() => server.close());
  return server;
}
function client(url: string, options: Parameters<typeof createClient>[1] = {}): AdaptiveClient {
  const c = createClient(url, { timeoutMs: 3000, ...options });
  closers.push(() => c.close());
  return c;
}

describe('TLS verifies certificates unless told otherwise', () => {
  test('by default a certificate the client cannot verify fails the connection, and the server sees no request', async () => {
    const server = await tlsServer();
    const error = await failureOf(client(server.url).request({ path: '/' }));
    expect(isTransportError(error)).toBe(true);
    if (!isTransportError(error)) return;
    expect(error.failure).toBe('connect');
    expect(error.causeCode).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/,
    );
    expect(server.stats().streamsStarted).toBe(0);
  });

  test('with the CA it succeeds, and only an explicit rejectUnauthorized: false skips verification', async () => {
    const server = await tlsServer();
    expect((await client(server.url, { ca: server.caPem! }).request({ path: '/' })).status).toBe(
      200,
    );
    expect(
      (await client(server.url, { rejectUnauthorized: false }).request({ path: '/' })).status,
    ).toBe(200);
  });

  test('NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment does not switch verification off', async () => {
    // h2flow passes rejectUnauthorized explicitly, so node's global escape hatch cannot reach it.
    const env = (runInThisContext('process') as NodeJS.Process).env;
    const before = env.NODE_TLS_REJECT_UNAUTHORIZED;
    env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const server = await tlsServer();
      const error = await failureOf(client(server.url).request({ path: '/' }));
      expect(isTransportError(error) && error.failure).toBe('connect');
    } finally {
      if (before === undefined) delete env.NODE_TLS_REJECT_UNAUTHORIZED;
      else env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    }
  });

  test('h2flow load verifies too, trusts a --ca file, and warns on stderr when told --insecure', async () => {
    const server = await tlsServer();
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, server.caPem!);
    const base = [
      'load',
      server.url,
      '--rate',
      '20',
      '--duration',
      '1s',
      '--timeout',
      '1s',
      '--json',
    ];
    const refused = await runCli(base);
    expect(refused.stderr).not.toContain('warning');
    expect(JSON.stringify(refused)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|connect/);
    expect(refused.stdout).not.toMatch(/"succeeded":\s*[1-9]/);
    const trusted = await runCli([...base, '--ca', ca]);
    expect(trusted.code).toBe(0);
    expect(trusted.stderr).not.toContain('warning');
    const insecure = await runCli([...base, '--insecure']);
    expect(insecure.code).toBe(0);
    expect(insecure.stderr).toContain(
      'h2flow: warning: --insecure: TLS certificate verification is off\n',
    );
  });
});

describe('h2c only for http:// URLs', () => {
  /** The first bytes a client sends to a server that never answers. */
  async function firstBytes(scheme: 'http' | 'https'): Promise<Buffer> {
    const sink = await startRawTcpServer('silent');
    closers.push(() => sink.close());
    const c = client(sink.url.replace(/^http/, scheme), { timeoutMs: 300, connectTimeoutMs: 300 });
    await c.request({ path: '/' }).catch(() => undefined);
    return sink.firstBytes;
  }

  test('http:// speaks h2c with prior knowledge (RFC 9113 §3.3)', async () => {
    expect((await firstBytes('http')).subarray(0, 24).toString()).toBe(
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    );
  });

  test('https:// opens with a TLS handshake and never falls back to cleartext', async () => {
    const bytes = await firstBytes('https');
    // A TLS record of type 22 (handshake), version 3.x: a ClientHello.
    expect([bytes[0], bytes[1]]).toEqual([0x16, 0x03]);
    expect(bytes.includes(Buffer.from('PRI * HTTP/2.0'))).toBe(false);
  });

  test('an https:// client against an h2c server fails to connect rather than downgrade', async () => {
    const server = await startTestServer({ latencyMs: 1 });
    closers.push(() => server.close());
    const error = await failureOf(
      client(server.url.replace(/^http:/, 'https:'), { timeoutMs: 1000 }).request({ path: '/' }),
    );
    expect(isTransportError(error) && error.failure).toBe('connect');
    expect(server.stats().streamsStarted).toBe(0);
  });
});

describe('servers bind to 127.0.0.1 unless a host is given', () => {
  /** A non-loopback IPv4 address of this machine, if it has one. */
  const outside = Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

  test('the embedded server: default host 127.0.0.1, unreachable on other addresses', async () => {
    expect(defaultServerOptions.host).toBe('127.0.0.1');
    const server = await startTestServer({ latencyMs: 1 });
    closers.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    if (outside === undefined) return; // no other interface here to try
    const error = await failureOf(
      client(`http://${outside}:${server.port}`, {
        timeoutMs: 500,
        connectTimeoutMs: 400,
      }).request({ path: '/' }),
    );
    expect(isTransportError(error) && error.causeCode).toBe('ECONNREFUSED');
  });

  (cliBuilt ? test : test.skip)('h2flow serve prints a 127.0.0.1 URL by default', async () => {
    const serve = await spawnServe(await freePort());
    closers.push(() => serve.kill('SIGTERM'));
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('the metrics endpoint (load --metrics-port): 127.0.0.1 by default', async () => {
    const metrics = await startMetricsServer({ port: 0, source: () => undefined });
    closers.push(() => metrics.close());
    expect(metrics.host).toBe('127.0.0.1');
    const server = await startTestServer({ latencyMs: 1 });
    closers.push(() => server.close());
    const run = await runCli([
      'load',
      server.url,
      '--rate',
      '20',
      '--duration',
      '1s',
      '--metrics-port',
      '0',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/h2flow: metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });
});

describe('response size has a safe default', () => {
  test('maxResponseBytes defaults to 16 MiB: a default client refuses a longer body and resets its stream', async () => {
    expect(defaultClientOptions.maxResponseBytes).toBe(16 * MiB);
    const server = await startLedgerServer({
      maxSessionMemoryMb: 256,
      body: () => Buffer.alloc(16 * MiB + 1, 0x61),
    });
    closers.push(() => server.close());
    const error = await failureOf(client(server.url).request({ path: '/huge' }));
    expect(isTransportError(error) && error.failure).toBe('response-too-large');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.attempts[0]?.fate).toBe('client-reset');
  });
});

describe('no secrets in logs', () => {
  test('header values given to h2flow load appear nowhere in its output, reports or debug traces', async () => {
    const secret = 'Bearer s3cr3t-token-9f2c';
    const server = await startTestServer({ latencyMs: 1, errorFraction: 0.5 });
    closers.push(() => server.close());
    const report = join(dir, 'report.html');
    const env = process.env;
    const before = env.H2FLOW_DEBUG;
    env.H2FLOW_DEBUG = '1';
    try {
      const ok = await runCli([
        'load',
        server.url,
        '--rate',
        '50',
        '--duration',
        '1s',
        '--header',
        `authorization:${secret}`,
        '--json',
        '--report',
        report,
      ]);
      expect(ok.code).toBe(0);
      const failing = await runCli([
        'load',
        'http://127.0.0.1:9',
        '--rate',
        '50',
        '--duration',
        '1s',
        '--timeout',
        '300ms',
        '--header',
        `authorization:${secret}`,
      ]);
      for (const text of [
        ok.stdout,
        ok.stderr,
        readFileSync(report, 'utf8'),
        failing.stdout,
        failing.stderr,
      ]) {
        expect(text).not.toContain('s3cr3t');
      }
    } finally {
      if (before === undefined) delete env.H2FLOW_DEBUG;
      else env.H2FLOW_DEBUG = before;
    }
  });
});
