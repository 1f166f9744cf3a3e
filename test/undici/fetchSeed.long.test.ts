/**
 * Issue 16's seed through Node's global `fetch`, short: bench/fetch-seed.ts's
 * rows at a third of the issue's rate (1,000/s offered to one TLS connection
 * of 100 streams × 150 ms = 667/s, the same 1.5× overload, 5 s budget) for
 * 10 s. At the issue's full 3,000/s the process calling `fetch` saturates
 * its own core on this 2-core box (fetch costs ~200 µs of CPU a call before
 * any dispatcher runs), so the connection is no longer what is measured,
 * and in CI on 7 Dec even half the rate left too little headroom beside a
 * busy neighbour (max 4 read 0.83 × offered there, 0.98 on a quiet box);
 * docs/fetch.md has the full-rate figures. The bounds, on h2flow's adaptive
 * agent:
 * - every fetch settles; 0 timeouts; 0 RST_STREAM(CANCEL) at the server;
 * - capped at one connection: steady goodput ≥ 0.95 × a saturating fetch
 *   client on the same connection just before it (the bench: 0.97; one
 *   round of 10 s on a shared box moves a few percent either way);
 * - allowed four: goodput after the first second ≥ 0.95 × the offered rate,
 *   and ≥ 0.9 over the whole run, whose first second is on one connection
 *   (the bench: ≥ 0.97 over the whole run).
 * undici's own `Agent({ allowH2: true })` on one connection is printed beside.
 *
 * Needs `make build` (the server is `dist/cli/bin.js serve --tls` in its own process).
 */
import { expect, test } from '@jest/globals';
import {
  type FetchSeedRow,
  runFetchSeed,
  seedPlan,
} from '../../bench/lib/fetchSeed/fetchSeedRows.js';
import {
  goodputBasisTps,
  judgedGoodputTps,
  seedMisses,
} from '../../bench/lib/fetchSeed/seedVerdict.js';

const plan = {
  ...seedPlan,
  rateTps: seedPlan.rateTps / 3,
  latencyMs: seedPlan.latencyMs * 3,
  durationMs: 10_000,
  rows: [
    'saturated (fixed, no deadline)',
    'h2flow, 1 connection',
    'h2flow, max 4',
    'undici allowH2, 1 connection',
  ] as const,
};

function describeRow(row: FetchSeedRow): string {
  const basis = goodputBasisTps(row, plan.rateTps);
  return (
    `${row.name.padEnd(31)} ${judgedGoodputTps(row).toFixed(0).padStart(5)}/s (steady ${row.loop.steadyGoodputTps.toFixed(0)}) ` +
    `(${(judgedGoodputTps(row) / basis).toFixed(3)} × ${basis.toFixed(0)}), ` +
    `ok ${row.loop.succeeded}/${row.loop.offered}, errors ${JSON.stringify(row.loop.errors)}, ` +
    `RST at server ${row.serverCancels}`
  );
}

test('the seed through fetch: nothing lost, no timeout, no cancel on the wire, the connection kept full', async () => {
  const rows = await runFetchSeed(plan);
  console.log(rows.map(describeRow).join('\n'));
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const row of rows) expect(row.loop.settled).toBe(row.loop.offered);

  const capped = byName.get('h2flow, 1 connection')!;
  const cappedMisses = seedMisses(capped, plan.rateTps).filter((m) => !m.startsWith('goodput'));
  expect(cappedMisses).toEqual([]);
  expect(capped.stats).toMatchObject({ timedOut: 0, cancelledOnWire: 0, inFlight: 0, queued: 0 });
  expect(judgedGoodputTps(capped)).toBeGreaterThanOrEqual(0.95 * capped.saturatedTps!);

  // Up to four: the bench's whole-run bound (0.97 × offered); here after its first second, and
  // ≥ 0.9 over the whole run, since the ramp from one connection is a larger share of 10 s beside
  // a busy neighbour (CI on 7 Dec: 0.944 whole at this rate).
  const four = byName.get('h2flow, max 4')!;
  expect(seedMisses(four, plan.rateTps).filter((m) => !m.startsWith('goodput'))).toEqual([]);
  expect(four.stats).toMatchObject({ timedOut: 0, cancelledOnWire: 0 });
  expect(four.loop.steadyGoodputTps).toBeGreaterThanOrEqual(0.95 * plan.rateTps);
  expect(four.loop.goodputTps).toBeGreaterThanOrEqual(0.9 * plan.rateTps);
}, 150_000);
