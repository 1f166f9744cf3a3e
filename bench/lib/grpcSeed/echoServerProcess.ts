/**
 * The gRPC seed's server in its own process (so client and server use
 * separate cores): `node echoServerProcess.js <delayMs> <maxConcurrentStreams>`.
 * Its first stdout line is its target (`127.0.0.1:PORT`, the contract of
 * bench/lib/serverProcess.ts); on SIGTERM it prints one JSON line of what it
 * counted (arrivals, calls cancelled before their answer, most in the handler
 * at once) and exits.
 */
import { startEchoServer } from './echoServer.js';

const delayMs = Number(process.argv[2] ?? 50);
const maxConcurrentStreams = Number(process.argv[3] ?? 100);
const server = await startEchoServer({ delayMs, maxConcurrentStreams });
process.stdout.write(`${server.target}\n`);
process.once('SIGTERM', () => {
  const { arrivals, cancelled, maxInHandler } = server;
  process.stdout.write(`${JSON.stringify({ arrivals, cancelled, maxInHandler })}\n`);
  void server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
