import type { RunReport, ServerStats } from '../core/runResult.js';
import { startTestServer } from '../server/testServer.js';
import type { LoadPolicy } from './loadOptions.js';
import type { LoadProgress } from './loadProgress.js';
import { type CapacityProbe, probeConnectionCapacity } from './probeConnectionCapacity.js';
import { type LoadRun, runLoad } from './runLoad.js';

/** The seed's shape and the demo's load. */
export interface DemoOptions {
  /** Length of each run's arrival phase, ms. Default 30,000. */
  readonly durationMs: number;
  /** Offered rate, req/s. Default 3000 (1.5 × the model's one-connection capacity). */
  readonly rateTps: number;
  /** Request budget, ms. Default 5000 (the seed's). */
  readonly timeoutMs: number;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS. Default 100. */
  readonly maxConcurrentStreams: number;
  /** The server's service time, ms (constant). Default 50. */
  readonly latencyMs: number;
  /** How long the one-connection capacity probe counts, ms. Default 2000. */
  readonly probeMs: number;
}

/** Defaults for {@link DemoOptions}: golang/go#52845 as measured against nginx. */
export const defaultDemoOptions: DemoOptions = Object.freeze({
  durationMs: 30_000,
  rateTps: 3000,
  timeoutMs: 5000,
  maxConcurrentStreams: 100,
  latencyMs: 50,
  probeMs: 2000,
});

/**
 * `--quick`: short runs for tests. The naive client's queue wait grows by
 * (offered − capacity) ÷ capacity ≈ 0.5–0.8 s per second, so in 4 s it
 * would never reach a 5 s budget; a 1 s budget keeps the failure visible.
 */
export const quickDemoOptions: Partial<DemoOptions> = Object.freeze({
  durationMs: 4000,
  timeoutMs: 1000,
  probeMs: 1000,
});

/** One run of the demo. */
export interface DemoRunPlan {
  /** Its label in the report. */
  readonly label: string;
  /** Client policy. */
  readonly policy: LoadPolicy;
  /** Sessions for `naive`; the cap for `adaptive`. */
  readonly connections: number;
}

/** The three runs, in order: the seed's client, h2flow held to its connection, h2flow free to add three. */
export const demoRuns: readonly DemoRunPlan[] = Object.freeze([
  { label: 'naive', policy: 'naive', connections: 1 },
  { label: 'adaptive (max 1)', policy: 'adaptive', connections: 1 },
  { label: 'adaptive (max 4)', policy: 'adaptive', connections: 4 },
]);

/** Callbacks of {@link runDemo}, for progress lines. */
export interface DemoHooks {
  /** The capacity probe finished. */
  readonly onProbe?: ((probe: CapacityProbe) => void) | undefined;
  /** Run `index` (0-based) of `total` starts. */
  readonly onRunStart?: ((index: number, total: number, plan: DemoRunPlan) => void) | undefined;
  /** Progress of the current run. */
  readonly onProgress?: ((index: number, progress: LoadProgress) => void) | undefined;
  /** Run `index` finished. */
  readonly onRunEnd?: ((index: number, run: LoadRun) => void) | undefined;
  /** Aborting ends the current run early and skips the rest. */
  readonly signal?: AbortSignal | undefined;
}

/** What the demo produced. */
export interface DemoOutcome {
  /** The side-by-side report (`kind: 'demo'`), server counters per run. */
  readonly report: RunReport;
  /** What one connection measurably carried. */
  readonly probe: CapacityProbe;
  /** The model's one-connection capacity, streams ÷ latency, req/s. */
  readonly modelConnectionTps: number;
  /** Each run in full (generator figures, client counters). */
  readonly runs: readonly LoadRun[];
}

/**
 * Runs the seed's scenario against the embedded test server, in this
 * process: a saturation probe of one connection, then each of
 * {@link demoRuns} for `durationMs` at `rateTps`. Every run (and the probe)
 * gets a fresh server, so each run's server counters are its own.
 *
 * A run's `capacityTps` is min(offered, its connection cap × the probed
 * one-connection rate): the probe, not the model, because the model's
 * streams ÷ latency ignores the event-loop time a real connection spends
 * per request (docs/load.md).
 */
export async function runDemo(
  partial: Partial<DemoOptions> = {},
  hooks: DemoHooks = {},
): Promise<DemoOutcome> {
  const o: DemoOptions = { ...defaultDemoOptions, ...partial };
  const serverOptions = { maxConcurrentStreams: o.maxConcurrentStreams, latencyMs: o.latencyMs };
  const probe = await withServer(serverOptions, (url) =>
    probeConnectionCapacity(url, { durationMs: o.probeMs, warmupMs: Math.min(1000, o.probeMs) }),
  );
  hooks.onProbe?.(probe);
  const runs: LoadRun[] = [];
  const serverStats: (ServerStats | null)[] = [];
  for (const [index, plan] of demoRuns.entries()) {
    if (hooks.signal?.aborted) break;
    hooks.onRunStart?.(index, demoRuns.length, plan);
    const run = await withServer(serverOptions, (url) =>
      runLoad(
        {
          url,
          rateTps: o.rateTps,
          durationMs: o.durationMs,
          timeoutMs: o.timeoutMs,
          policy: plan.policy,
          connections: plan.connections,
          maxConnections: plan.connections,
          label: plan.label,
          capacityTps: Math.min(o.rateTps, plan.connections * probe.completedTps),
        },
        { onProgress: (p) => hooks.onProgress?.(index, p), signal: hooks.signal },
      ),
    );
    runs.push(run);
    serverStats.push(run.serverStats);
    hooks.onRunEnd?.(index, run);
  }
  const modelConnectionTps = (o.maxConcurrentStreams * 1000) / o.latencyMs;
  const report: RunReport = {
    kind: 'demo',
    title: 'h2flow demo: golang/go#52845 on the embedded server',
    description:
      `${o.maxConcurrentStreams} streams/conn, ${o.latencyMs} ms, offered ${o.rateTps} TPS for ` +
      `${o.durationMs / 1000} s, timeout ${o.timeoutMs / 1000} s; one connection carried ` +
      `${Math.round(probe.completedTps)} req/s when saturated (model ${Math.round(modelConnectionTps)})`,
    timeoutMs: o.timeoutMs,
    results: runs.map((r) => r.result),
    serverStats,
  };
  return { report, probe, modelConnectionTps, runs };
}

/** Starts a fresh embedded server, runs `body` against its URL, and always closes it. */
async function withServer<T>(
  options: { maxConcurrentStreams: number; latencyMs: number },
  body: (url: string) => Promise<T>,
): Promise<T> {
  const server = await startTestServer(options);
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}
