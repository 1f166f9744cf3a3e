import { Registry } from 'prom-client';
import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { ClientOptions } from '../../src/client/clientOptions.js';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import type { ClientStats } from '../../src/core/clientStats.js';
import { congestionKinds } from '../../src/core/congestion.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import { type Decision, decisionReasons } from '../../src/core/decision.js';
import type { RequestSample } from '../../src/core/sample.js';
import {
  congestionKindLabels,
  decisionReasonLabels,
  outcomeLabels,
  rejectionReasonLabels,
} from '../../src/metrics/metricLabels.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import type { TransportRequest } from '../../src/transport/Transport.js';
import type { FakeReply } from '../helpers/fakeTransport.js';
import { type Exposition, matching, parseExposition, sampleValue, sumOf } from './exposition.js';
import { offerLoad } from './offerLoad.js';
import { SessionFakeTransport } from './sessionFakeTransport.js';

const origin = 'https://api.example:8443';

/** Everything a scenario observed, from the client's own streams and at two scrapes. */
interface Run {
  readonly transport: SessionFakeTransport;
  readonly client: AdaptiveClient;
  readonly samples: RequestSample[];
  readonly windows: ControlWindow[];
  readonly decisions: Decision[];
  readonly mid: { exposition: Exposition; stats: ClientStats; capacity: CapacitySnapshot };
  readonly end: { exposition: Exposition; stats: ClientStats; capacity: CapacitySnapshot };
}

/**
 * Offers 1000 req/s to one 10-slot connection for `loadMs`, scrapes at
 * 1.5 s (with one session connecting and two draining) and again once
 * everything has settled, 10 s in.
 */
async function run(
  options: Partial<ClientOptions>,
  reply: (request: TransportRequest, attempt: number) => FakeReply,
  loadMs: number,
): Promise<Run> {
  const scheduler = new VirtualTimeScheduler(undefined, 10_000);
  const transport = new SessionFakeTransport(scheduler, 10, reply);
  // Metrics are opt-in: a registry given up front sees every request and decision from the start.
  const client = new AdaptiveClient(transport, {
    origin,
    metricsRegistry: new Registry(),
    ...options,
  });
  const samples: RequestSample[] = [];
  const windows: ControlWindow[] = [];
  const decisions: Decision[] = [];
  client.samples$.subscribe((s) => samples.push(s));
  client.windows$.subscribe((w) => windows.push(w));
  client.decisions$.subscribe((x) => decisions.push(x));
  offerLoad(scheduler, client, 1000, loadMs);

  // Flush in two stages: up to 1.5 s of virtual time, scrape, then the rest.
  scheduler.maxFrames = 1500;
  scheduler.flush();
  transport.connecting = 1;
  transport.draining = 2;
  const midStats = client.stats();
  const midCapacity = transport.capacity();
  const midText = await client.metrics();
  transport.connecting = 0;
  transport.draining = 0;
  scheduler.maxFrames = 10_000;
  scheduler.flush();
  const endText = await client.metrics();
  return {
    transport,
    client,
    samples,
    windows,
    decisions,
    mid: { exposition: parseExposition(midText), stats: midStats, capacity: midCapacity },
    end: {
      exposition: parseExposition(endText),
      stats: client.stats(),
      capacity: transport.capacity(),
    },
  };
}

/**
 * Adaptive client, mixed replies: background 503s, a few throttling 503s and 429s, and a
 * REFUSED_STREAM before some answers. The 429s go by the count of answers, not by request id:
 * which ids reach the server depends on what admission sheds, and every kind must be seen.
 */
const mixed = (): Promise<Run> => {
  let answers = 0;
  return run(
    { maxConnections: 1, timeoutMs: 2000 },
    (request, attempt) => {
      if (request.id % 13 === 0 && attempt === 0)
        return { latencyMs: 2, retryable: 'refused-stream' };
      if (request.id % 70 === 0)
        return { latencyMs: 20, status: 503, headers: { 'retry-after': '0' } };
      if (request.id % 7 === 0) return { latencyMs: 20, status: 503 };
      if (++answers % 110 === 0) return { latencyMs: 20, status: 429 };
      return { latencyMs: 20 };
    },
    3000,
  );
};

/** The naive fixed pool past its capacity: queue wait eats the budget, deadlines cancel on the wire. */
const overloadedFixed = (): Promise<Run> =>
  run({ policy: 'fixed', connections: 1, timeoutMs: 500 }, () => ({ latencyMs: 20 }), 2000);

const scenarios = [
  ['adaptive with 503s, 429s and refused streams', mixed],
  ['fixed pool past capacity', overloadedFixed],
] as const;

