import { afterEach, expect, test } from '@jest/globals';
import { Registry, register } from 'prom-client';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import type { ClientStats } from '../../src/core/clientStats.js';
import type { Decision } from '../../src/core/decision.js';
import type { RequestSample } from '../../src/core/sample.js';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import { type RawServer, respondAfter, startRawServer } from '../h2/helpers/rawServer.js';
import { parseExposition, sampleValue, sumOf } from './exposition.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

const loadMs = 2000;
const rateTps = 1000;
const batchEveryMs = 10;

test('metrics scraped mid-run and at the end of a real load over loopback reconcile with the client', async () => {
  const globalBefore = await register.getMetricsAsJSON();
  server = await startRawServer({
    settings: { maxConcurrentStreams: 50 },
    onStream: (stream) => respondAfter(stream, 5, 200, 'ok'),
  });
  const origin = server.url;
  const transport: H2Transport = createH2Transport(origin);
  const c = new AdaptiveClient(transport, { origin, metricsRegistry: new Registry() });
  client = c;
  const samples: RequestSample[] = [];
  const decisions: Decision[] = [];
  c.samples$.subscribe((s) => samples.push(s));
  c.decisions$.subscribe((x) => decisions.push(x));

  // Open loop: a batch every 10 ms. The mid-run scrape is taken in the same
  // tick as a batch that put streams on the wire, with the stats and capacity
  // it is compared to, so the gauges have something non-zero to show.
  const settled: Promise<unknown>[] = [];
  let mid: { text: Promise<string>; stats: ClientStats; capacity: CapacitySnapshot } | undefined;
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsedMs = performance.now() - startedAt;
      if (elapsedMs >= loadMs) {
        clearInterval(timer);
        resolve();
        return;
      }
      for (let i = 0; i < (rateTps * batchEveryMs) / 1000; i++)
        settled.push(c.request({ path: '/m' }).catch((error: unknown) => error));
      if (mid === undefined && elapsedMs >= loadMs / 2 && c.stats().inFlight > 0) {
        mid = { stats: c.stats(), capacity: transport.capacity(), text: c.metrics() };
      }
    }, batchEveryMs);
  });
  await Promise.all(settled);

  expect(mid).toBeDefined();
  const m = parseExposition(await mid!.text);
  expect(sampleValue(m, d.streamsInFlight.name, { origin })).toBe(mid!.stats.inFlight);
  expect(mid!.stats.inFlight).toBeGreaterThan(0);
  expect(sampleValue(m, d.requestsQueued.name, { origin })).toBe(mid!.stats.queued);
  expect(sampleValue(m, d.streamSlotsAvailable.name, { origin })).toBe(
    mid!.capacity.slotsAvailable,
  );
  expect(sampleValue(m, d.sessions.name, { origin, state: 'ready' })).toBe(
    mid!.capacity.sessions.filter((s) => s.state === 'ready').length,
  );
  expect(sampleValue(m, d.sessions.name, { origin, state: 'ready' })).toBeGreaterThanOrEqual(1);
  expect(sumOf(m, d.requests.name, { origin }) + mid!.stats.inFlight + mid!.stats.queued).toBe(
    mid!.stats.submitted,
  );
  expect(sampleValue(m, d.requests.name, { origin, outcome: 'succeeded' })).toBeGreaterThan(0);

  const s = c.stats();
  const e = parseExposition(await c.metrics());
  expect(s.submitted).toBe(settled.length);
  expect(s.inFlight + s.queued).toBe(0);
  expect(sampleValue(e, d.requests.name, { origin, outcome: 'succeeded' })).toBe(s.succeeded);
  expect(sampleValue(e, d.requests.name, { origin, outcome: 'rejected' })).toBe(s.rejected);
  expect(sampleValue(e, d.requests.name, { origin, outcome: 'timed_out' })).toBe(s.timedOut);
  expect(sampleValue(e, d.requests.name, { origin, outcome: 'failed' })).toBe(s.failed);
  expect(sumOf(e, d.requests.name, { origin })).toBe(s.submitted);
  expect(sampleValue(e, d.rejections.name, { origin, reason: 'rate_limit' })).toBe(
    s.rejectedByReason['rate-limit'],
  );
  expect(s.succeeded).toBeGreaterThan(settled.length / 2);
  // No deadline comes near a 5 ms answer: nothing is cancelled on the wire, by either count.
  expect(sampleValue(e, d.wireCancellations.name, { origin })).toBe(0);
  expect(server.resetsReceived.size).toBe(0);
  // Every stream the server saw was one dispatched request (there were no retries).
  expect(sampleValue(e, d.retries.name, { origin })).toBe(0);
  expect(sampleValue(e, `${d.queueWait.name}_count`, { origin })).toBe(server.streamsSeen);
  expect(sampleValue(e, `${d.serviceLatency.name}_count`, { origin })).toBe(
    samples.filter((x) => x.endAtMs !== undefined).length,
  );
  // The server holds every answer about 5 ms, so no service latency is under 2.5 ms.
  expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin, le: '0.0025' })).toBe(0);
  const last = decisions.at(-1)!;
  expect(sampleValue(e, d.rateDecision.name, { origin })).toBe(last.rateTps);
  expect(sampleValue(e, d.connectionsTarget.name, { origin })).toBe(last.connections);
  expect(sumOf(e, d.decisions.name, { origin })).toBe(decisions.length);
  expect(await register.getMetricsAsJSON()).toEqual(globalBefore);
});
