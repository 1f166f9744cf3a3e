/**
 * Issue 16's seed through `fetch`: golang/go#52845's load (3,000/s offered
 * to one connection of 100 streams × 50 ms = 2,000/s, a 5 s budget) sent
 * with Node's global `fetch` over TLS, through h2flow's agent (1 and 4
 * connections allowed) and through undici's own `Agent({ allowH2: true })`
 * on one connection with the caller's `AbortSignal.timeout(budget)`. The
 * server is `h2flow serve --tls` in its own process; the capped row is
 * judged against a closed-loop probe of one connection just before and just
 * after it, and the server counts the RST_STREAM(CANCEL) it received.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientStats } from '../../../src/core/clientStats.js';
import { fetchServerStats } from '../../../src/load/fetchServerStats.js';
import { probeConnectionCapacity } from '../../../src/load/probeConnectionCapacity.js';
import { createAgent } from '../../../src/undici/index.js';
import { repoRoot } from '../results.js';
import { startServerProcess } from '../serverProcess.js';
import { type FetchOpenLoopResult, runFetchOpenLoop } from './fetchOpenLoop.js';

/** The rows: h2flow's agent capped at one connection, allowed four, and undici's HTTP/2 on one. */
export type FetchSeedRowName =
  | 'h2flow, 1 connection'
  | 'h2flow, max 4'
  | 'undici allowH2, 1 connection';

/** The rows in the order they run. */
export const fetchSeedRowNames: readonly FetchSeedRowName[] = [
  'h2flow, 1 connection',
  'h2flow, max 4',
  'undici allowH2, 1 connection',
];

/** Lengths and rates of the scenario. */
export interface FetchSeedPlan {
  readonly rateTps: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  /** Counted part of each capacity probe, ms. */
  readonly probeMs: number;
  /** Rows to run; default all. */
  readonly rows?: readonly FetchSeedRowName[] | undefined;
}

/** The scenario: 3,000/s for 15 s with a 5 s budget. */
export const seedPlan: FetchSeedPlan = {
  rateTps: 3000,
  durationMs: 15_000,
  timeoutMs: 5000,
  probeMs: 4000,
};

/** One row's figures. */
export interface FetchSeedRow {
  readonly name: FetchSeedRowName;
  readonly loop: FetchOpenLoopResult;
  /** The h2flow agent's own counters for the origin; undefined for undici. */
  readonly stats: ClientStats | undefined;
  /** RST_STREAM(CANCEL) the server received during the row. */
  readonly serverCancels: number;
  /** Mean of the probes of one connection before and after the row, req/s; undefined where not probed. */
  readonly probeTps: number | undefined;
}

/** Runs the plan's rows against one TLS server in its own process. */
export async function runFetchSeed(
  plan: FetchSeedPlan,
  onRow: (row: FetchSeedRow) => void = () => {},
): Promise<FetchSeedRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'h2flow-fetch-seed-'));
  const caPath = join(dir, 'ca.pem');
  const server = await startServerProcess(join(repoRoot(), 'dist', 'cli', 'bin.js'), [
    'serve',
    '--port',
    '0',
    '--tls',
    '--ca-out',
    caPath,
    '--max-streams',
    '100',
    '--latency',
    '50ms',
  ]);
  const ca = readFileSync(caPath, 'utf8');
  const origin = server.url;
  const cancels = async (): Promise<number> =>
    (await fetchServerStats(origin, { ca, timeoutMs: 5000 }))?.rstReceived.CANCEL ?? 0;
  const probe = async (): Promise<number> =>
    (await probeConnectionCapacity(`${origin}/`, { ca, durationMs: plan.probeMs })).completedTps;
  const rows: FetchSeedRow[] = [];
  try {
    for (const name of plan.rows ?? fetchSeedRowNames) {
      const capped = name === 'h2flow, 1 connection';
      const before = capped ? await probe() : undefined;
      const cancelsBefore = await cancels();
      const { loop, stats } = await runRow(name, `${origin}/seed`, origin, ca, plan);
      const serverCancels = (await cancels()) - cancelsBefore;
      const after = capped ? await probe() : undefined;
      const probeTps =
        before === undefined || after === undefined ? undefined : (before + after) / 2;
      const row = { name, loop, stats, serverCancels, probeTps };
      rows.push(row);
      onRow(row);
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function runRow(
  name: FetchSeedRowName,
  url: string,
  origin: string,
  ca: string,
  plan: FetchSeedPlan,
): Promise<{ loop: FetchOpenLoopResult; stats: ClientStats | undefined }> {
  const base = { url, rateTps: plan.rateTps, durationMs: plan.durationMs };
  if (name === 'undici allowH2, 1 connection') {
    const { Agent } = await import('undici');
    const agent = new Agent({ allowH2: true, connections: 1, connect: { ca } });
    try {
      const loop = await runFetchOpenLoop({
        ...base,
        dispatcher: agent,
        abortAfterMs: plan.timeoutMs,
      });
      return { loop, stats: undefined };
    } finally {
      await agent.close();
    }
  }
  const maxConnections = name === 'h2flow, max 4' ? 4 : 1;
  const agent = createAgent({ maxConnections, timeoutMs: plan.timeoutMs, ca });
  try {
    const loop = await runFetchOpenLoop({ ...base, dispatcher: agent });
    return { loop, stats: agent.client(origin)?.stats() };
  } finally {
    await agent.close();
  }
}
