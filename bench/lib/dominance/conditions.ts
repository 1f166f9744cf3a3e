/**
 * The dominance matrix of issue 11: the conditions under which the adaptive
 * client must carry at least what the naive one does (healthy paths), or far
 * more without cancelling anything on the wire (congested paths). Each is a
 * server set-up plus an offered load; the runner alternates the two clients
 * on it.
 */
import type { ServerOptions } from '../../../src/server/serverOptions.js';

/**
 * What the issue promises on a condition:
 * - `healthy`: adaptive goodput ≥ 0.99 × naive's, and no more wire cancels;
 * - `capped`: the connection cap binds; 0 cancels, 0 timeouts, and adaptive
 *   carries ≥ 0.99 × a saturating probe of that connection;
 * - `uncapped`: congested but free to add connections; 0 cancels, 0
 *   timeouts, and far above naive.
 */
export type ConditionKind = 'healthy' | 'capped' | 'uncapped';

/** Which server a condition runs against. */
export type ServerKind = 'embedded' | 'nginx';

/** One row of the matrix. */
export interface DominanceCondition {
  /** Short name, unique within its server, e.g. `bg503-5%`. */
  readonly name: string;
  /** What the row checks. */
  readonly kind: ConditionKind;
  /** The server it runs against. */
  readonly server: ServerKind;
  /** One line saying what the condition is. */
  readonly description: string;
  /** `embedded`: the test server's options (everything else at its defaults). */
  readonly serverOptions: Partial<ServerOptions>;
  /** `nginx`: the path of the location that models the condition (interop/dominance-server.conf.template). */
  readonly nginxPath: string;
  /** Offered rate, req/s, open loop. */
  readonly rateTps: number;
  /** Each request's whole budget, ms. */
  readonly timeoutMs: number;
  /** Length of the arrival phase of one run, ms. */
  readonly durationMs: number;
  /** Sessions of the naive client (h2flow's `fixed` policy). */
  readonly naiveConnections: number;
  /** Most sessions the adaptive client may open. */
  readonly adaptiveMaxConnections: number;
  /** Start a fresh server for every run (the latency spike fires once per server). */
  readonly freshServerPerRun: boolean;
  /** Measure one saturated connection just before and after each adaptive run (`capped`). */
  readonly probeAroundAdaptive: boolean;
  /** The latency spike, for the recovery time; undefined when there is none. */
  readonly spike: { readonly atMs: number; readonly forMs: number } | undefined;
}

/** Lengths the matrix is built with. */
export interface MatrixTiming {
  /** Arrival phase of every run but the spike's, ms. */
  readonly durationMs: number;
  /** When the spike starts after the first request, ms. */
  readonly spikeAtMs: number;
  /** How long it lasts, ms. */
  readonly spikeForMs: number;
  /** Arrival phase of a spike run, ms (it needs time before and after the spike). */
  readonly spikeRunMs: number;
}

/** The bench's default timing: 10 s runs; the spike at 3 s for 3 s in a 10 s run. */
export const defaultMatrixTiming: MatrixTiming = Object.freeze({
  durationMs: 10_000,
  spikeAtMs: 3000,
  spikeForMs: 3000,
  spikeRunMs: 10_000,
});

type Base = Omit<DominanceCondition, 'server' | 'serverOptions' | 'nginxPath'>;

/** A healthy row at the given rate; budget and connections as the issue sets them. */
function healthy(
  t: MatrixTiming,
  name: string,
  description: string,
  more: Partial<Base> = {},
): Base {
  return {
    name,
    kind: 'healthy',
    description,
    rateTps: 1000,
    timeoutMs: 5000,
    durationMs: t.durationMs,
    naiveConnections: 1,
    adaptiveMaxConnections: 1,
    freshServerPerRun: false,
    probeAroundAdaptive: false,
    spike: undefined,
    ...more,
  };
}

/** golang/go#52845's seed: 100 streams, 50 ms (2,000/s per connection), offered 3,000/s, 5 s budget. */
function congested(t: MatrixTiming, kind: 'capped' | 'uncapped'): Base {
  const capped = kind === 'capped';
  return {
    name: capped ? 'seed 52845, capped' : 'seed 52845, max 4',
    kind,
    description: capped
      ? '1 connection x 100 streams / 50 ms = 2,000/s, offered 3,000/s, 5 s budget; adaptive max 1'
      : 'the same path; adaptive may open 4 connections, naive keeps 1',
    rateTps: 3000,
    timeoutMs: 5000,
    durationMs: t.durationMs,
    naiveConnections: 1,
    adaptiveMaxConnections: capped ? 1 : 4,
    freshServerPerRun: false,
    probeAroundAdaptive: capped,
    spike: undefined,
  };
}

