/**
 * Issue 11's dominance matrix, short: every embedded-server condition of
 * bench/dominance.ts for one round of 5 s per client (the spike's run 8 s;
 * the capped row five, see `roundsOf`),
 * with `h2flow serve` in its own process as the bench runs it (so the server
 * has a core of its own; in this process, a busy box starved the server and
 * the ratio measured the client's CPU, not the controller), asserting the
 * issue's bounds:
 * - healthy rows: adaptive goodput ≥ 0.97 × naive's, and no more wire
 *   cancels than naive;
 * - the capped seed: 0 cancels, 0 timeouts, ≥ 0.93 × naive (which saturates
 *   the same connection, measured the same way) and ≥ 0.9 × a closed-loop
 *   probe of that connection, the mean of one just before and one just after;
 * - the seed with 4 connections allowed: 0 cancels, 0 timeouts, ≥ 1.2 × naive.
 *
 * The capped row's floors are wider than the healthy rows' for the reason
 * given at `bounds` below: how much one saturated connection carries is a
 * speed measure, and on a shared box it belongs to `make bench` (which holds
 * the row to 0.99 over 10 s rounds); here it guards against a controller that
 * settles well below the connection, and the 0 cancels and 0 timeouts.
 *
 * Why 0.97 and not the bench's 0.99: one round of 5 s has no median to
 * absorb a bad second, and on a shared 2-core box a GC pause or a
 * neighbour's burst near the end of one client's run moves ~1% of its
 * completions past the arrival phase. Healthy rows are otherwise
 * deterministic (both clients are offered the same schedule and the server
 * answers both the same), so 3% still catches what the issue is about: the
 * controller today sheds ~2.5% of a 10 s run in its first second alone
 * (5% of a 5 s one) and, under 5% background 503s, most of the load.
 *
 * Part of `make test-long`; docs/benchmarks.md ("Dominance matrix") has the
 * figures before and after the controller's "do no harm" rules.
 *
 * Needs `make build` (test-long builds first). Every server listens on
 * port 0 of 127.0.0.1 and is stopped after its condition; every run is bounded by its arrival phase plus one budget.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  type DominanceCondition,
  embeddedConditions,
  type MatrixTiming,
} from '../../bench/lib/dominance/conditions.js';
import { dominanceTable } from '../../bench/lib/dominance/dominanceTable.js';
import { startEmbeddedProcess } from '../../bench/lib/dominance/embeddedServer.js';
import { runCondition, type StartConditionServer } from '../../bench/lib/dominance/runCondition.js';
import {
  type ConditionSummary,
  type DominanceBounds,
  summarize,
} from '../../bench/lib/dominance/summarize.js';

/** The short matrix's timing: 5 s runs; the x10 spike at 2 s for 3 s in an 8 s run. */
const timing: MatrixTiming = {
  durationMs: 5000,
  spikeAtMs: 2000,
  spikeForMs: 3000,
  spikeRunMs: 8000,
};

/**
 * Issue 11's bounds with the short run's tolerance (see the file comment). The spike row is held
 * to the healthy bound: standby (docs/controller.md) carries through the spike's end what naive's
 * unbounded queue carries, where shedding at once cost ~5% (0.94–0.95 × naive before it).
 */
const bounds: DominanceBounds = {
  healthyRatio: 0.97,
  // The closed-loop probe read 2–3% above any open-loop client on the same connection (naive and
  // adaptive alike: 1,688–1,735 against 1,661–1,692 in back-to-back runs here), most of it because
  // it sent GETs where the runs send POSTs (it now sends theirs), and on a busy box an open loop
  // loses more to the neighbour than a closed loop does (CI on 7 Dec: medians 0.983 × naive but
  // 0.934 × the probe). So here the probe is a floor against an idle connection, and the capped
  // row is judged against naive, measured in the same alternating rounds; the bench keeps 0.99 ×
  // the probe over its median of rounds.
  cappedProbeRatio: 0.9,
  // Unlike a healthy row, where both clients are offered the same schedule below capacity, the
  // capped row measures how fast the box carries one saturated connection, once per client, so a
  // neighbour's CPU burst moves one round's ratio either way: CI on 7 Dec read rounds of 0.93 and
  // 1.04 (median 0.957 over three) while the adaptive client carried 0.994 × the probe around it.
  // With rounds spread like that (σ ≈ 0.04 around the bench's 0.99–1.00), the median of five has a
  // σ of about 0.025, and 0.93 sits more than two of those below; a controller that settles 10%
  // under the connection still fails.
  cappedNaiveRatio: 0.93,
  uncappedRatio: 1.2,
  spikeRatio: 0.97,
  recoveryMs: 2000,
};

const startServer: StartConditionServer = async (c) => {
  const server = await startEmbeddedProcess(c.serverOptions);
  return { target: { url: `${server.origin}/` }, stop: () => server.stop() };
};

/**
 * Rounds per condition: one, but five for the capped row, judged on their medians. Its bounds
 * compare runs made seconds apart on one connection, and a neighbour's CPU burst on a shared box
 * moves a single 5 s run by ±10% whichever client it lands on (naive 1,486–1,836/s and adaptive
 * 1,645–1,813/s over three rounds beside a busy core); in CI one such round read 0.936 × naive,
 * and the median of three once read 0.957.
 */
const roundsOf = (c: DominanceCondition) => (c.kind === 'capped' ? 5 : 1);

/** Most a condition may take: per round two runs and two probes, each at most its arrival phase plus one budget, and slack. */
const limitMs = (c: DominanceCondition) => roundsOf(c) * 4 * (c.durationMs + c.timeoutMs) + 15_000;

const summaries: ConditionSummary[] = [];

describe('dominance matrix, short (issue 11)', () => {
  afterAll(() => {
    if (summaries.length > 0) console.log(dominanceTable(summaries));
  });

  for (const c of embeddedConditions(timing)) {
    test(
      `${c.name} (${c.kind}): ${c.description}`,
      async () => {
        const rounds = await runCondition(c, roundsOf(c), startServer);
        const s = summarize(c, rounds, bounds);
        summaries.push(s);
        expect({ condition: c.name, failed: s.failed }).toEqual({
          condition: c.name,
          failed: [],
        });
      },
      limitMs(c),
    );
  }
});
