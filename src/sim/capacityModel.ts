import { frameHeaderBytes } from './link.js';
import { effectiveWarmupS, offeredTpsAt, type Scenario, stepValueAt } from './scenario.js';

/** The analytic limits on one client's throughput at one moment, req/s (`Infinity` when a limit does not apply). */
export interface CapacityLimits {
  /** What the client offers. */
  readonly offeredTps: number;
  /** connections × MAX_CONCURRENT_STREAMS ÷ mean stream lifetime (Little's law). */
  readonly streamLimitTps: number;
  /** connections × connection window ÷ RTT ÷ body bytes: the bytes a window lets through per round trip. */
  readonly windowLimitTps: number;
  /** Link bandwidth ÷ bytes per request on the busier direction. */
  readonly bandwidthLimitTps: number;
  /** workers ÷ mean service time: the server's own limit, shared by every client. */
  readonly serverLimitTps: number;
  /** Mean stream lifetime with no queueing (dispatch to response end), ms. */
  readonly streamLifetimeMs: number;
}

/** Steady-state capacity: the time average of the capacity over the measured part of the run. */
export interface SteadyCapacity {
  /** One client's capacity (its max-min fair share of the server when the server binds), req/s. */
  readonly perClientTps: number;
  /** Every client together, req/s. */
  readonly totalTps: number;
}

/** Bytes of a body on the wire: payload plus one frame header per DATA frame. */
function wireBytes(headerBytes: number, bodyBytes: number, maxFrameBytes: number): number {
  return (
    headerBytes +
    frameHeaderBytes +
    bodyBytes +
    Math.ceil(bodyBytes / maxFrameBytes) * frameHeaderBytes
  );
}

/**
 * The limits on one client with `connections` connections at `tS` seconds.
 *
 * Mean stream lifetime L = RTT + mean service time × latency factor(t)
 * + serialization of request and response at the link rate + one RTT per
 * extra flow-control window a body needs (a body larger than the window
 * waits a round trip for WINDOW_UPDATE each time the window runs out).
 */
export function capacityLimitsAt(s: Scenario, tS: number, connections: number): CapacityLimits {
  const { rttMs, bandwidthBytesPerS } = s.network;
  const h2 = s.http2;
  const factor = stepValueAt(s.server.latencySchedule, tS, 1, (e) => e.factor);
  const serviceMs = s.server.latency.meanMs * factor;
  const streams = stepValueAt(
    s.server.settingsSchedule,
    tS,
    s.server.maxConcurrentStreams,
    (e) => e.maxConcurrentStreams,
  );
  const upBytes = wireBytes(s.request.headerBytes, s.request.bodyBytes, h2.maxFrameBytes);
  const downBytes = wireBytes(s.response.headerBytes, s.response.bodyBytes, h2.maxFrameBytes);
  const msPerByte = Number.isFinite(bandwidthBytesPerS) ? 1000 / bandwidthBytesPerS : 0;
  const window = Math.min(h2.streamWindowBytes, h2.connectionWindowBytes);
  const windowRounds = (bytes: number): number =>
    bytes > window ? Math.ceil(bytes / window) - 1 : 0;
  const streamLifetimeMs =
    rttMs +
    serviceMs +
    (upBytes + downBytes) * msPerByte +
    (windowRounds(s.request.bodyBytes) + windowRounds(s.response.bodyBytes)) * rttMs;
  const bodyBytes = Math.max(s.request.bodyBytes, s.response.bodyBytes);
  return {
    offeredTps: offeredTpsAt(s, tS),
    streamLimitTps: (connections * streams * 1000) / streamLifetimeMs,
    windowLimitTps:
      bodyBytes > 0
        ? (connections * h2.connectionWindowBytes * 1000) / rttMs / bodyBytes
        : Infinity,
    bandwidthLimitTps: bandwidthBytesPerS / Math.max(upBytes, downBytes),
    serverLimitTps: (s.server.workers * 1000) / serviceMs,
    streamLifetimeMs,
  };
}

/**
 * capacityTps, derived and never hard-coded:
 * min(offered, streamLimit, windowLimit, bandwidthLimit) per client, then
 * the server's limit shared max-min fairly among the `clients` (identical
 * clients each get min(demand, server ÷ clients)), evaluated every 10 ms
 * and averaged over [warm-up, durationS]: the same span goodput is measured
 * over. `connections` is the policy's connection cap.
 */
export function steadyCapacity(
  s: Scenario,
  connections: number,
  durationS: number,
): SteadyCapacity {
  const fromS = effectiveWarmupS(s, durationS);
  const stepS = 0.01;
  const steps = Math.max(1, Math.round((durationS - fromS) / stepS));
  const dtS = (durationS - fromS) / steps;
  const clients = s.client.count;
  let sumPerClient = 0;
  for (let i = 0; i < steps; i++) {
    const l = capacityLimitsAt(s, fromS + (i + 0.5) * dtS, connections);
    const demand = Math.min(l.offeredTps, l.streamLimitTps, l.windowLimitTps, l.bandwidthLimitTps);
    sumPerClient += Math.min(demand, l.serverLimitTps / clients);
  }
  const perClientTps = durationS > fromS ? sumPerClient / steps : 0;
  return { perClientTps, totalTps: perClientTps * clients };
}
