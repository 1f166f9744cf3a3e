import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { AdaptiveClient } from '../client/AdaptiveClient.js';
import { parseStatusRanges } from '../load/expectedStatuses.js';
import {
  isNaivePolicy,
  type LoadOptions,
  type LoadPolicy,
  loadPolicies,
} from '../load/loadOptions.js';
import { loadReport } from '../load/loadReport.js';
import { type LoadRun, runLoad } from '../load/runLoad.js';
import { startMetricsServer } from '../metrics/metricsServer.js';
import { renderHtmlReport } from '../report/htmlReport.js';
import { stringifyRunReport } from '../report/jsonReport.js';
import { formatResultsTable } from '../report/textReport.js';
import {
  formatThresholds,
  judgeThreshold,
  parseThreshold,
  type Threshold,
} from '../report/threshold.js';
import { formatGeneratorLine, startProgressLine } from './loadProgressLine.js';
import {
  parseBytes,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parseNumber,
} from './parseArgs.js';
import { throwUnlessRunHeld } from './runVerdictExit.js';
import { UsageError } from './usageError.js';

/** The raw flag values commander hands the `load` action. */
export interface LoadFlags {
  readonly rate: string;
  readonly duration: string;
  readonly requests?: string;
  readonly timeout: string;
  readonly policy: string;
  readonly connections?: string;
  readonly maxConnections?: string;
  readonly method?: string;
  readonly header?: readonly string[];
  readonly body?: string;
  readonly bodyBytes?: string;
  readonly warmup?: string;
  readonly json?: boolean;
  readonly report?: string;
  readonly ca?: string;
  readonly insecure?: boolean;
  readonly metricsPort?: string;
  readonly metricsHost?: string;
  readonly expectStatus?: string;
  readonly threshold?: readonly string[];
}

/** What the flags ask for. */
export interface LoadPlan {
  /** Options of the run. */
  readonly options: Partial<LoadOptions> & Pick<LoadOptions, 'url' | 'rateTps'>;
  /** Print the report as JSON instead of the table. */
  readonly json: boolean;
  /** Write the HTML report here. */
  readonly reportPath: string | undefined;
  /** TLS verification is off (`--insecure`): warn. */
  readonly insecure: boolean;
  /** Serve the client's Prometheus metrics here while the load runs (`--metrics-port`, `--metrics-host`). */
  readonly metrics: { readonly port: number; readonly host: string | undefined } | undefined;
  /** `--threshold`s the run must meet (exit 99 otherwise). */
  readonly thresholds: readonly Threshold[];
}

/**
 * Turns `load` flags into run options. Every bad value throws a
 * {@link UsageError} naming the flag and the value (one line, exit 2).
 */
export function parseLoadFlags(url: string, flags: LoadFlags): LoadPlan {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new UsageError(`<url>: expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UsageError(`<url>: expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  }
  const tls = target.protocol === 'https:';
  if (!tls && flags.ca !== undefined)
    throw new UsageError('--ca: only meaningful for https:// targets');
  if (!tls && flags.insecure)
    throw new UsageError('--insecure: only meaningful for https:// targets');
  const policy: LoadPolicy = parseChoice('--policy', flags.policy, loadPolicies);
  if (policy === 'adaptive' && flags.connections !== undefined) {
    throw new UsageError(
      '--connections: only meaningful with --policy naive or naive-fifo (adaptive decides; cap it with --max-connections)',
    );
  }
  if (isNaivePolicy(policy) && flags.maxConnections !== undefined) {
    throw new UsageError(
      '--max-connections: only meaningful with --policy adaptive (naive uses --connections)',
    );
  }
  if (flags.body !== undefined && flags.bodyBytes !== undefined) {
    throw new UsageError('--body-bytes: give either --body <file> or --body-bytes N, not both');
  }
  const rateTps = parseNumber('--rate', flags.rate, 0, 1e7);
  if (rateTps === 0)
    throw new UsageError(`--rate: expected a number > 0, got ${JSON.stringify(flags.rate)}`);
  const durationMs = positiveDuration('--duration', flags.duration);
  const warmupMs =
    flags.warmup === undefined ? undefined : parseDurationMs('--warmup', flags.warmup);
  if (warmupMs !== undefined && warmupMs > durationMs) {
    throw new UsageError(
      `--warmup: expected at most --duration (${flags.duration}), got ${JSON.stringify(flags.warmup)}`,
    );
  }
  const options: Partial<LoadOptions> & Pick<LoadOptions, 'url' | 'rateTps'> = {
    url: target.href,
    rateTps,
    durationMs,
    timeoutMs: positiveDuration('--timeout', flags.timeout),
    policy,
    ...(flags.requests === undefined
      ? {}
      : { maxRequests: parseInteger('--requests', flags.requests, 1) }),
    ...(flags.connections === undefined
      ? {}
      : { connections: parseInteger('--connections', flags.connections, 1, 1024) }),
    ...(flags.maxConnections === undefined
      ? {}
      : { maxConnections: parseInteger('--max-connections', flags.maxConnections, 1, 1024) }),
    ...(flags.method === undefined ? {} : { method: parseMethod(flags.method) }),
    headers: parseHeaders(flags.header ?? []),
    ...bodyOf(flags),
    ...(warmupMs === undefined ? {} : { warmupMs }),
    ...(flags.ca === undefined ? {} : { ca: readFlagFile('--ca', flags.ca) }),
    rejectUnauthorized: flags.insecure !== true,
    ...(flags.expectStatus === undefined
      ? {}
      : {
          expectedStatuses: flagGrammar('--expect-status', parseStatusRanges, flags.expectStatus),
        }),
  };
  return {
    options,
    json: flags.json === true,
    reportPath: flags.report,
    insecure: flags.insecure === true,
    metrics: metricsOf(flags),
    thresholds: (flags.threshold ?? []).map((t) => flagGrammar('--threshold', parseThreshold, t)),
  };
}