describe.each(scenarios)('ClientMetrics over an AdaptiveClient: %s', (_name, scenario) => {
  let r: Run;
  beforeAll(async () => {
    r = await scenario();
  });
  afterAll(async () => {
    await r.client.close();
  });

  it('exposes every metric once, with its type and the origin label', () => {
    const e = r.end.exposition;
    const types = {
      requests: 'counter',
      wireCancellations: 'counter',
      queueWait: 'histogram',
      serviceLatency: 'histogram',
      streamsInFlight: 'gauge',
      requestsQueued: 'gauge',
      sessions: 'gauge',
      streamSlotsAvailable: 'gauge',
      rateDecision: 'gauge',
      connectionsTarget: 'gauge',
      congestionEvents: 'counter',
      decisions: 'counter',
      retries: 'counter',
      rejections: 'counter',
    } as const;
    expect(Object.keys(types).sort()).toEqual(Object.keys(d).sort());
    for (const [key, type] of Object.entries(types)) {
      const { name, help } = d[key as keyof typeof d];
      expect([name, e.types.get(name)]).toEqual([name, type]);
      expect(e.helps.get(name)).toBe(help);
      expect(e.helpLines.get(name)).toBe(1);
      const series = e.samples.filter((s) => s.name === name || s.name.startsWith(`${name}_`));
      expect(series.length).toBeGreaterThan(0);
      expect(series.every((s) => s.labels.origin === origin)).toBe(true);
    }
  });

  it('counts requests by outcome exactly as stats() does, and they reconcile', () => {
    const e = r.end.exposition;
    const s = r.end.stats;
    for (const [outcome, label] of Object.entries(outcomeLabels)) {
      expect([label, sampleValue(e, d.requests.name, { origin, outcome: label })]).toEqual([
        label,
        s[outcome as keyof typeof outcomeLabels],
      ]);
    }
    const settled = sumOf(e, d.requests.name, { origin });
    const inFlight = sampleValue(e, d.streamsInFlight.name, { origin });
    const queued = sampleValue(e, d.requestsQueued.name, { origin });
    expect(settled + inFlight + queued).toBe(s.submitted);
    expect(s.submitted).toBeGreaterThan(1500);
  });

  it('counts wire cancellations, retries and rejections by reason as stats() does', () => {
    const e = r.end.exposition;
    const s = r.end.stats;
    expect(sampleValue(e, d.wireCancellations.name, { origin })).toBe(s.cancelledOnWire);
    expect(sampleValue(e, d.retries.name, { origin })).toBe(s.retries);
    for (const [reason, label] of Object.entries(rejectionReasonLabels)) {
      expect([label, sampleValue(e, d.rejections.name, { origin, reason: label })]).toEqual([
        label,
        s.rejectedByReason[reason as keyof typeof rejectionReasonLabels],
      ]);
    }
    expect(sumOf(e, d.rejections.name, { origin })).toBe(
      sampleValue(e, d.requests.name, { origin, outcome: 'rejected' }),
    );
  });

  it('histograms observe every request that reached the wire, in seconds', () => {
    const e = r.end.exposition;
    const dispatched = r.samples.filter((s) => s.dispatchedAtMs !== undefined);
    const answered = dispatched.filter((s) => s.endAtMs !== undefined);
    expect(dispatched.length).toBe(new Set(r.transport.dispatchedIds).size);
    expect(sampleValue(e, `${d.queueWait.name}_count`, { origin })).toBe(dispatched.length);
    expect(sampleValue(e, `${d.queueWait.name}_bucket`, { origin, le: '+Inf' })).toBe(
      dispatched.length,
    );
    const waitS = dispatched.reduce(
      (sum, s) => sum + (s.dispatchedAtMs! - s.submittedAtMs) / 1000,
      0,
    );
    expect(sampleValue(e, `${d.queueWait.name}_sum`, { origin })).toBeCloseTo(waitS, 6);
    expect(sampleValue(e, `${d.serviceLatency.name}_count`, { origin })).toBe(answered.length);
    // Every answer took exactly 20 ms on the fake wire: all in (0.01, 0.025].
    expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin, le: '0.01' })).toBe(0);
    expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin, le: '0.025' })).toBe(
      answered.length,
    );
    expect(sampleValue(e, `${d.serviceLatency.name}_sum`, { origin })).toBeCloseTo(
      answered.length * 0.02,
      6,
    );
  });

  it('the decision gauges hold the last decision; decisions count by reason', () => {
    const e = r.end.exposition;
    const last = r.decisions.at(-1)!;
    expect(sampleValue(e, d.rateDecision.name, { origin })).toBe(last.rateTps);
    expect(sampleValue(e, d.connectionsTarget.name, { origin })).toBe(last.connections);
    for (const reason of decisionReasons) {
      const label = decisionReasonLabels[reason];
      const seen = r.decisions.filter((x) => x.reason === reason).length;
      expect([label, sampleValue(e, d.decisions.name, { origin, reason: label })]).toEqual([
        label,
        seen,
      ]);
    }
    expect(sumOf(e, d.decisions.name, { origin })).toBe(r.decisions.length);
  });

  it('counts congestion events by kind as the control windows saw them', () => {
    const e = r.end.exposition;
    let total = 0;
    for (const kind of congestionKinds) {
      const label = congestionKindLabels[kind];
      const seen = r.windows.reduce((sum, w) => sum + w.congestion[kind], 0);
      total += seen;
      expect([label, sampleValue(e, d.congestionEvents.name, { origin, kind: label })]).toEqual([
        label,
        seen,
      ]);
    }
    expect(total).toBeGreaterThan(0);
  });

  it('a mid-run scrape reads in-flight, queued, slots and sessions as they were then', () => {
    const e = r.mid.exposition;
    const s = r.mid.stats;
    expect(s.inFlight).toBeGreaterThan(0);
    expect(sampleValue(e, d.streamsInFlight.name, { origin })).toBe(s.inFlight);
    expect(sampleValue(e, d.requestsQueued.name, { origin })).toBe(s.queued);
    expect(sampleValue(e, d.streamSlotsAvailable.name, { origin })).toBe(
      r.mid.capacity.slotsAvailable,
    );
    expect(sampleValue(e, d.sessions.name, { origin, state: 'ready' })).toBe(
      r.mid.capacity.readySessions,
    );
    expect(sampleValue(e, d.sessions.name, { origin, state: 'connecting' })).toBe(1);
    expect(sampleValue(e, d.sessions.name, { origin, state: 'draining' })).toBe(2);
    expect(matching(e, d.sessions.name, { state: 'closed' })).toEqual([]);
    for (const [outcome, label] of Object.entries(outcomeLabels)) {
      expect(sampleValue(e, d.requests.name, { origin, outcome: label })).toBe(
        s[outcome as keyof typeof outcomeLabels],
      );
    }
  });

  it('at the end nothing is in flight or queued and the gauges say so', () => {
    const e = r.end.exposition;
    expect(r.end.stats.inFlight + r.end.stats.queued).toBe(0);
    expect(sampleValue(e, d.streamsInFlight.name, { origin })).toBe(0);
    expect(sampleValue(e, d.requestsQueued.name, { origin })).toBe(0);
    expect(sampleValue(e, d.streamSlotsAvailable.name, { origin })).toBe(
      r.end.capacity.slotsAvailable,
    );
    expect(sampleValue(e, d.sessions.name, { origin, state: 'ready' })).toBe(
      r.transport.connections,
    );
  });
});

