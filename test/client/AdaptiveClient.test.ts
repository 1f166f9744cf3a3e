import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { ClientStats } from '../../src/core/clientStats.js';
import { isDeadlineError } from '../../src/errors/DeadlineError.js';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { isOverloadError } from '../../src/errors/OverloadError.js';
import { FakeTransport } from '../helpers/fakeTransport.js';

function reconciles(s: ClientStats): boolean {
  return s.submitted === s.succeeded + s.rejected + s.timedOut + s.failed + s.inFlight + s.queued;
}

/** Offers `rateTps` for `durationMs` (open loop) and returns every settlement. */
function drive(
  scheduler: VirtualTimeScheduler,
  client: AdaptiveClient,
  rateTps: number,
  durationMs: number,
): { errors: H2flowError[]; ok: number; settled: Map<number, number> } {
  const errors: H2flowError[] = [];
  const settled = new Map<number, number>();
  let ok = 0;
  let n = 0;
  const total = Math.floor((rateTps * durationMs) / 1000);
  scheduler.schedule(function arrive() {
    const id = n++;
    client.send({ method: 'POST', body: 'x' }, (error) => {
      settled.set(id, (settled.get(id) ?? 0) + 1);
      if (error) errors.push(error);
      else ok++;
    });
    if (n < total) this.schedule(undefined, 1000 / rateTps);
  }, 0);
  return { errors, ok, settled };
}

describe('AdaptiveClient on an in-memory transport (virtual time)', () => {
  it('settles every request exactly once and never overruns the slots', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const transport = new FakeTransport(scheduler, 10, () => ({ latencyMs: 20 }));
    const client = new AdaptiveClient(transport, { maxConnections: 1, timeoutMs: 2000 });
    const run = drive(scheduler, client, 1000, 5000);
    scheduler.flush();
    const s = client.stats();
    expect(s.submitted).toBe(5000);
    expect(reconciles(s)).toBe(true);
    expect([...run.settled.values()].every((c) => c === 1)).toBe(true);
    expect(run.settled.size).toBe(5000);
    expect(transport.maxInFlightSeen).toBeLessThanOrEqual(10);
    // One connection of 10 slots at 20 ms carries 500 req/s: the excess is shed, never sent.
    expect(s.rejected).toBeGreaterThan(1000);
    expect(run.errors.filter(isOverloadError).length).toBe(s.rejected);
    expect(s.cancelledOnWire).toBe(0);
    expect(s.timedOut).toBe(0);
    expect(s.succeeded).toBeGreaterThan(0.85 * 500 * 5);
  });

  it('the fixed policy queues without bound and cancels on the wire at the deadline', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const transport = new FakeTransport(scheduler, 10, () => ({ latencyMs: 20 }));
    const client = new AdaptiveClient(transport, {
      policy: 'fixed',
      connections: 1,
      timeoutMs: 500,
    });
    const run = drive(scheduler, client, 1000, 3000);
    scheduler.flush();
    const s = client.stats();
    expect(reconciles(s)).toBe(true);
    expect(s.rejected).toBe(0);
    expect(s.timedOut).toBeGreaterThan(1000);
    expect(run.errors.filter(isDeadlineError).length).toBe(s.timedOut);
  });

  it('retries a REFUSED_STREAM exactly once', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const transport = new FakeTransport(scheduler, 10, (_r, attempt) =>
      attempt === 0 ? { latencyMs: 1, retryable: 'refused-stream' } : { latencyMs: 5 },
    );
    const client = new AdaptiveClient(transport, { policy: 'fixed', connections: 1 });
    let result: number | undefined;
    client.send({}, (error, response) => {
      result = error ? -1 : response?.status;
    });
    scheduler.flush();
    expect(result).toBe(200);
    expect(client.stats().retries).toBe(1);
    expect(transport.dispatchedIds).toEqual([1, 1]);
  });

  it('names the phase that used the budget in a deadline error', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const transport = new FakeTransport(scheduler, 10, () => ({ latencyMs: 300 }));
    const client = new AdaptiveClient(transport, { policy: 'fixed', connections: 1 });
    let error: unknown;
    client.send({ timeoutMs: 100 }, (e) => {
      error = e;
    });
    scheduler.flush();
    expect(isDeadlineError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^deadline 100 ms exceeded: queued 0 ms, sending 100 ms$/);
    expect(transport.cancelledOnWireIds).toEqual([1]);
    expect(client.stats().cancelledOnWire).toBe(1);
  });
});
