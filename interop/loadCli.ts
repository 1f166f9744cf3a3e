/**
 * Runs `h2flow load … --json` as a user would (the built CLI in its own
 * process) and reads its result, with a watchdog: a run that has not exited
 * well after its duration plus one timeout is killed and reported as hung,
 * so `make interop` always ends.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fields of one policy's result that the interop bounds read (`results[0]` of `--json`). */
export interface LoadResult {
  readonly submitted: number;
  readonly succeeded: number;
  readonly timedOut: number;
  readonly rejected: number;
  readonly failed: number;
  readonly cancelledOnWire: number;
  readonly goodputTps: number;
  readonly queueWaitP99Ms: number;
  readonly latencyP99Ms: number;
  readonly connectionsMax: number;
  readonly retries: number;
}

/**
 * What the client's own Prometheus metrics said just before a hung run was
 * killed (docs/metrics.md): the run's outcome counts without its report,
 * and the sessions still open by state.
 */
export interface ScrapedCounts {
  readonly succeeded: number;
  readonly timedOut: number;
  readonly rejected: number;
  readonly failed: number;
  readonly cancelledOnWire: number;
  readonly sessionsDraining: number;
  readonly sessionsReady: number;
}

/** How a CLI run ended. */
export type LoadOutcome =
  | { readonly kind: 'ok'; readonly result: LoadResult; readonly wallMs: number }
  | {
      readonly kind: 'hung' | 'failed';
      readonly detail: string;
      readonly wallMs: number;
      /** For a hung run, its metrics scraped before it was killed (undefined if the scrape failed). */
      readonly scraped?: ScrapedCounts | undefined;
    };

/** One `h2flow load` invocation. */
export interface LoadArgs {
  readonly url: string;
  readonly policy: 'naive' | 'adaptive';
  /** `--connections` for naive, `--max-connections` for adaptive. */
  readonly connections: number;
  readonly rateTps: number;
  readonly durationS: number;
  readonly timeoutS: number;
  readonly bodyBytes: number;
  readonly caPath?: string | undefined;
  /** `--metrics-port`: lets the watchdog read a hung run's counters before it kills it. */
  readonly metricsPort?: number | undefined;
  /** `--warmup`, s: leading time left out of goodput (the CLI's default when absent). */
  readonly warmupS?: number | undefined;
}

/** Grace after duration + timeout before the watchdog kills a run, ms. */
const watchdogGraceMs = 20_000;

/** The built CLI: dist/cli/bin.js at the repository root (this file runs from .build/interop/). */
export function cliPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', '..', 'dist', 'cli', 'bin.js'),
    join(here, '..', 'dist', 'cli', 'bin.js'),
  ];
  const found = candidates.find(existsSync);
  if (found === undefined) throw new Error('interop: dist/cli/bin.js not found; run `make build`');
  return found;
}

/** The argument list, also printed so a failing run can be repeated by hand. */
export function loadArgv(a: LoadArgs): string[] {
  return [
    'load',
    a.url,
    '--rate',
    String(a.rateTps),
    '--duration',
    `${a.durationS}s`,
    '--timeout',
    `${a.timeoutS}s`,
    '--policy',
    a.policy,
    a.policy === 'naive' ? '--connections' : '--max-connections',
    String(a.connections),
    '--body-bytes',
    String(a.bodyBytes),
    '--header',
    'content-type:application/json',
    ...(a.caPath === undefined ? [] : ['--ca', a.caPath]),
    ...(a.metricsPort === undefined ? [] : ['--metrics-port', String(a.metricsPort)]),
    ...(a.warmupS === undefined ? [] : ['--warmup', `${a.warmupS}s`]),
    '--json',
  ];
}

/** Runs the CLI and resolves with its result, or with why there is none. */
export function runLoadCli(a: LoadArgs): Promise<LoadOutcome> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath(), ...loadArgv(a)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    if (stderr.length < 16_384) stderr += c;
  });
  let hung = false;
  let scraped: ScrapedCounts | undefined;
  const watchdog = setTimeout(
    () => {
      hung = true;
      void scrape(a.metricsPort).then((counts) => {
        scraped = counts;
        child.kill('SIGKILL');
      });
    },
    (a.durationS + a.timeoutS) * 1000 + watchdogGraceMs,
  );
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(watchdog);
      const wallMs = performance.now() - started;
      if (hung) {
        resolve({
          kind: 'hung',
          detail: `h2flow load did not exit within ${a.durationS + a.timeoutS} s + ${watchdogGraceMs / 1000} s; killed. stderr: ${stderr.trim()}`,
          wallMs,
          scraped,
        });
        return;
      }
      try {
        const doc = JSON.parse(stdout) as { results?: LoadResult[] };
        const result = doc.results?.[0];
        if (result === undefined) throw new Error('no results[0]');
        resolve({ kind: 'ok', result, wallMs });
      } catch (error) {
        resolve({
          kind: 'failed',
          detail: `h2flow load exited ${code ?? signal} without a readable result (${(error as Error).message}); stderr: ${stderr.trim()}`,
          wallMs,
        });
      }
    });
  });
}

/** Reads the counters a hung run's metrics endpoint exposes; undefined if there is none or it does not answer in 2 s. */
async function scrape(port: number | undefined): Promise<ScrapedCounts | undefined> {
  if (port === undefined) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(2000),
    });
    const text = await res.text();
    // `name{labels} value`, summed over the label sets that match.
    const sum = (name: string, label = ''): number => {
      let total = 0;
      for (const line of text.split('\n')) {
        if (!line.startsWith(`${name}{`) || !line.includes(label)) continue;
        total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
      }
      return total;
    };
    return {
      succeeded: sum('h2flow_requests_total', 'outcome="succeeded"'),
      timedOut: sum('h2flow_requests_total', 'outcome="timed_out"'),
      rejected: sum('h2flow_requests_total', 'outcome="rejected"'),
      failed: sum('h2flow_requests_total', 'outcome="failed"'),
      cancelledOnWire: sum('h2flow_wire_cancellations_total'),
      sessionsDraining: sum('h2flow_sessions', 'state="draining"'),
      sessionsReady: sum('h2flow_sessions', 'state="ready"'),
    };
  } catch {
    return undefined;
  }
}
