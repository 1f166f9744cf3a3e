import { Command } from 'commander';
import { runTune } from '../tune/runTune.js';
import type { TuneInput } from '../tune/tuneOptions.js';
import type { StageResult } from '../tune/tuneResult.js';
import { tuneText } from '../tune/tuneText.js';
import { parseBytes, parseDurationMs, parseInteger, parseNumber } from './parseArgs.js';
import { throwUnlessRunHeld } from './runVerdictExit.js';
import { UsageError } from './usageError.js';

/** The flags as commander hands them over (strings until parsed). */
export interface TuneFlags {
  readonly timeout: string;
  readonly maxConnections: string;
  readonly maxRate?: string | undefined;
  readonly durationLimit: string;
  readonly method?: string | undefined;
  readonly body?: string | undefined;
  readonly bodyBytes?: string | undefined;
  readonly json?: boolean | undefined;
}

/** Where `tune` writes: stdout gets the result, stderr the progress. */
export interface TuneIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processTuneIo: TuneIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Most --body-bytes: a probe sends thousands of requests, so a body is kept to what one allocation can hold. */
const maxBodyBytes = 64 * 1024 * 1024;

/**
 * Turns `tune` flags into {@link TuneOptions}. Bad values throw a
 * {@link UsageError} naming the flag (one line, exit 2).
 */
export function parseTuneFlags(url: string, flags: TuneFlags): TuneInput {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`<url>: expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`<url>: expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  const timeoutMs = parseDurationMs('--timeout', flags.timeout);
  if (timeoutMs <= 0)
    throw new UsageError(`--timeout: expected a duration above 0, got "${flags.timeout}"`);
  const durationLimitMs = parseDurationMs('--duration-limit', flags.durationLimit);
  if (durationLimitMs <= 0) {
    throw new UsageError(
      `--duration-limit: expected a duration above 0, got "${flags.durationLimit}"`,
    );
  }
  const maxRateTps =
    flags.maxRate === undefined
      ? undefined
      : parseNumber('--max-rate', flags.maxRate, 0, 1_000_000);
  if (maxRateTps === 0)
    throw new UsageError(`--max-rate: expected a number > 0, got "${flags.maxRate}"`);
  if (flags.body !== undefined && flags.bodyBytes !== undefined) {
    throw new UsageError('--body and --body-bytes: give one or the other');
  }
  let body: Uint8Array | undefined;
  if (flags.body !== undefined) body = new TextEncoder().encode(flags.body);
  if (flags.bodyBytes !== undefined) {
    const n = parseBytes('--body-bytes', flags.bodyBytes);
    if (n > maxBodyBytes)
      throw new UsageError(`--body-bytes: at most 64MiB, got "${flags.bodyBytes}"`);
    body = new Uint8Array(n).fill(0x78); // 'x'
  }
  if (flags.method !== undefined && !/^[A-Za-z]+$/.test(flags.method)) {
    throw new UsageError(
      `--method: expected an HTTP method such as GET or POST, got ${JSON.stringify(flags.method)}`,
    );
  }
  return {
    url,
    timeoutMs,
    maxConnections: parseInteger('--max-connections', flags.maxConnections, 1, 1024),
    maxRateTps,
    durationLimitMs,
    method: flags.method?.toUpperCase(),
    body,
  };
}

/** One progress line per stage, on stderr. */
function stageLine(s: StageResult): string {
  const conns = `${s.connections} connection${s.connections === 1 ? '' : 's'}`;
  const what =
    s.end === 'saturated'
      ? `knee at ${Math.round(s.goodputTps)} req/s (${s.bound}-bound)`
      : s.end === 'max-rate'
        ? `carried --max-rate, ${Math.round(s.goodputTps)} req/s`
        : s.end === 'congestion'
          ? `backed off at ${s.congestion?.count} × ${s.congestion?.kind}`
          : s.end;
  return `h2flow tune: ${conns}: ${what}, ${(s.durationMs / 1000).toFixed(1)} s\n`;
}

