import { describe, expect, it } from '@jest/globals';
import { SeededRandom } from '../../src/core/seededRandom.js';
import { AdmissionQueue } from '../../src/streams/admissionQueue.js';

interface Item {
  readonly id: number;
  readonly deadlineAtMs: number;
}

const estimate = { drainRateTps: 100, serviceP99Ms: 0 };

function randomQueue(seed: number) {
  const random = new SeededRandom(seed);
  return new AdmissionQueue<Item>({
    maxQueueLength: 100_000,
    maxQueueWaitMs: Infinity,
    deadlineAware: false,
    serveOrder: 'random',
    random: () => random.next(),
  });
}

describe('admissionQueue in random order', () => {
  it('hands out every live item exactly once, in no fixed order', () => {
    const queue = randomQueue(1);
    const items = Array.from({ length: 1000 }, (_, id) => ({ id, deadlineAtMs: 1e9 }));
    for (const item of items) queue.offer(item, 1e9, estimate);
    for (const id of [3, 500, 999]) expect(queue.remove(items[id]!)).toBe(true);
    const order: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) order.push(item.id);
    expect(order).toHaveLength(997);
    expect(new Set(order).size).toBe(997);
    expect(order).not.toContain(500);
    expect(order.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('gives the oldest and the newest waiter the same chance of the next slot', () => {
    // 200 waiters, one slot each round: the first waiter's chance is 1/200 per round.
    let oldestFirst = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const queue = randomQueue(seed);
      for (let id = 0; id < 200; id++) queue.offer({ id, deadlineAtMs: 1e9 }, 1e9, estimate);
      if (queue.shift()?.id === 0) oldestFirst++;
    }
    // Expected 10 of 2000; FIFO would give 2000.
    expect(oldestFirst).toBeLessThan(30);
  });
});
