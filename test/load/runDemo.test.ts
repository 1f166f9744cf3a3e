import { describe, expect, it } from '@jest/globals';
import { demoRuns, runDemo } from '../../src/load/runDemo.js';

describe('runDemo (a small shape, so it runs in seconds)', () => {
  it('probes, then runs naive, adaptive (max 1) and adaptive (max 4), each against its own server', async () => {
    const started: string[] = [];
    const outcome = await runDemo(
      {
        // 10 streams ÷ 50 ms = 200 req/s per connection; 400 TPS is twice that.
        maxConcurrentStreams: 10,
        latencyMs: 50,
        rateTps: 400,
        durationMs: 2000,
        timeoutMs: 600,
        probeMs: 600,
      },
      { onRunStart: (i, n, plan) => started.push(`${i + 1}/${n} ${plan.label}`) },
    );
    expect(started).toEqual(['1/3 naive', '2/3 adaptive (max 1)', '3/3 adaptive (max 4)']);
    const { report, probe } = outcome;
    expect(report.kind).toBe('demo');
    expect(report.timeoutMs).toBe(600);
    expect(report.results.map((r) => r.policy)).toEqual(demoRuns.map((r) => r.label));
    expect(outcome.modelConnectionTps).toBe(200);
    expect(report.description).toContain(`carried ${Math.round(probe.completedTps)} req/s`);
    const [naive, capped, wide] = report.results;
    const [naiveServer, cappedServer, wideServer] = report.serverStats!;
    // Capacity is the probed connection times the cap, never above the offer.
    expect(naive!.capacityTps).toBeCloseTo(probe.completedTps, 6);
    expect(capped!.capacityTps).toBeCloseTo(probe.completedTps, 6);
    expect(wide!.capacityTps).toBe(Math.min(400, 4 * probe.completedTps));
    for (const r of report.results) expect(r.submitted).toBe(800);
    // A fresh server per run: each run's server counters are its own.
    for (const [i, s] of [naiveServer, cappedServer, wideServer].entries()) {
      const r = report.results[i]!;
      expect(s!.streamsCompleted).toBeGreaterThanOrEqual(r.succeeded);
      expect(s!.streamsStarted).toBeLessThanOrEqual(r.submitted);
    }
    expect(naive!.timedOut).toBeGreaterThan(0);
    expect(naiveServer!.rstReceived.CANCEL ?? 0).toBeGreaterThan(0);
    expect(cappedServer!.rstReceived).toEqual({});
    expect(wideServer!.rstReceived).toEqual({});
    expect(capped!.connectionsMax).toBe(1);
    expect(capped!.rejected).toBeGreaterThan(0);
    expect(wide!.connectionsMax).toBeGreaterThan(1);
  });
});
