/**
 * The fetch-overhead bench's table for one session count, its two targets
 * (issue 16) and its result lines. Every ratio is taken within a round and
 * reported as the median over rounds with its spread, as client-overhead does.
 */
import type { RoundFigure } from './measureLoop.js';
import { appendResult, formatSpread, median, round, type Spread, spread } from './results.js';

/** The clients of the fetch-overhead bench, in their first round's order. */
export const fetchBenchClients = [
  'raw-tls',
  'fetch-agent',
  'fetch-undici',
  'fetch-noop',
  'fetch-bare',
] as const;

/** One client of the fetch-overhead bench. */
export type FetchBenchClient = (typeof fetchBenchClients)[number];

/** Target: fetch through the agent ÷ fetch through undici's HTTP/2, req/s, at least. */
export const goalAgentOverUndici = 1.5;
/** Target: the agent's own CPU per request (fetch-agent − fetch-noop) ÷ raw node:http2's, at most. */
export const goalAgentOwnCpuOverRaw = 1.2;

/** What the result lines record about the run besides the figures. */
export interface FetchBenchMeta {
  readonly method: 'GET' | 'POST';
  readonly rounds: number;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly streamsPerSession: number;
  readonly bodyBytes: number;
}

/** The two targets' per-round ratios, as medians with spread. */
export interface FetchTargets {
  readonly agentOverUndici: Spread;
  readonly agentOwnCpuOverRaw: Spread;
  /** The agent's own CPU per request, µs (median over rounds of agent − noop). */
  readonly agentOwnCpuUs: number;
  /**
   * The floor: what a bare node:http2 dispatcher costs beyond the no-op
   * (fetch-bare − fetch-noop) ÷ raw-tls. Any dispatcher on node:http2 pays it.
   */
  readonly floorCpuOverRaw: Spread;
  /** What the agent costs beyond the floor (fetch-agent − fetch-bare) ÷ raw-tls: h2flow's own. */
  readonly agentOverFloorCpuOverRaw: Spread;
  /** fetch through the agent ÷ through the bare dispatcher, req/s. */
  readonly agentOverBare: Spread;
}

/** The targets from each round's figures (the same round index across clients). */
export function fetchTargets(figures: Record<FetchBenchClient, RoundFigure[]>): FetchTargets {
  const agent = figures['fetch-agent'];
  const undici = figures['fetch-undici'];
  const noop = figures['fetch-noop'];
  const bare = figures['fetch-bare'];
  const raw = figures['raw-tls'];
  const own = agent.map((a, i) => a.cpuUsPerReq - noop[i]!.cpuUsPerReq);
  const overRaw = (cpu: (i: number) => number): Spread =>
    spread(raw.map((r, i) => cpu(i) / r.cpuUsPerReq));
  return {
    agentOverUndici: spread(agent.map((a, i) => a.reqPerS / undici[i]!.reqPerS)),
    agentOwnCpuOverRaw: overRaw((i) => own[i]!),
    agentOwnCpuUs: median(own),
    floorCpuOverRaw: overRaw((i) => bare[i]!.cpuUsPerReq - noop[i]!.cpuUsPerReq),
    agentOverFloorCpuOverRaw: overRaw((i) => agent[i]!.cpuUsPerReq - bare[i]!.cpuUsPerReq),
    agentOverBare: spread(agent.map((a, i) => a.reqPerS / bare[i]!.reqPerS)),
  };
}

const metText = (met: boolean): string => (met ? 'met' : 'NOT met');

