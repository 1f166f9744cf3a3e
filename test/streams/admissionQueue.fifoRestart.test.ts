import { describe, expect, it } from '@jest/globals';
import { AdmissionQueue } from '../../src/streams/admissionQueue.js';

interface Item {
  readonly id: number;
}

const estimate = { drainRateTps: 100, serviceP99Ms: 0 };

function restartQueue(serveOrder: 'fifo-restart' | 'fifo' = 'fifo-restart') {
  return new AdmissionQueue<Item>({
    maxQueueLength: 100_000,
    maxQueueWaitMs: Infinity,
    deadlineAware: false,
    serveOrder,
  });
}

function offerAll(queue: AdmissionQueue<Item>, ids: readonly number[]): Item[] {
  const items = ids.map((id) => ({ id }));
  for (const item of items) queue.offer(item, 1e9, estimate);
  return items;
}

function shiftAll(queue: AdmissionQueue<Item>): number[] {
  const out: number[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item.id);
  return out;
}

describe("admissionQueue in fifo-restart order (Go's x/net/http2 strict transport, measured)", () => {
  it('serves oldest first until set aside; then only later arrivals, oldest first', () => {
    const queue = restartQueue();
    offerAll(queue, [0, 1, 2, 3]);
    expect(queue.shift()?.id).toBe(0);
    queue.setAside(); // 1, 2, 3 are the abandoned backlog
    offerAll(queue, [4, 5]);
    expect(shiftAll(queue)).toEqual([4, 5]);
    // The backlog still waits (its owner expires it) and is counted, but is never handed out.
    expect(queue.length).toBe(3);
    offerAll(queue, [6]);
    expect(queue.shift()?.id).toBe(6);
    expect(queue.shift()).toBeUndefined();
  });

  it('a set-aside item leaves on remove (its expiry) and on drain, each exactly once', () => {
    const queue = restartQueue();
    const backlog = offerAll(queue, [0, 1, 2]);
    queue.setAside();
    offerAll(queue, [3]);
    expect(queue.remove(backlog[1]!)).toBe(true);
    expect(queue.remove(backlog[1]!)).toBe(false);
    expect(queue.length).toBe(3);
    expect(queue.drain().map((i) => i.id)).toEqual([0, 2, 3]);
    expect(queue.length).toBe(0);
  });

  it('keeps memory to what waits: thousands set aside and expired leave nothing behind', () => {
    const queue = restartQueue();
    let next = 0;
    for (let round = 0; round < 50; round++) {
      const backlog = offerAll(
        queue,
        Array.from({ length: 100 }, () => next++),
      );
      queue.setAside();
      for (const item of backlog) queue.remove(item);
    }
    expect(queue.length).toBe(0);
    expect(queue.drain()).toEqual([]);
  });

  it('is a no-op in other orders: a fifo queue serves its backlog after setAside', () => {
    const queue = restartQueue('fifo');
    offerAll(queue, [0, 1]);
    queue.setAside();
    offerAll(queue, [2]);
    expect(shiftAll(queue)).toEqual([0, 1, 2]);
  });
});
