import { Counter, Registry, register } from 'prom-client';
import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import { FakeTransport } from '../helpers/fakeTransport.js';
import { matching, parseExposition, sampleValue, sumOf } from './exposition.js';
import { offerLoad } from './offerLoad.js';

const a = 'https://a.example';
const b = 'http://b.example:8080';

describe('clients sharing one registry', () => {
  it('coexist under different origins, each series matching its own client', async () => {
    const registry = new Registry();
    const scheduler = new VirtualTimeScheduler(undefined, 6000);
    const clientA = new AdaptiveClient(
      new FakeTransport(scheduler, 10, () => ({ latencyMs: 20 })),
      {
        origin: a,
        metricsRegistry: registry,
        maxConnections: 1,
      },
    );
    const clientB = new AdaptiveClient(
      new FakeTransport(scheduler, 4, () => ({ latencyMs: 4, status: 503 })),
      { origin: b, metricsRegistry: registry, policy: 'fixed', connections: 2 },
    );
    expect(clientA.metricsRegistry).toBe(registry);
    expect(clientB.metricsRegistry).toBe(registry);
    offerLoad(scheduler, clientA, 800, 2000);
    offerLoad(scheduler, clientB, 300, 2000);
    scheduler.flush();

    // Either client's metrics() is the whole registry.
    const text = await clientA.metrics();
    expect(await clientB.metrics()).toBe(text);
    const e = parseExposition(text);
    for (const { name } of Object.values(d))
      expect([name, e.helpLines.get(name)]).toEqual([name, 1]);
    const sa = clientA.stats();
    const sb = clientB.stats();
    expect(sampleValue(e, d.requests.name, { origin: a, outcome: 'succeeded' })).toBe(sa.succeeded);
    expect(sampleValue(e, d.requests.name, { origin: b, outcome: 'failed' })).toBe(sb.failed);
    expect(sampleValue(e, d.requests.name, { origin: b, outcome: 'succeeded' })).toBe(0);
    expect(sumOf(e, d.requests.name, { origin: a })).toBe(sa.submitted);
    expect(sumOf(e, d.requests.name, { origin: b })).toBe(sb.submitted);
    expect(sampleValue(e, d.connectionsTarget.name, { origin: b })).toBe(2);
    expect(sampleValue(e, d.rateDecision.name, { origin: b })).toBe(0);
    expect(sampleValue(e, d.rateDecision.name, { origin: a })).toBeGreaterThan(0);
    expect(sampleValue(e, `${d.serviceLatency.name}_count`, { origin: b })).toBe(sb.failed);
    // 4 ms each: all in (0.0025, 0.005] (a value on a bound could round either way in float).
    expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin: b, le: '0.0025' })).toBe(0);
    expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin: b, le: '0.005' })).toBe(
      sb.failed,
    );
    expect(sampleValue(e, `${d.serviceLatency.name}_bucket`, { origin: a, le: '0.01' })).toBe(0);

    // Closing one takes its gauges away and leaves the other's running.
    await clientA.close();
    const after = parseExposition(await clientB.metrics());
    expect(matching(after, d.streamsInFlight.name, { origin: a })).toEqual([]);
    expect(sampleValue(after, d.streamsInFlight.name, { origin: b })).toBe(0);
    expect(sampleValue(after, d.requests.name, { origin: a, outcome: 'succeeded' })).toBe(
      sa.succeeded,
    );
    await clientB.close();
  });

  it('two clients of the same origin add up', async () => {
    const registry = new Registry();
    const scheduler = new VirtualTimeScheduler(undefined, 3000);
    const make = (): AdaptiveClient =>
      new AdaptiveClient(new FakeTransport(scheduler, 10, () => ({ latencyMs: 10 })), {
        origin: a,
        metricsRegistry: registry,
        policy: 'fixed',
        connections: 3,
      });
    const one = make();
    const two = make();
    offerLoad(scheduler, one, 200, 1000);
    offerLoad(scheduler, two, 100, 1000);
    scheduler.flush();
    const e = parseExposition(await one.metrics());
    expect(sampleValue(e, d.requests.name, { origin: a, outcome: 'succeeded' })).toBe(
      one.stats().succeeded + two.stats().succeeded,
    );
    expect(sampleValue(e, `${d.queueWait.name}_count`, { origin: a })).toBe(300);
    expect(sampleValue(e, d.connectionsTarget.name, { origin: a })).toBe(6);
    await one.close();
    await two.close();
  });

  it('by default each client has its own private registry and the global one stays empty', async () => {
    const before = await register.getMetricsAsJSON();
    const scheduler = new VirtualTimeScheduler(undefined, 2000);
    const one = new AdaptiveClient(new FakeTransport(scheduler, 10), { origin: a });
    const two = new AdaptiveClient(new FakeTransport(scheduler, 10), { origin: b });
    offerLoad(scheduler, one, 100, 1000);
    scheduler.flush();
    expect(one.metricsRegistry).not.toBe(two.metricsRegistry);
    expect(one.metricsRegistry).not.toBe(register);
    const e1 = parseExposition(await one.metrics());
    const e2 = parseExposition(await two.metrics());
    expect(new Set(e1.samples.map((s) => s.labels.origin))).toEqual(new Set([a]));
    expect(new Set(e2.samples.map((s) => s.labels.origin))).toEqual(new Set([b]));
    expect(sampleValue(e1, d.requests.name, { origin: a, outcome: 'succeeded' })).toBe(100);
    expect(await register.getMetricsAsJSON()).toEqual(before);
    expect(await register.metrics()).not.toContain('h2flow_');
    await one.close();
    await two.close();
  });

  it('refuses a registry that already holds a foreign metric of the same name, registering nothing', () => {
    const registry = new Registry();
    new Counter({ name: d.retries.name, help: 'not ours', registers: [registry] });
    const scheduler = new VirtualTimeScheduler(undefined, 1000);
    expect(
      () => new AdaptiveClient(new FakeTransport(scheduler, 10), { metricsRegistry: registry }),
    ).toThrow(d.retries.name);
    expect(registry.getMetricsAsArray()).toHaveLength(1);
  });

  it('registers again on a registry the user cleared', async () => {
    const registry = new Registry();
    const scheduler = new VirtualTimeScheduler(undefined, 1000);
    const first = new AdaptiveClient(new FakeTransport(scheduler, 10), {
      origin: a,
      metricsRegistry: registry,
    });
    registry.clear();
    const second = new AdaptiveClient(new FakeTransport(scheduler, 10), {
      origin: b,
      metricsRegistry: registry,
    });
    expect(registry.getMetricsAsArray()).toHaveLength(Object.keys(d).length);
    const e = parseExposition(await second.metrics());
    expect(sampleValue(e, d.requests.name, { origin: b, outcome: 'succeeded' })).toBe(0);
    await first.close();
    await second.close();
  });
});
