import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { latencyDists } from '../server/latencySampler.js';
import { defaultServerOptions, lognormalP99Ms } from '../server/serverOptions.js';
import { startTestServer, type TestServer } from '../server/testServer.js';
import { parseServeFlags, type ServeFlags } from './serveFlags.js';

/** What `serve` needs from its surroundings; tests pass their own. */
export interface ServeIo {
  /** Writes to stdout. */
  readonly out: (text: string) => void;
  /** Writes to stderr. */
  readonly err: (text: string) => void;
  /** Resolves, with the signal's name, when the server should close. */
  readonly untilStopped: () => Promise<string>;
  /** Told once the server listens. */
  readonly onListening?: (server: TestServer) => void;
}

/** {@link ServeIo} of the real process: stdout, stderr, SIGINT and SIGTERM. */
export const processServeIo: ServeIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  untilStopped: () =>
    new Promise((resolve) => {
      // Listeners go after the first signal, so a second Ctrl-C kills at once.
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(signal);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }),
};

const d = defaultServerOptions;

/** One line on stderr saying what the server models, for the person who started it. */
function describeServer(server: TestServer): string {
  const o = server.options;
  const latency =
    o.latencyDist === 'lognormal'
      ? `lognormal ${o.latencyMs} ms mean, p99 ${lognormalP99Ms(o)} ms`
      : `${o.latencyDist} ${o.latencyMs} ms`;
  const capacity =
    o.capacityTps === undefined
      ? 'unlimited capacity'
      : `capacity ${o.capacityTps} TPS (${server.workers} workers)`;
  const spike = o.latencySpike;
  const spikeText =
    spike === undefined
      ? ''
      : `, latency x${spike.factor} from ${spike.atMs} ms after the first request for ${spike.forMs} ms`;
  return `h2flow serve: ${o.maxConcurrentStreams} streams/conn, ${latency}${spikeText}, ${capacity}; counters at ${server.url}/__h2flow/stats; Ctrl-C to stop\n`;
}

const examples = `
The first line on stdout is the URL, so scripts can read it; the server's
final counters follow as one JSON line when it stops. SIGINT or SIGTERM close
it gracefully (GOAWAY, in-flight streams finish) and it exits 0.

Capacity: --capacity C models K = ceil(C x latency / 1000) workers with a
FIFO in front; past C requests per second, they queue and latency grows.

Examples:
  # The seed's shape: 100 streams/connection, 50 ms, ~2,000 req/s per connection
  $ h2flow serve --port 8080
  http://127.0.0.1:8080

  # A server that can do 3,000 TPS in all, with a heavy-tailed latency
  $ h2flow serve --capacity 3000 --latency-dist lognormal --latency 40ms --latency-p99 200ms

  # Faults: GOAWAY every 1,000 streams, refuse over capacity, punish reset floods
  $ h2flow serve --capacity 2000 --refuse-over-capacity --goaway-every 1000 --max-resets 100/s

  # TLS with a fresh certificate; trust it with the CA written to ca.pem
  $ h2flow serve --tls --ca-out ca.pem

  # Background errors that say nothing about load: 5% 503 without retry-after, 10% 404
  $ h2flow serve --error-fraction 0.05 --no-retry-after --not-found-fraction 0.1

  # A latency spike: x10 from 5 s after the first request, for 3 s, then back
  $ h2flow serve --latency-spike 10x@5s+3s

  # Read the server's own counters (the witness for cancellations on the wire)
  $ curl -s --http2-prior-knowledge http://127.0.0.1:8080/__h2flow/stats
`;

/** Builds the `h2flow serve` command: the embedded HTTP/2 test server (docs/server.md). */
export function buildServeCommand(io: ServeIo = processServeIo): Command {
  return (
    new Command('serve')
      .description(
        'Run the embedded HTTP/2 test server: modelled latency and capacity, faults\n' +
          'on demand, and its own counters at GET /__h2flow/stats.',
      )
      .option('--host <address>', 'address to bind', d.host)
      .option('--port <port>', 'TCP port (0 picks a free one)', String(d.port))
      .option('--tls', 'serve TLS (ALPN h2) with a self-signed certificate made at start')
      .option('--ca-out <file>', 'with --tls, write the CA certificate (PEM) here')
      .option(
        '--max-streams <n>',
        'SETTINGS_MAX_CONCURRENT_STREAMS',
        String(d.maxConcurrentStreams),
      )
      .option('--latency <duration>', 'mean service time (50ms, 1s)', `${d.latencyMs}ms`)
      .option('--latency-dist <dist>', `${latencyDists.join('|')}`, d.latencyDist)
      .option('--latency-p99 <duration>', 'p99 service time for lognormal (default 3 x --latency)')
      .option('--capacity <tps>', 'server-wide capacity, requests/s (default unlimited)')
      .option('--max-queued <n>', 'with --refuse-over-capacity, requests that may wait (default K)')
      .option(
        '--window <bytes>',
        'flow-control window, per stream and connection',
        String(d.windowBytes),
      )
      .option('--response-bytes <n>', 'JSON response body size', String(d.responseBytes))
      .option('--goaway-every <n>', 'fault: GOAWAY(NO_ERROR) after n streams on a connection')
      .option(
        '--refuse-over-capacity',
        'fault: REFUSED_STREAM when all workers are busy and the queue is full',
      )
      .option('--max-resets <n/s>', 'fault: GOAWAY(ENHANCE_YOUR_CALM) past n RST_STREAM per second')
      .option(
        '--error-fraction <f>',
        'fault: share of requests answered --error-status at once',
        '0',
      )
      .option('--error-status <status>', '503|429', String(d.errorStatus))
      .option(
        '--retry-after <seconds>',
        'retry-after header of those answers',
        String(d.retryAfterS),
      )
      .option('--no-retry-after', 'send those answers without retry-after')
      .option(
        '--not-found-fraction <f>',
        'fault: share of the other requests answered 404 at once',
        String(d.notFoundFraction),
      )
      .option(
        '--latency-spike <FxAT+FOR>',
        'fault: latency x F from AT after the first request, for FOR (10x@5s+3s)',
      )
      .option('--max-request-bytes <bytes>', 'larger request bodies get 413', '64MiB')
      .option('--close-timeout <duration>', 'graceful close waits this long for streams', '5s')
      .option('--seed <n>', 'seed of the latency random numbers (default random)')
      .addHelpText('after', examples)
      .exitOverride()
      // commander's own errors (unknown flag, missing value) as one line, like ours.
      .configureOutput({
        outputError: (text, write) =>
          write(`h2flow: ${text.replace(/^error: /, '').replace(/\n(?!$)/g, ' ')}`),
      })
      .action(async (flags: ServeFlags) => {
        const plan = parseServeFlags(flags);
        const server = await startTestServer(plan.options);
        try {
          if (plan.caOut !== undefined) await writeFile(plan.caOut, server.caPem ?? '', 'utf8');
          io.out(`${server.url}\n`);
          io.err(describeServer(server));
          io.onListening?.(server);
          await io.untilStopped();
        } finally {
          await server.close();
        }
        io.out(`${JSON.stringify(server.stats())}\n`);
      })
  );
}
