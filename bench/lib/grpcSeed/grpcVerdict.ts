/**
 * Issue 12's bounds on h2flow's channel in the gRPC seed's scenario:
 * - every call settles;
 * - 0 DEADLINE_EXCEEDED; 0 calls cancelled at the server;
 * - `max 4`: goodput ≥ 0.95 × the offered rate;
 * - `1 connection`: the excess ends locally with RESOURCE_EXHAUSTED, and
 *   steady goodput ≥ 0.9 × the probe of one saturated connection.
 * Plain grpc-js and the probe are only reported.
 */
import type { GrpcSeedRow } from './grpcSeedRows.js';

/** Why `row` misses the bounds; empty when it meets them, and for the rows only reported. */
export function grpcMisses(
  row: GrpcSeedRow,
  rateTps: number,
  probeTps: number | undefined,
): string[] {
  if (!row.name.startsWith('h2flow')) return [];
  const l = row.loop;
  const misses: string[] = [];
  if (l.settled !== l.offered) misses.push(`settled ${l.settled} of ${l.offered}`);
  const deadlines = l.errors.DEADLINE_EXCEEDED ?? 0;
  if (deadlines > 0) misses.push(`${deadlines} DEADLINE_EXCEEDED`);
  if (row.server.cancelled > 0) misses.push(`${row.server.cancelled} cancelled at the server`);
  if (row.name === 'h2flow, max 4' && l.goodputTps < 0.95 * rateTps) {
    misses.push(`goodput ${l.goodputTps.toFixed(0)} < 0.95 × ${rateTps}`);
  }
  if (row.name === 'h2flow, 1 connection') {
    const other = Object.keys(l.errors).filter((k) => k !== 'RESOURCE_EXHAUSTED');
    if (other.length > 0)
      misses.push(`failures other than RESOURCE_EXHAUSTED: ${other.join(', ')}`);
    if (probeTps !== undefined && l.steadyGoodputTps < 0.9 * probeTps) {
      misses.push(
        `steady goodput ${l.steadyGoodputTps.toFixed(0)} < 0.9 × probe ${probeTps.toFixed(0)}`,
      );
    }
  }
  return misses;
}
