import type { PolicyResult, RunReport, ServerStats } from '../core/runResult.js';
import { formatCount, formatMs, formatPercent, formatRateTps, fractionOf } from './formatNumber.js';
import { serverStatsAt, totalRstReceived } from './serverWitness.js';

/**
 * How a policy fared: `bad` when it cancelled streams on the wire (by its
 * own or the server's count) or timed out more than {@link timedOutBadFraction}
 * of its requests; `warn` for any other timeout or failure; `ok` otherwise.
 * Shedding load (rejected) is not a fault: it is how a capped client keeps
 * the rest of its requests inside their deadline.
 */
export type VerdictSeverity = 'ok' | 'warn' | 'bad';

/** Share of submitted requests that may time out before a verdict is `bad` (issue 3's 0.1% bar). */
export const timedOutBadFraction = 0.001;

/** A plain-English verdict on one policy of a report. */
export interface PolicyVerdict {
  /** The policy's name, as in the report. */
  readonly policy: string;
  /** How it fared. */
  readonly severity: VerdictSeverity;
  /** One paragraph, without the policy name, e.g. `23.0% of 180,000 requests timed out and …`. */
  readonly text: string;
}

const plural = (n: number, one: string, many: string): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

function outcomeClause(r: PolicyResult, server: ServerStats | null | undefined): string {
  const timedOut =
    r.timedOut > 0
      ? `${formatPercent(fractionOf(r.timedOut, r.submitted))} of ${plural(r.submitted, 'request', 'requests')} timed out`
      : 'no request timed out';
  let wire: string;
  if (r.cancelledOnWire > 0) {
    const n = plural(r.cancelledOnWire, 'stream was', 'streams were');
    wire = `${r.timedOut > 0 ? 'and' : 'but'} ${n} cancelled on the wire`;
  } else {
    wire = `${r.timedOut > 0 ? 'but' : 'and'} no stream was cancelled on the wire`;
  }
  let text = `${timedOut} ${wire}`;
  if (server) {
    text += ` (the server counted ${plural(totalRstReceived(server), 'RST_STREAM', 'RST_STREAMs')})`;
  }
  if (r.rejected > 0) {
    text += `; ${formatPercent(fractionOf(r.rejected, r.submitted))} were shed before sending`;
  }
  if (r.failed > 0) text += `; ${formatCount(r.failed)} failed otherwise`;
  const top = Object.entries(r.failuresByCause ?? {})[0];
  if (top !== undefined) text += ` (top cause: ${top[0]}, ${formatCount(top[1])})`;
  return text;
}

function performanceClause(r: PolicyResult, timeoutMs: number): string {
  let text = `Goodput was ${formatRateTps(r.goodputTps)} req/s`;
  if (r.capacityTps > 0) {
    text += `, ${formatPercent(r.efficiency)} of the ${formatRateTps(r.capacityTps)} req/s capacity`;
  }
  text += `; queue-wait p99 was ${formatMs(r.queueWaitP99Ms)} ms`;
  if (timeoutMs > 0) {
    text += `, ${formatPercent(fractionOf(r.queueWaitP99Ms, timeoutMs))} of the ${formatMs(timeoutMs)} ms budget`;
  }
  text +=
    r.connectionsMax > 1
      ? `, on up to ${formatCount(r.connectionsMax)} connections`
      : `, on ${plural(r.connectionsMax, 'connection', 'connections')}`;
  if (r.pathState === 'no-connection') text += '; no connection was ever established';
  else if (r.pathState !== 'none' && r.pathState !== 'unknown') {
    text += `; the path was ${r.pathState}`;
  }
  return text;
}

function severityOf(r: PolicyResult, server: ServerStats | null | undefined): VerdictSeverity {
  const serverResets = server ? totalRstReceived(server) : 0;
  if (r.cancelledOnWire > 0 || serverResets > 0) return 'bad';
  if (fractionOf(r.timedOut, r.submitted) > timedOutBadFraction) return 'bad';
  return r.timedOut > 0 || r.failed > 0 ? 'warn' : 'ok';
}

/**
 * The verdict on one policy: what went wrong (timeouts, wire cancellations,
 * with the server's own RST_STREAM count when known, shed and failed
 * requests), then how well it used the path (goodput against capacity,
 * queue wait against the `timeoutMs` budget, connections, path state).
 */
export function policyVerdict(
  result: PolicyResult,
  server: ServerStats | null | undefined,
  timeoutMs: number,
): PolicyVerdict {
  const text =
    result.submitted === 0
      ? 'no request was submitted.'
      : `${outcomeClause(result, server)}. ${performanceClause(result, timeoutMs)}.`;
  return { policy: result.policy, severity: severityOf(result, server), text };
}

/** One {@link policyVerdict} per policy of `report`, in `results` order. */
export function reportVerdicts(report: RunReport): PolicyVerdict[] {
  return report.results.map((r, i) => policyVerdict(r, serverStatsAt(report, i), report.timeoutMs));
}
