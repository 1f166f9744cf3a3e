/**
 * Issue 16's seed through `fetch`: golang/go#52845's load (3,000/s offered
 * to one connection of 100 streams × 50 ms = 2,000/s, a 5 s budget) sent
 * with Node's global `fetch` over TLS, through h2flow's agent (1 and 4
 * connections allowed) and through undici's own `Agent({ allowH2: true })`
 * on one connection with the caller's `AbortSignal.timeout(budget)`. The
 * server is `h2flow serve --tls` in its own process and counts the
 * RST_STREAM(CANCEL) it received. The capped row is judged against a
 * saturating fetch client on the same connection just before it (see
 * {@link FetchSeedRowName}).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientStats } from '../../../src/core/clientStats.js';
import { fetchServerStats } from '../../../src/load/fetchServerStats.js';
import { createAgent } from '../../../src/undici/index.js';
import { repoRoot } from '../results.js';
import { startServerProcess } from '../serverProcess.js';
import { type FetchOpenLoopResult, runFetchOpenLoop } from './fetchOpenLoop.js';

/**
 * The rows, all through `fetch` on the same server:
 * - `saturated`: the agent with the `fixed` policy on one connection and a
 *   budget no request reaches (60 s): it queues everything, so every stream
 *   slot is always busy, and its steady goodput is what one connection
 *   carries for fetch callers at this offered load (the process's own fetch
 *   work included, which a closed-loop probe with h2flow's client leaves out:
 *   that read ~6% higher here);
 * - `naive`: the same with the 5 s budget, the seed's client: it spends the
 *   budget queueing, then cancels on the wire;
 * - the adaptive agent capped at one connection, judged against `saturated`
 *   just before it, and allowed four, judged against the offered rate;
 * - undici's own HTTP/2 on one connection with `AbortSignal.timeout(budget)`.
 */
export type FetchSeedRowName =
  | 'saturated (fixed, no deadline)'
  | 'naive (fixed), 1 connection'
  | 'h2flow, 1 connection'
  | 'h2flow, max 4'
  | 'undici allowH2, 1 connection';

/** The rows in the order they run: `saturated` just before the capped row it is the basis of. */
export const fetchSeedRowNames: readonly FetchSeedRowName[] = [
  'naive (fixed), 1 connection',
  'saturated (fixed, no deadline)',
  'h2flow, 1 connection',
  'h2flow, max 4',
  'undici allowH2, 1 connection',
];

/** The budget of the `saturated` row: longer than its queue ever waits. */
const saturatingBudgetMs = 60_000;

/** Lengths and rates of the scenario. */
export interface FetchSeedPlan {
  /** The server's latency per request, ms (100 streams ÷ latency = one connection's capacity). */
  readonly latencyMs: number;
  readonly rateTps: number;
  readonly durationMs: number;
  readonly timeoutMs: number;
  /** Rows to run; default all. */
  readonly rows?: readonly FetchSeedRowName[] | undefined;
}

/** The scenario: 3,000/s for 15 s with a 5 s budget. */
export const seedPlan: FetchSeedPlan = {
  latencyMs: 50,
  rateTps: 3000,
  durationMs: 15_000,
  timeoutMs: 5000,
};

/** One row's figures. */
export interface FetchSeedRow {
  readonly name: FetchSeedRowName;
  readonly loop: FetchOpenLoopResult;
  /** The h2flow agent's own counters for the origin; undefined for undici. */
  readonly stats: ClientStats | undefined;
  /** RST_STREAM(CANCEL) the server received during the row. */
  readonly serverCancels: number;
  /** The capped row's basis: the saturated row's steady goodput on the same connection, req/s; undefined for the others. */
  readonly saturatedTps: number | undefined;
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
    `${plan.latencyMs}ms`,
  ]);
  const ca = readFileSync(caPath, 'utf8');
  const origin = server.url;
  const cancels = async (): Promise<number> =>
    (await fetchServerStats(origin, { ca, timeoutMs: 5000 }))?.rstReceived.CANCEL ?? 0;
  const rows: FetchSeedRow[] = [];
  try {
    for (const name of plan.rows ?? fetchSeedRowNames) {
      const cancelsBefore = await cancels();
      const { loop, stats } = await runRow(name, `${origin}/seed`, origin, ca, plan);
      const serverCancels = (await cancels()) - cancelsBefore;
      const saturated = rows.find((r) => r.name === 'saturated (fixed, no deadline)');
      const saturatedTps =
        name === 'h2flow, 1 connection' ? saturated?.loop.steadyGoodputTps : undefined;
      const row = { name, loop, stats, serverCancels, saturatedTps };
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
  const fixed = name === 'naive (fixed), 1 connection' || name === 'saturated (fixed, no deadline)';
  const timeoutMs = name === 'saturated (fixed, no deadline)' ? saturatingBudgetMs : plan.timeoutMs;
  const agent = createAgent(
    fixed
      ? { policy: 'fixed', connections: 1, timeoutMs, ca }
      : { maxConnections: name === 'h2flow, max 4' ? 4 : 1, timeoutMs, ca },
  );
  try {
    const loop = await runFetchOpenLoop({ ...base, dispatcher: agent });
    return { loop, stats: agent.client(origin)?.stats() };
  } finally {
    await agent.close();
  }
}
