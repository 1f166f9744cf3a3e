/**
 * Issue 16's bounds on the seed through `fetch`, for h2flow's adaptive
 * agent: every fetch settles; 0 timeouts; 0 RST_STREAM at the server;
 * goodput ≥ 0.97 × what one saturated connection carries (capped at one:
 * the saturated row's steady goodput, after the first second, against the
 * capped row's), or ≥ 0.97 × the offered rate (up to four connections
 * allowed: the whole run's). The other rows are only reported.
 */
import type { FetchSeedRow } from './fetchSeedRows.js';

/** The bound on goodput, as a share of what it is compared with. */
export const goodputShare = 0.97;

/** The goodput a row is judged by, req/s. */
export function judgedGoodputTps(row: FetchSeedRow): number {
  return row.saturatedTps === undefined ? row.loop.goodputTps : row.loop.steadyGoodputTps;
}

/** What the goodput is compared with, req/s: the saturated connection, or the offered rate. */
export function goodputBasisTps(row: FetchSeedRow, rateTps: number): number {
  return row.saturatedTps ?? rateTps;
}

/** Whether the bounds apply to `row` (the adaptive agent's rows). */
export function isJudged(row: FetchSeedRow): boolean {
  return row.name === 'h2flow, 1 connection' || row.name === 'h2flow, max 4';
}

/** Why `row` misses the bounds; empty when it meets them (and for the rows only reported). */
export function seedMisses(row: FetchSeedRow, rateTps: number): string[] {
  if (!isJudged(row) || row.stats === undefined) return [];
  const misses: string[] = [];
  if (row.loop.settled !== row.loop.offered) {
    misses.push(`settled ${row.loop.settled} of ${row.loop.offered}`);
  }
  if (row.stats.timedOut > 0) misses.push(`${row.stats.timedOut} timeouts`);
  if (row.serverCancels > 0) misses.push(`${row.serverCancels} RST_STREAM at the server`);
  const goodput = judgedGoodputTps(row);
  const basis = goodputBasisTps(row, rateTps);
  if (goodput < goodputShare * basis) {
    misses.push(`goodput ${goodput.toFixed(0)} < ${goodputShare} × ${basis.toFixed(0)}`);
  }
  return misses;
}
