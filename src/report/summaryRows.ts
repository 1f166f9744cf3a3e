import type { PolicyResult, RunReport, ServerStats } from '../core/runResult.js';
import {
  formatCount,
  formatMs,
  formatPercent,
  formatRateTps,
  fractionOf,
  notAvailable,
} from './formatNumber.js';
import { serverStatsAt, totalRstReceived } from './serverWitness.js';

/** One metric across every policy of a report, formatted for people. */
export interface SummaryRow {
  /** What the row shows, with its unit, e.g. `goodput (req/s)`. */
  readonly label: string;
  /** One cell per policy, in `report.results` order. */
  readonly cells: readonly string[];
  /** The cells are numbers (right-aligned) rather than words. */
  readonly numeric: boolean;
}

// A count with its share of submitted requests, "41,400 (23.0%)"; a plain "0" when none.
function countWithShare(n: number, r: PolicyResult): string {
  return n === 0 ? '0' : `${formatCount(n)} (${formatPercent(fractionOf(n, r.submitted))})`;
}

/**
 * The side-by-side summary shared by the text table and the HTML report:
 * load, outcomes, goodput against capacity, wire cancellations (and the
 * server's own counts when the report has them), tail latencies, connections
 * and the controller's view of the path. A capacity of 0 means unknown and
 * shows as `–`, as does the efficiency derived from it.
 */
export function summaryRows(report: RunReport): SummaryRow[] {
  const results = report.results;
  const row = (label: string, cell: (r: PolicyResult) => string, numeric = true): SummaryRow => ({
    label,
    cells: results.map(cell),
    numeric,
  });
  const rows: SummaryRow[] = [
    row('offered (req/s)', (r) => formatRateTps(r.offeredTps)),
    row('submitted', (r) => formatCount(r.submitted)),
    row('succeeded', (r) => countWithShare(r.succeeded, r)),
    row('goodput (req/s)', (r) => formatRateTps(r.goodputTps)),
    row('capacity (req/s)', (r) =>
      r.capacityTps > 0 ? formatRateTps(r.capacityTps) : notAvailable,
    ),
    row('efficiency', (r) => (r.capacityTps > 0 ? formatPercent(r.efficiency) : notAvailable)),
    row('timed out', (r) => countWithShare(r.timedOut, r)),
    row('rejected (shed)', (r) => countWithShare(r.rejected, r)),
    row('failed', (r) => countWithShare(r.failed, r)),
    row('cancelled on wire', (r) => formatCount(r.cancelledOnWire)),
  ];
  if (report.serverStats !== undefined) {
    const serverRow = (label: string, cell: (s: ServerStats) => string): SummaryRow => ({
      label,
      cells: results.map((_, i) => {
        const stats = serverStatsAt(report, i);
        return stats ? cell(stats) : notAvailable;
      }),
      numeric: true,
    });
    rows.push(
      serverRow('RST_STREAM at server', (s) => formatCount(totalRstReceived(s))),
      serverRow('refused by server', (s) => formatCount(s.refused)),
      serverRow('GOAWAY from server', (s) => formatCount(s.goawaySent)),
    );
  }
  rows.push(
    row('retries', (r) => formatCount(r.retries)),
    row('queue-wait p99 (ms)', (r) => formatMs(r.queueWaitP99Ms)),
    row('latency p99 (ms)', (r) => formatMs(r.latencyP99Ms)),
    row('max connections', (r) => formatCount(r.connectionsMax)),
    row('path state', (r) => r.pathState, false),
  );
  return rows;
}