/** Prints one session count's table and targets, and appends its JSON lines. */
export function reportFetchOverhead(
  sessions: number,
  figures: Record<FetchBenchClient, RoundFigure[]>,
  meta: FetchBenchMeta,
): void {
  console.log(`\n${sessions} session${sessions === 1 ? '' : 's'} (${meta.method}):`);
  console.log(
    '  client        req/s, median (min–max)   CPU µs/req (min–max)   server core   KiB/req allocated, promoted',
  );
  for (const c of fetchBenchClients) {
    const f = figures[c];
    const rate = spread(f.map((x) => x.reqPerS));
    const cpu = spread(f.map((x) => x.cpuUsPerReq));
    const core = median(f.map((x) => x.serverCore));
    const failed = f.reduce((s, x) => s + x.failed, 0);
    const allocatedKiB = median(f.map((x) => x.allocatedBytesPerReq)) / 1024;
    const promotedKiB = median(f.map((x) => x.promotedBytesPerReq)) / 1024;
    console.log(
      `  ${c.padEnd(12)}  ${formatSpread(rate, 0).padStart(24)}  ${formatSpread(cpu, 1).padStart(21)}` +
        `  ${c === 'fetch-noop' || Number.isNaN(core) ? '—'.padStart(11) : `${Math.round(core * 100)}%`.padStart(11)}` +
        `  ${allocatedKiB.toFixed(1).padStart(8)}, ${promotedKiB.toFixed(1)}` +
        (failed > 0 ? `  (${failed} failed)` : ''),
    );
    appendResult('fetch-overhead', {
      sessions,
      client: c,
      reqPerS: Math.round(rate.median),
      reqPerSMin: Math.round(rate.min),
      reqPerSMax: Math.round(rate.max),
      cpuUsPerReq: round(cpu.median, 1),
      allocatedKiBPerReq: round(allocatedKiB, 1),
      promotedKiBPerReq: round(promotedKiB, 1),
      serverCore: round(core, 2),
      failed,
      ...meta,
    });
  }
  const t = fetchTargets(figures);
  const fastEnough = t.agentOverUndici.median >= goalAgentOverUndici;
  const lightEnough = t.agentOwnCpuOverRaw.median <= goalAgentOwnCpuOverRaw;
  console.log(
    `  fetch-agent ÷ fetch-undici, req/s: ${formatSpread(t.agentOverUndici, 2)}` +
      ` (target ≥ ${goalAgentOverUndici}: ${metText(fastEnough)})`,
  );
  console.log(
    `  agent's own CPU (fetch-agent − fetch-noop, ${t.agentOwnCpuUs.toFixed(1)} µs/req) ÷ raw-tls: ` +
      `${formatSpread(t.agentOwnCpuOverRaw, 2)} (target ≤ ${goalAgentOwnCpuOverRaw}: ${metText(lightEnough)})`,
  );
  console.log(
    `  the floor, a bare node:http2 dispatcher's own CPU (fetch-bare − fetch-noop) ÷ raw-tls: ` +
      `${formatSpread(t.floorCpuOverRaw, 2)}`,
  );
  console.log(
    `  the agent beyond the floor (fetch-agent − fetch-bare) ÷ raw-tls: ` +
      `${formatSpread(t.agentOverFloorCpuOverRaw, 2)}; fetch-agent ÷ fetch-bare, req/s: ` +
      `${formatSpread(t.agentOverBare, 2)}`,
  );
  appendResult('fetch-overhead', {
    sessions,
    client: 'targets',
    agentOverUndici: round(t.agentOverUndici.median),
    agentOverUndiciMin: round(t.agentOverUndici.min),
    agentOverUndiciMax: round(t.agentOverUndici.max),
    goalAgentOverUndici,
    agentOwnCpuUs: round(t.agentOwnCpuUs, 1),
    agentOwnCpuOverRaw: round(t.agentOwnCpuOverRaw.median),
    agentOwnCpuOverRawMin: round(t.agentOwnCpuOverRaw.min),
    agentOwnCpuOverRawMax: round(t.agentOwnCpuOverRaw.max),
    goalAgentOwnCpuOverRaw,
    floorCpuOverRaw: round(t.floorCpuOverRaw.median),
    agentOverFloorCpuOverRaw: round(t.agentOverFloorCpuOverRaw.median),
    agentOverBare: round(t.agentOverBare.median),
    met: fastEnough && lightEnough,
    ...meta,
  });
}