/** Runs a small grammar's parser on a flag value; its SyntaxError becomes a usage error naming the flag. */
function flagGrammar<T>(flag: string, parse: (text: string) => T, text: string): T {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** `--metrics-port N` (loopback unless `--metrics-host` names another address). */
function metricsOf(flags: LoadFlags): LoadPlan['metrics'] {
  if (flags.metricsPort === undefined) {
    if (flags.metricsHost !== undefined)
      throw new UsageError('--metrics-host: only meaningful with --metrics-port');
    return undefined;
  }
  return {
    port: parseInteger('--metrics-port', flags.metricsPort, 0, 65_535),
    host: flags.metricsHost,
  };
}

function positiveDuration(flag: string, text: string): number {
  const ms = parseDurationMs(flag, text);
  if (ms <= 0)
    throw new UsageError(`${flag}: expected a duration above 0, got ${JSON.stringify(text)}`);
  return ms;
}

function parseMethod(text: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(text)) {
    throw new UsageError(
      `--method: expected an HTTP method such as GET or POST, got ${JSON.stringify(text)}`,
    );
  }
  return text.toUpperCase();
}

/** `--header name:value`, repeatable; a repeated name sends the header once per value. */
function parseHeaders(values: readonly string[]): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const text of values) {
    const colon = text.indexOf(':');
    const name = colon > 0 ? text.slice(0, colon).trim().toLowerCase() : '';
    if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(name)) {
      throw new UsageError(`--header: expected name:value, got ${JSON.stringify(text)}`);
    }
    const value = text.slice(colon + 1).trim();
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...[previous].flat(), value];
  }
  return headers;
}

function bodyOf(flags: LoadFlags): { body?: Uint8Array } {
  if (flags.body !== undefined) return { body: readFlagFile('--body', flags.body) };
  if (flags.bodyBytes !== undefined) {
    // Printable filler, so a server that logs bodies shows something readable.
    return { body: Buffer.alloc(parseBytes('--body-bytes', flags.bodyBytes), 'x') };
  }
  return {};
}

function readFlagFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`${flag}: cannot read ${JSON.stringify(path)} (${code})`);
  }
}

const examples = `
Open loop: request i is sent at start + i/rate whether or not earlier ones
finished (like wrk2 and k6's arrival-rate executors), and queue wait and
response time are measured from that intended time, so a slow server or a
stalled generator cannot hide behind fewer requests (coordinated omission).

When the target is an h2flow server (h2flow serve), its own counters from
GET /__h2flow/stats, before and after, are the witness for what reached the
wire: "RST_STREAM at server" counts the cancellations the server received.

Examples:
  # the seed's client: 3,000 TPS into one connection, 5 s budget
  $ h2flow load http://127.0.0.1:8080/ --rate 3000 --duration 30s --policy naive

  # h2flow's controller, allowed up to 4 connections
  $ h2flow load http://127.0.0.1:8080/ --rate 3000 --policy adaptive --max-connections 4

  # POST a 75-byte body with headers, JSON result for scripts
  $ h2flow load http://127.0.0.1:8080/charging --rate 2500 --body-bytes 75 \\
      --header content-type:application/json --header x-trace:load --json > run.json

  # scrape h2flow's Prometheus metrics while it runs (docs/metrics.md)
  $ h2flow load http://127.0.0.1:8080/ --rate 2000 --duration 5m --metrics-port 9464 &
  $ curl -s http://127.0.0.1:9464/metrics | grep h2flow_rate_decision

  # TLS with the CA that 'h2flow serve --tls --ca-out ca.pem' wrote, and an HTML report
  $ h2flow load https://127.0.0.1:8443/ --rate 1000 --ca ca.pem --report load.html

Success is a status in --expect-status (default 200-399, as k6); any other
status is an HTTP error, never goodput. Every request that did not succeed is
counted by cause (connect ECONNREFUSED, tls certificate ..., protocol not
HTTP/2, deadline queued, http 404, ...). Exit codes: 0 ok and every threshold
held; 2 bad flags; 3 no request succeeded (the first cause is printed on
stderr); 99 a --threshold failed.

  # CI: fail the job unless nothing timed out and goodput reached 1,900/s
  $ h2flow load http://127.0.0.1:8080/ --rate 2000 --duration 20s \\
      --threshold timedOut==0 --threshold 'goodputTps>=1900'

Durations take units (500ms, 5s, 2m). The live progress line goes to stderr
when it is a terminal; the summary (or --json) goes to stdout. Ctrl-C stops
offering early and still reports.`;

