import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { RequestSample } from '../../src/core/sample.js';
import { type FakeReply, FakeTransport } from '../helpers/fakeTransport.js';

/** Sends `count` requests 1 ms apart through a fresh adaptive client and returns every sample. */
function samplesOf(
  reply: (id: number, attempt: number) => FakeReply,
  count: number,
  options: { timeoutMs: number; slots?: number } = { timeoutMs: 1000 },
): { samples: RequestSample[]; dispatchTimes: number[]; client: AdaptiveClient } {
  const scheduler = new VirtualTimeScheduler(undefined, 60_000);
  const dispatchTimes: number[] = [];
  const transport = new FakeTransport(scheduler, options.slots ?? 100, (request, attempt) => {
    dispatchTimes.push(scheduler.now());
    return reply(request.id, attempt);
  });
  const client = new AdaptiveClient(transport, { maxConnections: 1, timeoutMs: options.timeoutMs });
  const samples: RequestSample[] = [];
  client.samples$.subscribe((s) => samples.push(s));
  let n = 0;
  scheduler.schedule(function arrive() {
    client.send({ method: 'POST', body: 'x' }, () => {});
    if (++n < count) this.schedule(undefined, 1);
  }, 0);
  scheduler.flush();
  return { samples, dispatchTimes, client };
}

describe('AdaptiveClient: which outcomes are load signals', () => {
  it('a tail timeout (no queue wait) is no congestion signal; the request still times out', () => {
    // Every 50th request takes 5 s against a 1 s budget: the server's tail, which no rate avoids.
    const { samples } = samplesOf((id) => ({ latencyMs: id % 50 === 0 ? 5000 : 10 }), 500);
    const timedOut = samples.filter((s) => s.outcome === 'timedOut');
    expect(timedOut.length).toBeGreaterThan(5);
    expect(timedOut.every((s) => s.congestion === undefined && s.cancelledOnWire)).toBe(true);
  });

  it('a timeout after a long queue wait is one', () => {
    // One slot held 400 ms per request: the queue, not the server, eats the 300 ms budget.
    const { samples } = samplesOf(() => ({ latencyMs: 400 }), 20, { timeoutMs: 300, slots: 1 });
    // Those that waited past the 30 ms queue target (10% of the budget) timed out because of it.
    const queued = samples.filter(
      (s) => s.outcome === 'timedOut' && (s.dispatchedAtMs ?? s.settledAtMs) - s.submittedAtMs > 30,
    );
    expect(queued.length).toBeGreaterThan(2);
    expect(queued.every((s) => s.congestion === 'timeout')).toBe(true);
  });

  it('a 503 is a signal only with retry-after, whose delay the sample carries', () => {
    const { samples } = samplesOf(
      (id) =>
        id % 2 === 0
          ? { latencyMs: 5, status: 503 }
          : { latencyMs: 5, status: 503, headers: { 'retry-after': '2' } },
      10,
    );
    const plain = samples.filter((s) => s.retryAfterMs === undefined);
    const throttled = samples.filter((s) => s.retryAfterMs !== undefined);
    expect(plain.length).toBe(5);
    expect(plain.every((s) => s.status === 503 && s.congestion === undefined)).toBe(true);
    expect(throttled.every((s) => s.congestion === 'http503' && s.retryAfterMs === 2000)).toBe(
      true,
    );
  });

  it('retries a REFUSED_STREAM after a jittered backoff, not at once', () => {
    const { samples, dispatchTimes } = samplesOf(
      (_id, attempt) =>
        attempt === 0 ? { latencyMs: 1, retryable: 'refused-stream' } : { latencyMs: 1 },
      1,
    );
    expect(samples[0]!.outcome).toBe('succeeded');
    expect(samples[0]!.retries).toBe(1);
    // The default retryBackoffMs is 50, jittered over [0.5, 1.5): the retry waits 25–75 ms.
    const gapMs = dispatchTimes[1]! - dispatchTimes[0]! - 1;
    expect(gapMs).toBeGreaterThanOrEqual(25);
    expect(gapMs).toBeLessThan(75);
  });
});
