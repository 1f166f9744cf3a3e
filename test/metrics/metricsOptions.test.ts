import { Registry } from 'prom-client';
import { NEVER, VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { resolveClientOptions } from '../../src/client/clientOptions.js';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { ClientMetrics } from '../../src/metrics/clientMetrics.js';
import type { MetricsSource } from '../../src/metrics/metricsSource.js';
import { FakeTransport } from '../helpers/fakeTransport.js';

/** Calls `f` and returns what it threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

const idle: MetricsSource = {
  samples$: NEVER,
  decisions$: NEVER,
  windows$: NEVER,
  stats: () => ({
    succeeded: 0,
    rejected: 0,
    timedOut: 0,
    failed: 0,
    inFlight: 0,
    queued: 0,
    cancelledOnWire: 0,
    retries: 0,
    rejectedByReason: {
      'rate-limit': 0,
      'queue-full': 0,
      'queue-wait': 0,
      deadline: 0,
      'no-capacity': 0,
    },
  }),
  capacity: () => ({
    atMs: 0,
    sessions: [],
    readySessions: 0,
    slotsTotal: 0,
    slotsInUse: 0,
    slotsAvailable: 0,
  }),
};

describe('metrics options on the client', () => {
  it("defaults origin to 'unknown' and leaves the registry to the client", () => {
    const o = resolveClientOptions({});
    expect(o.origin).toBe('unknown');
    expect(o.metricsRegistry).toBeUndefined();
  });

  it.each([
    ['origin', ''],
    ['origin', 42],
    ['origin', null],
    ['metricsRegistry', {}],
    ['metricsRegistry', 'registry'],
    ['metricsRegistry', { registerMetric() {}, getSingleMetric() {} }],
  ])('rejects %s = %p with an InvalidOptionError naming it', (option, value) => {
    const error = thrown(() => resolveClientOptions({ [option]: value }));
    expect(isInvalidOptionError(error)).toBe(true);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as { option: string }).option).toBe(option);
    expect((error as Error).message).toMatch(new RegExp(`^${option} must be`));
  });

  it('keeps the registry by reference: not copied, not frozen, though the options are', () => {
    const registry = new Registry();
    const o = resolveClientOptions({ metricsRegistry: registry, origin: 'https://x.example' });
    expect(o.metricsRegistry).toBe(registry);
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(registry)).toBe(false);
  });

  it('accepts a registry from another copy of prom-client (checked by shape, not instanceof)', () => {
    const lookalike = { registerMetric() {}, getSingleMetric() {}, metrics: async () => '' };
    expect(resolveClientOptions({ metricsRegistry: lookalike as never }).metricsRegistry).toBe(
      lookalike,
    );
  });

  it('the client constructor rejects a bad origin before touching the transport', () => {
    const transport = new FakeTransport(new VirtualTimeScheduler(), 10);
    expect(() => new AdaptiveClient(transport, { origin: '' })).toThrow(RangeError);
    expect(transport.resizes).toEqual([]);
  });
});

describe('ClientMetrics options', () => {
  it('rejects unknown keys, a bad origin and a non-registry', () => {
    for (const [options, option] of [
      [{ registy: new Registry() }, 'metrics options.registy'],
      [{ origin: '' }, 'origin'],
      [{ registry: {} }, 'registry'],
    ] as const) {
      const error = thrown(() => new ClientMetrics(idle, options as never));
      expect([option, isInvalidOptionError(error)]).toEqual([option, true]);
      expect((error as { option: string }).option).toBe(option);
    }
  });

  it('uses a private registry by default and the given one otherwise', async () => {
    const own = new ClientMetrics(idle);
    const registry = new Registry();
    const shared = new ClientMetrics(idle, { origin: 'o', registry });
    expect(own.registry).toBeInstanceOf(Registry);
    expect(own.registry).not.toBe(registry);
    expect(shared.registry).toBe(registry);
    expect(await own.metrics()).toContain(
      'h2flow_requests_total{origin="unknown",outcome="succeeded"} 0',
    );
    own.close();
    shared.close();
  });
});
