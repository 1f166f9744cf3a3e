import { describe, expect, it } from '@jest/globals';
import { AdmissionQueue } from '../../src/streams/admissionQueue.js';

interface Item {
  readonly id: number;
}

const estimate = { drainRateTps: 100, serviceP99Ms: 0 };

function lifoQueue() {
  return new AdmissionQueue<Item>({
    maxQueueLength: 100_000,
    maxQueueWaitMs: Infinity,
    deadlineAware: false,
    serveOrder: 'lifo',
  });
}

describe("admissionQueue in lifo order (Go's x/net/http2 strict transport under overload)", () => {
  it('hands out the newest live item first, passing over removed ones, each exactly once', () => {
    const queue = lifoQueue();
    const items = Array.from({ length: 10 }, (_, id) => ({ id }));
    for (const item of items) queue.offer(item, 1e9, estimate);
    // The newest (9) expired, and an older one (4) was aborted.
    expect(queue.remove(items[9]!)).toBe(true);
    expect(queue.remove(items[4]!)).toBe(true);
    expect(queue.shift()?.id).toBe(8);
    expect(queue.shift()?.id).toBe(7);
    // A newcomer goes before everyone still waiting.
    const late = { id: 10 };
    queue.offer(late, 1e9, estimate);
    expect(queue.shift()?.id).toBe(10);
    const rest: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) rest.push(item.id);
    expect(rest).toEqual([6, 5, 3, 2, 1, 0]);
    expect(queue.length).toBe(0);
  });

  it('stays linear over many offers and shifts with removals between them', () => {
    const queue = lifoQueue();
    const served = new Set<number>();
    let next = 0;
    for (let round = 0; round < 2000; round++) {
      const batch = Array.from({ length: 5 }, () => ({ id: next++ }));
      for (const item of batch) queue.offer(item, 1e9, estimate);
      queue.remove(batch[0]!);
      for (let i = 0; i < 3; i++) {
        const item = queue.shift();
        expect(item).toBeDefined();
        expect(served.has(item!.id)).toBe(false);
        served.add(item!.id);
      }
    }
    expect(served.size + queue.length).toBe(next - 2000);
  });
});
