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
 * load, outcomes (HTTP errors too, when the run judged statuses), goodput
 * against capacity, wire cancellations (and the server's own counts when
 * the report has them), tail latencies, connections, the path state, then
 * responses by status and the top failure causes when the run counted them. A capacity of 0 means unknown and
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
  ];
  if (results.some((r) => r.httpErrors !== undefined)) {
    rows.push(row('HTTP errors', (r) => countWithShare(r.httpErrors ?? 0, r)));
  }
  rows.push(row('cancelled on wire', (r) => formatCount(r.cancelledOnWire)));
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
    row('path state', pathStateText, false),
    ...keyedRows(
      results,
      'status',
      (r) => r.statuses,
      maxStatusRows,
      (a, b) => Number(a) - Number(b),
    ),
    ...keyedRows(results, 'failure:', (r) => r.failuresByCause, maxCauseRows),
  );
  return rows;
}

/** Most `status` rows, and most `failure:` rows, before the rest is summed in an `other` row. */
const maxStatusRows = 6;
const maxCauseRows = 5;

/** `no connection: ECONNREFUSED` when no session came up, naming the commonest connection cause. */
function pathStateText(r: PolicyResult): string {
  if (r.pathState !== 'no-connection') return r.pathState;
  const cause = Object.keys(r.failuresByCause ?? {}).find((c) =>
    /^(connect|tls|protocol) /.test(c),
  );
  return cause === undefined ? 'no connection' : `no connection: ${cause.replace(/^connect /, '')}`;
}

/**
 * One row per key of a per-policy count map (statuses, failure causes): the
 * keys with the highest totals across policies, then `other` for the rest.
 * Rows appear only where some policy has counts.
 */
function keyedRows(
  results: readonly PolicyResult[],
  prefix: string,
  countsOf: (r: PolicyResult) => Readonly<Record<string, number>> | undefined,
  maxRows: number,
  order?: (a: string, b: string) => number,
): SummaryRow[] {
  const totals = new Map<string, number>();
  for (const r of results) {
    for (const [key, n] of Object.entries(countsOf(r) ?? {})) {
      totals.set(key, (totals.get(key) ?? 0) + n);
    }
  }
  const byTotal = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = byTotal.slice(0, totals.size > maxRows ? maxRows - 1 : maxRows).map(([k]) => k);
  if (order) shown.sort(order);
  const rest = new Set(byTotal.slice(shown.length).map(([k]) => k));
  const cell = (r: PolicyResult, keys: readonly string[]): string =>
    countsOf(r) === undefined
      ? notAvailable
      : formatCount(keys.reduce((sum, k) => sum + (countsOf(r)?.[k] ?? 0), 0));
  const rows = shown.map((key) => ({
    label: `${prefix} ${key}`,
    cells: results.map((r) => cell(r, [key])),
    numeric: true,
  }));
  if (rest.size > 0) {
    rows.push({
      label: `${prefix} other (${rest.size})`,
      cells: results.map((r) => cell(r, [...rest])),
      numeric: true,
    });
  }
  return rows;
}