describe('what each scenario exercises', () => {
  it('the adaptive scenario sheds, fails, retries and never cancels on the wire', async () => {
    const r = await mixed();
    const e = r.end.exposition;
    expect(r.end.stats.rejected).toBeGreaterThan(0);
    expect(sampleValue(e, d.requests.name, { origin, outcome: 'failed' })).toBeGreaterThan(0);
    expect(sampleValue(e, d.retries.name, { origin })).toBeGreaterThan(0);
    expect(sampleValue(e, d.wireCancellations.name, { origin })).toBe(0);
    expect(sampleValue(e, d.congestionEvents.name, { origin, kind: 'http_503' })).toBeGreaterThan(
      0,
    );
    expect(sampleValue(e, d.congestionEvents.name, { origin, kind: 'http_429' })).toBeGreaterThan(
      0,
    );
    expect(
      sampleValue(e, d.congestionEvents.name, { origin, kind: 'refused_stream' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(e, d.rateDecision.name, { origin })).toBeGreaterThan(0);
    await r.client.close();
  });

  it('the fixed scenario times out, cancels on the wire and reports no rate control', async () => {
    const r = await overloadedFixed();
    const e = r.end.exposition;
    expect(sampleValue(e, d.requests.name, { origin, outcome: 'timed_out' })).toBeGreaterThan(100);
    expect(sampleValue(e, d.wireCancellations.name, { origin })).toBeGreaterThan(0);
    expect(sampleValue(e, d.rateDecision.name, { origin })).toBe(0);
    expect(sampleValue(e, d.connectionsTarget.name, { origin })).toBe(1);
    expect(sampleValue(e, d.decisions.name, { origin, reason: 'fixed' })).toBe(r.decisions.length);
    await r.client.close();
  });
});

describe('closing the client', () => {
  it('stops reporting its gauges and freezes its counters at the final totals', async () => {
    const r = await mixed();
    const final = r.client.stats();
    await r.client.close();
    const e = parseExposition(await r.client.metrics());
    for (const name of [
      d.streamsInFlight.name,
      d.requestsQueued.name,
      d.sessions.name,
      d.streamSlotsAvailable.name,
      d.rateDecision.name,
      d.connectionsTarget.name,
    ]) {
      expect([name, matching(e, name)]).toEqual([name, []]);
    }
    expect(sampleValue(e, d.requests.name, { origin, outcome: 'succeeded' })).toBe(final.succeeded);
    // A request after close fails with H2FLOW_CLOSED; the detached metrics no longer move.
    r.client.send({}, () => {});
    expect(r.client.stats().failed).toBe(final.failed + 1);
    const after = parseExposition(await r.client.metrics());
    expect(sampleValue(after, d.requests.name, { origin, outcome: 'failed' })).toBe(final.failed);
  });
});
