/**
 * A minimal `node:http2` h2c server for the client-overhead bench: it reads
 * each request body to its end and answers 200 with a small JSON body at
 * once, with nothing else on the path (no counters, no capacity model), so
 * the server costs as little per request as node:http2 allows.
 *
 * Run: `node .build/bench/lib/rawServer.js [maxConcurrentStreams]`. The
 * first stdout line is its URL (the `h2flow serve` contract); SIGTERM or
 * SIGINT closes it.
 */
import { createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';

const maxConcurrentStreams = Number(process.argv[2] ?? 100);
const body = Buffer.from('{"ok":true,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}');
const headers = {
  ':status': 200,
  'content-type': 'application/json',
  'content-length': body.length,
};

const server = createServer({ settings: { maxConcurrentStreams } });
server.on('stream', (stream) => {
  stream.on('error', () => {});
  stream.on('data', () => {});
  stream.on('end', () => {
    if (!stream.closed) {
      stream.respond(headers);
      stream.end(body);
    }
  });
});
server.on('sessionError', () => {});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}\n`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
  // Sessions a client left open would keep close() waiting.
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