const examples = `
How it probes: one stage per connection count (1, 2, 3, ...). Each stage runs
a real h2flow client pinned to that many connections, starting from a low rate
and raising it by slow start, then AIMD, exactly as the client does in
production, until the path's knee: a queue builds behind full stream slots, or
the service latency rises. It measures what the connections carried there,
then adds one. It stops when a connection no longer adds 5% (the server is the
limit), when the path carries --max-rate, at --max-connections, or at once on
the first congestion signal (timeout, 429, 503, REFUSED_STREAM, GOAWAY error).
Finally it runs the recommended point to measure its latency.

The target sees real load, up to its knee: probe a staging copy, or set
--max-rate to what production can spare. Nothing is cancelled on the wire.

Examples:
  # What can one client do against this endpoint with a 5 s budget?
  $ h2flow tune http://127.0.0.1:8080/

  # A 5G charging client: 75-byte JSON POSTs, never more than 3,000 req/s
  $ h2flow tune http://chf.example:8080/nchf-convergedcharging/v3/chargingdata \\
      --method POST --body '{"invocationSequenceNumber":1,"units":10}' --max-rate 3000

  # Quick, bounded look; machine-readable result for a script
  $ h2flow tune https://api.example/ --duration-limit 30s --max-connections 4 --json > tune.json

  # Try it on the embedded server: 20 streams at 100 ms = 200 req/s per connection
  $ h2flow serve --port 8080 --max-streams 20 --latency 100ms &
  $ h2flow tune http://127.0.0.1:8080/ --max-rate 500

Exit codes: 0 with a recommendation; 2 bad flags; 3 no request got a
200-399 response (the first cause, e.g. connect ECONNREFUSED, on stderr); 1
when there is nothing else to recommend.

Output: the stages, responses by status and failures by cause, the recommendation (connections, maxSafeTps and its
margin, per-connection capacity, maxConcurrentStreams, latency p50/p99 at the
recommended point, stream-/window-/server-bound), and createClient options to
paste. docs/tune.md explains every figure.`;

/** Builds the `h2flow tune` command: probe an endpoint, recommend connections and a safe rate (docs/tune.md). */
export function buildTuneCommand(io: TuneIo = processTuneIo): Command {
  return new Command('tune')
    .description(
      'Probe an HTTP/2 endpoint and recommend a connection count and a safe request rate\n' +
        'for a given timeout, without driving it into collapse.',
    )
    .argument('<url>', 'the endpoint to probe, e.g. http://127.0.0.1:8080/ (its path is requested)')
    .option('--timeout <duration>', 'request budget the recommendation is for', '5s')
    .option('--max-connections <n>', 'most connections to try', '16')
    .option('--max-rate <tps>', 'never offer more than this many requests/s (default: no cap)')
    .option('--duration-limit <duration>', 'stop the whole probe by this time', '2m')
    .option('--method <method>', 'HTTP method (default GET, or POST with a body)')
    .option('--body <text>', 'request body (UTF-8)')
    .option('--body-bytes <bytes>', 'request body of this many bytes, e.g. 75 or 4KiB')
    .option('--json', 'print the result as one JSON document on stdout')
    .addHelpText('after', examples)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) =>
        write(`h2flow: ${text.replace(/^error: /, '').replace(/\n(?!$)/g, ' ')}`),
    })
    .action(async (url: string, flags: TuneFlags) => {
      const options = parseTuneFlags(url, flags);
      const result = await runTune(options, {
        onStageStart: (n) =>
          io.err(`h2flow tune: probing with ${n} connection${n === 1 ? '' : 's'}...\n`),
        onStage: (s) => io.err(stageLine(s)),
        onConfirmStart: (p) =>
          io.err(
            `h2flow tune: confirming ${p.rateTps} req/s on ${p.connections} connection${p.connections === 1 ? '' : 's'}...\n`,
          ),
      });
      io.out(flags.json ? `${JSON.stringify(result, null, 2)}\n` : tuneText(result));
      const o = result.outcomes;
      throwUnlessRunHeld({
        submitted: o.settled,
        succeeded: o.succeeded,
        firstFailure: o.firstFailure,
      });
      if (result.recommendation.maxSafeTps <= 0) {
        throw new Error(`tune: nothing to recommend (${result.recommendation.notes.join('; ')})`);
      }
    });
}
