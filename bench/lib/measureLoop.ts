/**
 * One measured run of a closed-loop client, as the client-overhead benches
 * take it: the loop started fresh, `warmupMs` unmeasured (connect, JIT, slow
 * start), then `measureMs` counted, then stopped and drained.
 */
import type { ClosedLoop } from './closedLoop.js';
import { startGcProfile } from './gcProfile.js';
import { ownCpuMs, processCpuMs } from './processCpu.js';

/** One client's figures in one round. */
export interface RoundFigure {
  readonly reqPerS: number;
  /** Bench-process CPU per answered request, µs (NaN for a client in another process). */
  readonly cpuUsPerReq: number;
  /** Server CPU over the measured part, as a fraction of one core. */
  readonly serverCore: number;
  readonly failed: number;
  /** Bytes this process allocated per answered request over the measured part (bench/lib/gcProfile.ts). */
  readonly allocatedBytesPerReq: number;
  /** Bytes its scavenges promoted to the old generation per answered request, likewise. */
  readonly promotedBytesPerReq: number;
}

/** {@link RoundFigure} with the requests the loop completed in all, warm-up included. */
export interface LoopRun extends RoundFigure {
  readonly totalCompleted: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one closed-loop client against the server of pid `serverPid`: warm-up, then a measured
 * stretch. Without a pid (a server this bench did not start) `serverCore` is NaN.
 */
export async function measureLoop(
  start: () => Promise<ClosedLoop> | ClosedLoop,
  serverPid: number | undefined,
  warmupMs: number,
  measureMs: number,
): Promise<LoopRun> {
  const loop = await start();
  await sleep(warmupMs);
  const c0 = loop.completed;
  const f0 = loop.failed;
  const cpu0 = ownCpuMs();
  const srv0 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const t0 = performance.now();
  const gc = startGcProfile();
  await sleep(measureMs);
  const g = gc.stop();
  const c1 = loop.completed;
  const f1 = loop.failed;
  const cpu1 = ownCpuMs();
  const srv1 = serverPid === undefined ? undefined : processCpuMs(serverPid);
  const t1 = performance.now();
  await loop.stop();
  const done = c1 - c0;
  const elapsed = t1 - t0;
  return {
    reqPerS: (done / elapsed) * 1000,
    cpuUsPerReq: ((cpu1 - cpu0) * 1000) / Math.max(1, done),
    serverCore: srv0 === undefined || srv1 === undefined ? Number.NaN : (srv1 - srv0) / elapsed,
    failed: f1 - f0,
    allocatedBytesPerReq: g.allocatedBytes / Math.max(1, done),
    promotedBytesPerReq: g.promotedBytes / Math.max(1, done),
    totalCompleted: loop.completed,
  };
}
