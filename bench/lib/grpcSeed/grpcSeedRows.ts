/**
 * Issue 12's scenario: unary calls offered open-loop to a grpc-js server
 * whose handler answers after 50 ms with `grpc.max_concurrent_streams: 100`
 * (one connection carries ~2,000/s), each call with a 1 s deadline. Rows,
 * each against a fresh server in its own process, which counts the calls
 * that reached it and those cancelled before their answer:
 * - `plain grpc-js`: a generic client on its own channel (one connection;
 *   grpc-js never opens a second to one backend);
 * - `probe`: the same client in a closed loop of 200 outstanding calls with
 *   no deadline, counting completions (what one connection carries);
 * - `h2flow, 1 connection` and `h2flow, max 4`: the client with
 *   `channelOverride: createChannel(...)`.
 */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ClientStats } from '../../../src/core/clientStats.js';
import { createChannel } from '../../../src/grpc/index.js';
import { type OpenLoopResult, runOpenLoop } from '../openLoop.js';
import { repoRoot } from '../results.js';
import { startServerProcess } from '../serverProcess.js';
import { echoService } from './echoServer.js';

/** The rows, in the order they run. */
export type GrpcSeedRowName = 'plain grpc-js' | 'probe' | 'h2flow, 1 connection' | 'h2flow, max 4';

/** The rows in order. */
export const grpcSeedRowNames: readonly GrpcSeedRowName[] = [
  'plain grpc-js',
  'probe',
  'h2flow, 1 connection',
  'h2flow, max 4',
];

/** Rates and lengths of a run. */
export interface GrpcSeedPlan {
  readonly rateTps: number;
  readonly durationMs: number;
  readonly deadlineMs: number;
  readonly handlerMs: number;
  readonly rows?: readonly GrpcSeedRowName[] | undefined;
}

/** The issue's: 3,000 calls/s for 10 s, 1 s deadlines, a 50 ms handler. */
export const grpcSeedPlan: GrpcSeedPlan = {
  rateTps: 3000,
  durationMs: 10_000,
  deadlineMs: 1000,
  handlerMs: 50,
};

/** What the server counted during a row. */
export interface ServerCounts {
  readonly arrivals: number;
  readonly cancelled: number;
  readonly maxInHandler: number;
}

/** One row's figures. */
export interface GrpcSeedRow {
  readonly name: GrpcSeedRowName;
  /** The open loop's outcomes (the probe's: completions per second in `steadyGoodputTps`). */
  readonly loop: OpenLoopResult;
  readonly server: ServerCounts;
  /** h2flow's limiter counters; undefined for plain grpc-js. */
  readonly stats: ClientStats | undefined;
}

const EchoClient = grpc.makeGenericClientConstructor(echoService, 'Echo');
const insecure = grpc.credentials.createInsecure();
const statusName = Object.fromEntries(Object.entries(grpc.status).map(([k, v]) => [v, k]));

/** One unary call: `ok`, or the name of the status it ended with. */
function callOnce(client: grpc.Client, deadlineMs: number): Promise<string> {
  return new Promise((resolve) => {
    (client as unknown as Record<string, Function>).Call(
      Buffer.from('{"units":1}'),
      { deadline: Date.now() + deadlineMs },
      (error: grpc.ServiceError | null) =>
        resolve(error ? (statusName[error.code] ?? String(error.code)) : 'ok'),
    );
  });
}

/** Completions per second of one saturated connection: 200 calls kept outstanding for `durationMs`. */
async function probe(client: grpc.Client, durationMs: number): Promise<OpenLoopResult> {
  const fromMs = performance.now() + 500;
  const untilMs = fromMs + durationMs;
  let counted = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < untilMs) {
      const outcome = await callOnce(client, 30_000);
      const endMs = performance.now();
      if (outcome === 'ok' && endMs >= fromMs && endMs <= untilMs) counted++;
    }
  };
  await Promise.all(Array.from({ length: 200 }, worker));
  const tps = (counted / durationMs) * 1000;
  return {
    offered: counted,
    settled: counted,
    succeeded: counted,
    goodputTps: tps,
    steadyGoodputTps: tps,
    errors: {},
    sendLagP99Ms: 0,
  };
}

/** Runs the plan's rows, each against a fresh server process (`make build` and the bench build first). */
export async function runGrpcSeed(
  plan: GrpcSeedPlan,
  onRow: (row: GrpcSeedRow) => void = () => {},
): Promise<GrpcSeedRow[]> {
  const rows: GrpcSeedRow[] = [];
  for (const name of plan.rows ?? grpcSeedRowNames) {
    const script = join(repoRoot(), '.build', 'bench', 'lib', 'grpcSeed', 'echoServerProcess.js');
    const server = await startServerProcess(script, [String(plan.handlerMs), '100']);
    const target = server.url;
    let stats: ClientStats | undefined;
    let loop: OpenLoopResult;
    const channel = name.startsWith('h2flow')
      ? createChannel(target, insecure, {
          maxConnections: name === 'h2flow, max 4' ? 4 : 1,
          timeoutMs: plan.deadlineMs,
        })
      : undefined;
    const client = new EchoClient(target, insecure, channel ? { channelOverride: channel } : {});
    try {
      loop =
        name === 'probe'
          ? await probe(client, 3000)
          : await runOpenLoop(plan.rateTps, plan.durationMs, () =>
              callOnce(client, plan.deadlineMs),
            );
      stats = channel?.limiter.stats();
    } finally {
      client.close();
      channel?.close();
    }
    const lines = (await server.stop()).trim().split('\n');
    const row = { name, loop, stats, server: JSON.parse(lines.at(-1) ?? '{}') as ServerCounts };
    rows.push(row);
    onRow(row);
  }
  return rows;
}