/** The server-wide capacity of the healthy embedded rows, req/s: twice the offered 1,000/s. */
const healthyCapacityTps = 2000;

/** The embedded server's rows. */
export function embeddedConditions(t: MatrixTiming = defaultMatrixTiming): DominanceCondition[] {
  const embedded = (base: Base, serverOptions: Partial<ServerOptions>): DominanceCondition => ({
    ...base,
    server: 'embedded',
    serverOptions,
    nginxPath: '/',
  });
  const capacity = { capacityTps: healthyCapacityTps, latencyMs: 50 };
  const spike = { atMs: t.spikeAtMs, forMs: t.spikeForMs };
  return [
    embedded(healthy(t, '0.5x capacity', 'capacity 2,000/s, 50 ms, offered 1,000/s, 5 s budget'), {
      ...capacity,
    }),
    embedded(
      healthy(t, 'bg503-5%', '5% 503 without retry-after, capacity 2,000/s, offered 1,000/s'),
      { ...capacity, errorFraction: 0.05, retryAfterS: null },
    ),
    embedded(
      healthy(t, 'bg503-25%', '25% 503 without retry-after, capacity 2,000/s, offered 1,000/s'),
      { ...capacity, errorFraction: 0.25, retryAfterS: null },
    ),
    embedded(healthy(t, '404-25%', '25% 404, capacity 2,000/s, offered 1,000/s'), {
      ...capacity,
      notFoundFraction: 0.25,
    }),
    embedded(
      healthy(
        t,
        'lognormal tail',
        'lognormal 50 ms mean, p99 700 ms (14x), offered 1,000/s, 1 s budget',
        {
          timeoutMs: 1000,
        },
      ),
      { latencyMs: 50, latencyDist: 'lognormal', latencyP99Ms: 700 },
    ),
    embedded(
      healthy(t, 'cold start', 'fast server (2 ms), offered 2,000/s from t = 0, 5 s budget', {
        rateTps: 2000,
      }),
      { latencyMs: 2 },
    ),
    embedded(
      healthy(
        t,
        'x10 spike',
        `latency x10 at ${t.spikeAtMs / 1000} s for ${t.spikeForMs / 1000} s; 2 conns, 2,000/s, 1 s budget`,
        {
          rateTps: 2000,
          timeoutMs: 1000,
          durationMs: t.spikeRunMs,
          naiveConnections: 2,
          adaptiveMaxConnections: 2,
          freshServerPerRun: true,
          spike,
        },
      ),
      { latencyMs: 50, latencySpike: { factor: 10, ...spike } },
    ),
    embedded(congested(t, 'capped'), { latencyMs: 50, maxConcurrentStreams: 100 }),
    embedded(congested(t, 'uncapped'), { latencyMs: 50, maxConcurrentStreams: 100 }),
  ];
}

/**
 * The nginx rows: the conditions nginx can model with `echo_sleep` (a fixed
 * latency), `split_clients` (a random share of 503 or 404) and no capacity
 * limit but its stream limit. Shares are random per request here, not exact.
 * No lognormal tail and no spike: nginx's echo module sleeps a fixed time.
 */
export function nginxConditions(t: MatrixTiming = defaultMatrixTiming): DominanceCondition[] {
  const nginx = (base: Base, nginxPath: string): DominanceCondition => ({
    ...base,
    server: 'nginx',
    serverOptions: {},
    nginxPath,
  });
  return [
    nginx(healthy(t, '0.5x capacity', '50 ms, 1 connection (2,000/s), offered 1,000/s'), '/'),
    nginx(
      healthy(t, 'bg503-5%', '~5% 503 (split_clients, no retry-after), offered 1,000/s'),
      '/bg503-5',
    ),
    nginx(healthy(t, 'bg503-25%', '~25% 503 (no retry-after), offered 1,000/s'), '/bg503-25'),
    nginx(healthy(t, '404-25%', '~25% 404, offered 1,000/s'), '/notfound-25'),
    nginx(
      healthy(t, 'cold start', 'fast location (2 ms), offered 2,000/s from t = 0', {
        rateTps: 2000,
      }),
      '/fast',
    ),
    nginx(congested(t, 'capped'), '/'),
    nginx(congested(t, 'uncapped'), '/'),
  ];
}