/** `h2flow load <url>`: the open-loop load generator (docs/load.md). */
export function buildLoadCommand(): Command {
  return new Command('load')
    .description(
      'Offer an open-loop load to an HTTP/2 server (naive or adaptive client) and report ' +
        'goodput, timeouts, rejections, wire cancellations and queue wait.',
    )
    .argument('<url>', 'target, http:// (h2c) or https:// (TLS); its path is requested')
    .requiredOption('--rate <tps>', 'offered requests per second')
    .option('--duration <duration>', 'how long to offer load', '30s')
    .option('--requests <n>', 'stop after this many requests, if sooner')
    .option('--timeout <duration>', 'budget of each request, submit to response end', '5s')
    .option(
      '--policy <policy>',
      `client policy: ${loadPolicies.join('|')}; naive is the seed's Go client (oldest first, ` +
        "its backlog left to time out once one is sent too late), naive-fifo nghttp2's queue",
      'adaptive',
    )
    .option('--connections <n>', 'naive, naive-fifo: connections to use (default 1)')
    .option('--max-connections <n>', 'adaptive: most connections it may open (default 8)')
    .option('--method <method>', 'HTTP method (default GET, or POST with a body)')
    .option('--header <name:value>', 'request header, repeatable', collect)
    .option('--body <file>', 'request body from a file')
    .option('--body-bytes <n>', 'request body of n bytes (75, 1KiB)')
    .option('--warmup <duration>', 'leading time left out of goodput (default min(5s, duration/5))')
    .option('--json', 'print one JSON document (the simulate report shape) instead of the table')
    .option('--report <file.html>', 'also write an HTML report with charts')
    .option('--ca <file>', 'https: extra CA certificate (PEM) to trust')
    .option('--insecure', 'https: do not verify the certificate (prints a warning)')
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on 127.0.0.1:<port>/metrics while running',
    )
    .option(
      '--metrics-host <address>',
      'with --metrics-port: bind this address instead of 127.0.0.1',
    )
    .option(
      '--expect-status <list>',
      'statuses that count as success, e.g. 200-299,404 (default 200-399); others are HTTP errors',
    )
    .option(
      '--threshold <expr>',
      'a pass/fail rule on a report field, e.g. timedOut==0 or goodputTps>=1900 (repeatable; exit 99 if one fails)',
      collect,
    )
    .addHelpText('after', examples)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) =>
        write(`h2flow: ${text.replace(/^error: /, '').replace(/\n(?!$)/g, ' ')}`),
    })
    .action(async (url: string, flags: LoadFlags) => {
      const plan = parseLoadFlags(url, flags);
      if (plan.insecure) {
        process.stderr.write('h2flow: warning: --insecure: TLS certificate verification is off\n');
      }
      // Before anything else, so a taken port fails the command before any load is sent.
      let client: AdaptiveClient | undefined;
      const metrics =
        plan.metrics && (await startMetricsServer({ ...plan.metrics, source: () => client }));
      if (metrics) process.stderr.write(`h2flow: metrics at ${metrics.url}\n`);
      const abort = new AbortController();
      const onSigint = (): void => {
        process.stderr.write('\nh2flow: stopping: no new requests; waiting for open ones\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      const progress = startProgressLine();
      let run: LoadRun;
      try {
        run = await runLoad(plan.options, {
          onProgress: progress.update,
          signal: abort.signal,
          onClient: (c) => {
            client = c;
            // Metrics are opt-in (docs/metrics.md): served ones start with the first request.
            if (metrics) void c.metrics();
          },
        });
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
        await metrics?.close();
      }
      const thresholds = plan.thresholds.map((t) => judgeThreshold(t, run.result));
      const report = {
        ...loadReport(run),
        ...(thresholds.length === 0 ? {} : { thresholds }),
      };
      if (plan.reportPath !== undefined) {
        writeFileSync(plan.reportPath, await renderHtmlReport(report));
        process.stderr.write(`h2flow: report written to ${plan.reportPath}\n`);
      }
      if (plan.json) process.stdout.write(`${stringifyRunReport(report)}\n`);
      else {
        const summary = [formatResultsTable(report), formatGeneratorLine(run)];
        if (thresholds.length > 0) summary.push(formatThresholds(thresholds));
        process.stdout.write(`${summary.join('\n\n')}\n`);
      }
      throwUnlessRunHeld(run.result, thresholds);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
