import { describe, expect, it } from '@jest/globals';
import { Standby } from '../../src/limiter/standby.js';
import { Ticket, type TicketHost } from '../../src/limiter/ticket.js';
import { HeapScheduler } from '../../src/sim/heapScheduler.js';

const host = {} as TicketHost;
const handler = { onGrant() {}, onSettle() {} };

/** A standby on a virtual clock whose last window saw service p50 `p50Ms` against a 50 ms baseline. */
function setup(p50Ms = 500) {
  const scheduler = new HeapScheduler();
  const lapsed: number[] = [];
  const standby = new Standby(scheduler, 3, (t) => lapsed.push(t.id));
  standby.windowClosed(50, 50);
  standby.windowClosed(p50Ms, 50);
  let id = 0;
  /** A ticket submitted now with a 1 s budget. */
  const ticket = () => new Ticket<unknown>(++id, scheduler.now(), 1000, handler, host);
  const advanceTo = (ms: number) => scheduler.run(ms);
  return { scheduler, standby, lapsed, ticket, advanceTo };
}

describe('Standby', () => {
  it('holds nothing outside a latency transient (p50 within 3 × the baseline)', () => {
    const { standby, ticket } = setup(140);
    expect(standby.hold(ticket(), 0)).toBe(false);
    expect(standby.length).toBe(0);
  });

  it('holds during a transient, and lapses each ticket once twice the baseline is all it has left', () => {
    const { standby, ticket, lapsed, advanceTo } = setup();
    const t = ticket();
    expect(standby.hold(t, 0)).toBe(true);
    expect(t.state).toBe('standby');
    advanceTo(899);
    expect(lapsed).toEqual([]);
    advanceTo(900);
    expect(lapsed).toEqual([t.id]);
    expect(standby.length).toBe(0);
  });

  it('gives nothing out while the latest completions are slow, then the newest first', () => {
    const { standby, ticket } = setup();
    const [a, b] = [ticket(), ticket()];
    standby.hold(a, 0);
    standby.hold(b, 0);
    standby.served(500);
    expect(standby.take()).toBeUndefined();
    for (let i = 0; i < 20; i++) standby.served(50);
    expect(standby.take()).toBe(b);
    expect(standby.take()).toBe(a);
    expect(standby.take()).toBeUndefined();
  });

  it('keeps the baseline from before the transient while anything waits', () => {
    const { standby, ticket } = setup();
    standby.hold(ticket(), 0);
    // The controller's baseline creeps up during a long transient; the need does not follow.
    standby.windowClosed(500, 200);
    expect(standby.needMs).toBe(100);
    standby.drain();
    standby.windowClosed(150, 200);
    expect(standby.needMs).toBe(400);
  });

  it('refuses a ticket without the time it needs, and past its length bound', () => {
    const { standby, ticket, advanceTo } = setup();
    advanceTo(100);
    const late = new Ticket<unknown>(99, 0, 150, handler, host);
    expect(standby.hold(late, 100)).toBe(false);
    expect([ticket(), ticket(), ticket()].map((t) => standby.hold(t, 100))).toEqual([
      true,
      true,
      true,
    ]);
    expect(standby.hold(ticket(), 100)).toBe(false);
  });

  it('forgets a removed ticket: it never lapses; drain empties it and stops its timer', () => {
    const { scheduler, standby, ticket, lapsed, advanceTo } = setup();
    const [a, b] = [ticket(), ticket()];
    standby.hold(a, 0);
    standby.hold(b, 0);
    expect(standby.remove(a)).toBe(true);
    expect(standby.remove(a)).toBe(false);
    advanceTo(950);
    expect(lapsed).toEqual([b.id]);
    const c = ticket();
    standby.hold(c, scheduler.now());
    expect(standby.drain()).toEqual([c]);
    advanceTo(5000);
    expect(lapsed).toEqual([b.id]);
  });
});
