import { expect, test } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import { parseExposition, sampleValue } from './exposition.js';
import { offerLoad } from './offerLoad.js';
import { SessionFakeTransport } from './sessionFakeTransport.js';

/**
 * Metrics are opt-in (docs/metrics.md): a client made without a registry
 * runs no prom-client code per request. Its first `metrics()` makes a
 * private registry whose counters, read from the client's totals at scrape
 * time, hold every request from the start, while its latency histograms
 * hold only what settled after: the proof that nothing observed them before.
 */
test('without a registry no histogram observes a request until metrics are first asked for', async () => {
  const scheduler = new VirtualTimeScheduler(undefined, 10_000);
  const transport = new SessionFakeTransport(scheduler, 10, () => ({ latencyMs: 20 }));
  const client = new AdaptiveClient(transport, { origin: 'http://opt.in' });
  offerLoad(scheduler, client, 100, 1000);
  scheduler.maxFrames = 2000;
  scheduler.flush();
  const before = client.stats();
  expect(before.succeeded).toBe(100);

  const first = parseExposition(await client.metrics());
  const requests = (outcome: string, e = first) =>
    sampleValue(e, d.requests.name, { origin: 'http://opt.in', outcome });
  const observed = (e = first) =>
    sampleValue(e, `${d.serviceLatency.name}_count`, { origin: 'http://opt.in' });
  expect(requests('succeeded')).toBe(100);
  expect(observed()).toBe(0);

  // From now on the histograms observe: 50 more requests, all of them.
  offerLoad(scheduler, client, 100, 500);
  scheduler.maxFrames = 4000;
  scheduler.flush();
  const second = parseExposition(await client.metrics());
  expect(requests('succeeded', second)).toBe(150);
  expect(observed(second)).toBe(50);
  await client.close();
});
