import { AdmissionQueue } from '../../src/streams/admissionQueue.js';

interface Item {
  readonly name: string;
  readonly deadlineAtMs: number;
}

const estimate = { drainRateTps: 100, serviceP99Ms: 50 };

function setup(deadlineAware = true, maxQueueLength = 100) {
  return {
    queue: new AdmissionQueue<Item>({ maxQueueLength, maxQueueWaitMs: 500, deadlineAware }),
  };
}

describe('admissionQueue', () => {
  it('is FIFO, and a retry goes back to the head', () => {
    const { queue } = setup();
    for (const name of ['a', 'b', 'c'])
      queue.offer({ name, deadlineAtMs: 10_000 }, 10_000, estimate);
    const a = queue.shift()!;
    queue.unshift(a);
    expect(
      [queue.shift(), queue.shift(), queue.shift(), queue.shift()].map((i) => i?.name),
    ).toEqual(['a', 'b', 'c', undefined]);
  });

  it('removes a waiting item once (abort, expiry): it is never handed out', () => {
    const { queue } = setup();
    const a = { name: 'a', deadlineAtMs: 30 };
    const b = { name: 'b', deadlineAtMs: 30 };
    queue.offer(a, 30, { drainRateTps: 100, serviceP99Ms: 0 });
    queue.offer(b, 30, { drainRateTps: 100, serviceP99Ms: 0 });
    expect(queue.remove(a)).toBe(true);
    expect(queue.remove(a)).toBe(false);
    expect(queue.length).toBe(1);
    expect(queue.shift()).toBe(b);
    expect(queue.remove(b)).toBe(false);
    expect(queue.shift()).toBeUndefined();
  });

  it('sheds by the admission rule: queue-wait, deadline and queue-full', () => {
    const { queue } = setup(true, 60);
    // The 51st finds 50 waiting at a 100/s drain = 500 ms predicted: at the limit, still admitted.
    for (let i = 0; i < 51; i++)
      expect(queue.offer({ name: `${i}`, deadlineAtMs: 1e9 }, 5000, estimate).admit).toBe(true);
    const overWait = queue.offer({ name: 'x', deadlineAtMs: 1e9 }, 5000, estimate);
    expect(overWait).toEqual({ admit: false, reason: 'queue-wait', predictedWaitMs: 510 });
    // 51 ahead at 1000/s = 51 ms, + 50 ms p99 = 101 ms > the 100 ms left.
    const tooLate = queue.offer({ name: 'y', deadlineAtMs: 1e9 }, 100, {
      drainRateTps: 1000,
      serviceP99Ms: 50,
    });
    expect(tooLate).toMatchObject({ admit: false, reason: 'deadline' });
    for (let i = 0; i < 10; i++)
      queue.offer({ name: `z${i}`, deadlineAtMs: 1e9 }, 5000, {
        drainRateTps: 1e6,
        serviceP99Ms: 0,
      });
    expect(
      queue.offer({ name: 'full', deadlineAtMs: 1e9 }, 5000, {
        drainRateTps: 1e6,
        serviceP99Ms: 0,
      }),
    ).toMatchObject({
      admit: false,
      reason: 'queue-full',
    });
  });

  it('without deadline awareness only the length bound applies (the naive policy)', () => {
    const { queue } = setup(false, 3);
    for (let i = 0; i < 3; i++)
      expect(
        queue.offer({ name: `${i}`, deadlineAtMs: 1 }, 1, { drainRateTps: 0, serviceP99Ms: 1e6 })
          .admit,
      ).toBe(true);
    expect(queue.offer({ name: 'x', deadlineAtMs: 1 }, 1, estimate)).toMatchObject({
      admit: false,
      reason: 'queue-full',
    });
  });

  it('keeps memory proportional to live items when entries die without being shifted', () => {
    const { queue } = setup(false, 1_000_000);
    // 3,000 items (past the 1,024-entry compaction threshold) removed while nothing drains (their
    // deadlines passed with MAX_CONCURRENT_STREAMS = 0, say).
    const dying = Array.from({ length: 3000 }, (_, i) => ({ name: `${i}`, deadlineAtMs: 10 }));
    for (const item of dying) queue.offer(item, 10, estimate);
    queue.offer({ name: 'survivor', deadlineAtMs: 1e9 }, 1e9, estimate);
    for (const item of dying) queue.remove(item);
    expect(queue.length).toBe(1);
    expect(queue.shift()?.name).toBe('survivor');
  });
});
