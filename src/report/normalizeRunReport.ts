import type { PolicyResult, RunReport, ServerStats, TimelinePoint } from '../core/runResult.js';

/**
 * A finite number: NaN, ±Infinity and -0 become 0. Reports follow
 * runResult.ts's own convention that 0 means "unknown" (`capacityTps` 0
 * when unknown, `efficiency` 0 then), so a 0/0 efficiency or the p99 of an
 * empty histogram reads as "not measured" instead of breaking the output:
 * JSON has no NaN or Infinity (fast-json-stringify throws on NaN and writes
 * `null` for Infinity), and a chart cannot place either.
 */
export function finiteOr0(value: number): number {
  return Number.isFinite(value) && value !== 0 ? value : 0;
}

function timelinePoint(p: TimelinePoint): TimelinePoint {
  return {
    tS: finiteOr0(p.tS),
    offeredTps: finiteOr0(p.offeredTps),
    admittedTps: finiteOr0(p.admittedTps),
    completedTps: finiteOr0(p.completedTps),
    succeededTps: finiteOr0(p.succeededTps),
    rejectedTps: finiteOr0(p.rejectedTps),
    timedOutTps: finiteOr0(p.timedOutTps),
    failedTps: finiteOr0(p.failedTps),
    cancelledOnWireTps: finiteOr0(p.cancelledOnWireTps),
    queueWaitP99Ms: finiteOr0(p.queueWaitP99Ms),
    latencyP99Ms: finiteOr0(p.latencyP99Ms),
    connections: finiteOr0(p.connections),
    rateTps: finiteOr0(p.rateTps),
    reason: p.reason,
  };
}

function policyResult(r: PolicyResult): PolicyResult {
  return {
    policy: r.policy,
    offeredTps: finiteOr0(r.offeredTps),
    durationS: finiteOr0(r.durationS),
    submitted: finiteOr0(r.submitted),
    succeeded: finiteOr0(r.succeeded),
    timedOut: finiteOr0(r.timedOut),
    rejected: finiteOr0(r.rejected),
    failed: finiteOr0(r.failed),
    cancelledOnWire: finiteOr0(r.cancelledOnWire),
    goodputTps: finiteOr0(r.goodputTps),
    capacityTps: finiteOr0(r.capacityTps),
    efficiency: finiteOr0(r.efficiency),
    queueWaitP99Ms: finiteOr0(r.queueWaitP99Ms),
    latencyP99Ms: finiteOr0(r.latencyP99Ms),
    connectionsMax: finiteOr0(r.connectionsMax),
    retries: finiteOr0(r.retries),
    pathState: r.pathState,
    timeline: r.timeline.map(timelinePoint),
    ...(r.statuses === undefined ? {} : { statuses: finiteCounts(r.statuses) }),
    ...(r.httpErrors === undefined ? {} : { httpErrors: finiteOr0(r.httpErrors) }),
    ...(r.errorRate === undefined ? {} : { errorRate: finiteOr0(r.errorRate) }),
    ...(r.failuresByCause === undefined
      ? {}
      : { failuresByCause: finiteCounts(r.failuresByCause) }),
    ...(r.firstFailure === undefined
      ? {}
      : { firstFailure: { cause: r.firstFailure.cause, message: r.firstFailure.message } }),
  };
}

// Keys keep their order: the producer sorts them (statuses by code, causes by count).
function finiteCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(counts)) out[key] = finiteOr0(n);
  return out;
}

function serverStats(s: ServerStats): ServerStats {
  // Sorted keys: the server fills this map in the order resets arrive, which
  // would otherwise make two equal reports serialize differently.
  const rstReceived: Record<string, number> = {};
  for (const code of Object.keys(s.rstReceived).sort()) {
    rstReceived[code] = finiteOr0(s.rstReceived[code] ?? 0);
  }
  return {
    streamsStarted: finiteOr0(s.streamsStarted),
    streamsCompleted: finiteOr0(s.streamsCompleted),
    rstReceived,
    refused: finiteOr0(s.refused),
    maxConcurrentSeen: finiteOr0(s.maxConcurrentSeen),
    goawaySent: finiteOr0(s.goawaySent),
  };
}

/**
 * A canonical copy of `report` that every renderer starts from: each number
 * finite ({@link finiteOr0}), `rstReceived` keys sorted, and only the fields
 * runResult.ts defines. The input is not modified.
 */
export function normalizeRunReport(report: RunReport): RunReport {
  return {
    kind: report.kind,
    title: report.title,
    description: report.description,
    timeoutMs: finiteOr0(report.timeoutMs),
    ...(report.seed === undefined ? {} : { seed: finiteOr0(report.seed) }),
    results: report.results.map(policyResult),
    ...(report.serverStats === undefined
      ? {}
      : { serverStats: report.serverStats.map((s) => (s === null ? null : serverStats(s))) }),
    ...(report.thresholds === undefined
      ? {}
      : {
          thresholds: report.thresholds.map((t) => ({
            expression: t.expression,
            actual: finiteOr0(t.actual),
            passed: t.passed,
          })),
        }),
  };
}
