import { describe, expect, it } from '@jest/globals';
import type { SessionCapacity } from '../../src/core/capacity.js';
import { HeapScheduler } from '../../src/sim/heapScheduler.js';
import {
  type PooledSession,
  SessionPool,
  type SessionPoolOptions,
} from '../../src/transport/SessionPool.js';
import type { SessionHooks } from '../../src/transport/sessionHooks.js';
import { SessionLifecycle, type SessionState } from '../../src/transport/sessionState.js';
import type { TransportEvent } from '../../src/transport/Transport.js';

/** A session the test moves by hand. */
class FakeSession implements PooledSession {
  readonly lifecycle = new SessionLifecycle();
  streamsInFlight = 0;
  limit = 10;
  drainedWithGraceMs: (number | undefined)[] = [];

  constructor(
    readonly id: number,
    readonly hooks: SessionHooks<FakeSession>,
  ) {}

  get state(): SessionState {
    return this.lifecycle.state;
  }
  get streamLimit(): number {
    return this.state === 'ready' ? this.limit : 0;
  }
  get freeSlots(): number {
    return Math.max(0, this.streamLimit - this.streamsInFlight);
  }
  sendStalled(): boolean {
    return false;
  }
  capacity(): SessionCapacity {
    return {
      id: this.id,
      state: this.state,
      streamsInFlight: this.streamsInFlight,
      maxConcurrentStreams: this.limit,
      remoteWindowBytes: 65_535,
      outboundQueueBytes: 0,
    };
  }
  drain(graceMs?: number): void {
    this.drainedWithGraceMs.push(graceMs);
    if (this.state === 'connecting') this.close();
    else if (this.lifecycle.transition('draining') && this.streamsInFlight === 0) this.close();
  }
  ready(): void {
    if (this.lifecycle.transition('ready')) this.hooks.ready(this);
  }
  close(failure?: { detail: string; causeCode: string }): void {
    if (!this.lifecycle.transition('closed')) return;
    this.hooks.closed(this, failure && { ...failure, lasting: false });
  }
}

const options: SessionPoolOptions = {
  maxConnections: 4,
  reconnectBaseMs: 100,
  reconnectMaxMs: 1_000,
  closeGraceMs: 2_000,
  random: () => 0.5,
};

function harness() {
  const scheduler = new HeapScheduler();
  const events: TransportEvent[] = [];
  let changes = 0;
  const opened: FakeSession[] = [];
  const pool = new SessionPool<FakeSession>(
    options,
    scheduler,
    { event: (e) => events.push(e), changed: () => changes++ },
    (id, hooks) => {
      const s = new FakeSession(id, hooks);
      opened.push(s);
      return s;
    },
  );
  return { scheduler, events, pool, opened, changes: () => changes };
}

describe('SessionPool', () => {
  it('opens up to the target, clamped to maxConnections, and reports ready sessions', () => {
    const h = harness();
    h.pool.resize(9);
    expect(h.opened.map((s) => s.id)).toEqual([1, 2, 3, 4]);
    for (const s of h.opened) s.ready();
    expect(h.pool.freeSlots()).toBe(40);
    expect(h.events.map((e) => e.kind)).toEqual(Array(4).fill('session-ready'));
    expect(h.pool.capacity()).toMatchObject({
      readySessions: 4,
      slotsTotal: 40,
      slotsAvailable: 40,
    });
    expect(h.changes()).toBeGreaterThan(0);
  });

  it('drains sessions still connecting first, then the least busy', () => {
    const h = harness();
    h.pool.resize(3);
    const [a, b] = h.opened;
    a!.ready();
    b!.ready();
    a!.streamsInFlight = 5;
    b!.streamsInFlight = 2;
    h.pool.resize(1);
    // Session 3 was connecting: given up and gone; then b, the less busy, drains.
    expect(h.opened[2]!.state).toBe('closed');
    expect(b!.state).toBe('draining');
    expect(a!.state).toBe('ready');
    expect(h.pool.sessions.map((s) => s.id)).toEqual([1, 2]);
  });

  it('picks the least-utilised ready session', () => {
    const h = harness();
    h.pool.resize(2);
    for (const s of h.opened) s.ready();
    h.opened[0]!.streamsInFlight = 3;
    expect(h.pool.pick(0)?.id).toBe(2);
  });

  it('replaces a failed session after a jittered backoff that doubles per failure', () => {
    const h = harness();
    h.pool.resize(1);
    h.opened[0]!.close({ detail: 'ECONNREFUSED: connect refused', causeCode: 'ECONNREFUSED' });
    expect(h.events.map((e) => e.kind)).toEqual(['connection-error', 'session-closed']);
    expect(h.opened).toHaveLength(1);
    h.scheduler.run(74);
    expect(h.opened).toHaveLength(1);
    h.scheduler.run(75); // 100 ms capped, half fixed, half jitter at 0.5
    expect(h.opened).toHaveLength(2);
    h.opened[1]!.close({ detail: 'refused again', causeCode: 'ECONNREFUSED' });
    h.scheduler.run(75 + 149);
    expect(h.opened).toHaveLength(2);
    h.scheduler.run(75 + 150);
    expect(h.opened).toHaveLength(3);
    // A session that becomes ready resets the count.
    h.opened[2]!.ready();
    h.opened[2]!.close({ detail: 'reset', causeCode: 'ECONNRESET' });
    h.scheduler.run(225 + 75);
    expect(h.opened).toHaveLength(4);
  });

  it('replaces a session that got GOAWAY(NO_ERROR) at once, and one with an error code after a backoff', () => {
    const h = harness();
    h.pool.resize(1);
    const first = h.opened[0]!;
    first.ready();
    first.streamsInFlight = 1;
    first.lifecycle.transition('draining');
    first.hooks.goaway(first, { code: 0, lastStreamId: 1 });
    expect(h.opened).toHaveLength(2);
    const second = h.opened[1]!;
    second.ready();
    second.streamsInFlight = 1;
    second.lifecycle.transition('draining');
    second.hooks.goaway(second, { code: 11, lastStreamId: 1 });
    expect(h.opened).toHaveLength(2);
    h.scheduler.run(75);
    expect(h.opened).toHaveLength(3);
    expect(h.events.filter((e) => e.kind === 'goaway')).toHaveLength(2);
  });

  it('closes: drains every session with the close grace, opens no more, and resolves when all have closed', async () => {
    const h = harness();
    h.pool.resize(2);
    for (const s of h.opened) s.ready();
    h.opened[0]!.streamsInFlight = 1;
    let closed = false;
    const done = h.pool.close().then(() => {
      closed = true;
    });
    expect(h.opened.map((s) => s.drainedWithGraceMs)).toEqual([[2_000], [2_000]]);
    expect(h.pool.pick(0)).toBeUndefined();
    h.pool.resize(3);
    expect(h.opened).toHaveLength(2);
    await Promise.resolve();
    expect(closed).toBe(false);
    h.opened[0]!.close();
    await done;
    expect(closed).toBe(true);
  });
});
