/**
 * A minimal `node:http2` server for the client-overhead benches: it reads
 * each request body to its end and answers 200 with a small JSON body at
 * once, with nothing else on the path (no counters, no capacity model), so
 * the server costs as little per request as node:http2 allows.
 *
 * h2c by default; `--tls` serves TLS with ALPN `h2` and a certificate made
 * at start (a throwaway CA and a leaf for 127.0.0.1, as the test server
 * makes them), and `--ca-out <path>` writes that CA as PEM to `path` before
 * the URL is printed, so a client can trust it once it has the URL.
 *
 * Run: `node .build/bench/lib/rawServer.js [maxConcurrentStreams] [--tls --ca-out ca.pem]`.
 * The first stdout line is its URL (the `h2flow serve` contract); SIGTERM
 * or SIGINT closes it.
 */
import { writeFileSync } from 'node:fs';
import {
  createSecureServer,
  createServer,
  type Http2Server,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { generateTestCertificate } from '../../src/server/testCertificate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tls: { type: 'boolean', default: false }, 'ca-out': { type: 'string' } },
});
const maxConcurrentStreams = Number(positionals[0] ?? 100);
const host = '127.0.0.1';
const body = Buffer.from('{"ok":true,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}');
const headers = {
  ':status': 200,
  'content-type': 'application/json',
  'content-length': body.length,
};

/** Answers one request stream once its body has ended. */
function answer(stream: ServerHttp2Stream): void {
  stream.on('error', () => {});
  stream.on('data', () => {});
  stream.on('end', () => {
    if (!stream.closed) {
      stream.respond(headers);
      stream.end(body);
    }
  });
}

/** The h2c server, or the TLS one with a fresh certificate whose CA goes to `--ca-out`. */
async function makeServer(): Promise<Http2Server> {
  const settings = { maxConcurrentStreams };
  if (!values.tls) return createServer({ settings });
  const certificate = await generateTestCertificate(host);
  if (values['ca-out'] !== undefined) writeFileSync(values['ca-out'], certificate.caPem);
  // Http2SecureServer emits the same 'stream' and 'sessionError' events as Http2Server.
  return createSecureServer({
    settings,
    key: certificate.keyPem,
    cert: certificate.certPem,
  }) as unknown as Http2Server;
}

const server = await makeServer();
server.on('stream', answer);
server.on('sessionError', () => {});
server.listen(0, host, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${values.tls ? 'https' : 'http'}://${host}:${port}\n`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  // Sessions a client left open would keep close() waiting.
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
