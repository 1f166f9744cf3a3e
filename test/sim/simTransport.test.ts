import { describe, expect, it } from '@jest/globals';
import type { CapacitySnapshot } from '../../src/core/capacity.js';
import { SeededRandom } from '../../src/core/seededRandom.js';
import { HeapScheduler } from '../../src/sim/heapScheduler.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { SimServer } from '../../src/sim/simServer.js';
import { SimTransport } from '../../src/sim/simTransport.js';
import {
  defaultReconnectBaseMs,
  defaultReconnectMaxMs,
  reconnectDelayMs,
} from '../../src/transport/reconnectDelay.js';
import type {
  DispatchListener,
  DispatchOutcome,
  TransportEvent,
  TransportRequest,
} from '../../src/transport/Transport.js';
import { scenarioWith } from './scenarioFixture.js';

/** What one stream reported to its listener. */
interface Trace {
  sentAtMs?: number;
  stalled?: boolean;
  headersAtMs?: number;
  outcome?: DispatchOutcome;
}

function harness(s: Scenario) {
  const scheduler = new HeapScheduler();
  const server = new SimServer(scheduler, s.server, new SeededRandom(1));
  const transport = new SimTransport({
    scheduler,
    server,
    scenario: s,
    clientId: 0,
    random: () => 0.5,
  });
  const events: TransportEvent[] = [];
  const snapshots: CapacitySnapshot[] = [];
  transport.events$.subscribe((e) => events.push(e));
  transport.capacity$.subscribe((c) => snapshots.push(c));
  let nextId = 1;
  const body = new Uint8Array(s.request.bodyBytes);
  const dispatch = (overrides: Partial<TransportRequest> = {}) => {
    const trace: Trace = {};
    const listener: DispatchListener = {
      onSent: (atMs, stalled) => {
        trace.sentAtMs = atMs;
        trace.stalled = stalled;
      },
      onHeaders: (atMs) => {
        trace.headersAtMs = atMs;
      },
      onDone: (outcome) => {
        expect(trace.outcome).toBeUndefined();
        trace.outcome = outcome;
      },
    };
    const request: TransportRequest = {
      id: nextId++,
      method: 'POST',
      path: '/',
      headers: {},
      body: s.request.bodyBytes > 0 ? body : undefined,
      deadlineAtMs: Infinity,
      maxResponseBytes: 16 * 1024 * 1024,
      ...overrides,
    };
    const handle = transport.dispatch(request, listener);
    return { trace, handle };
  };
  return { scheduler, server, transport, events, snapshots, dispatch };
}

const fixture = (server: Partial<Scenario['server']> = {}, rest: Partial<Scenario> = {}) => {
  const base = scenarioWith({});
  return scenarioWith({ ...rest, server: { ...base.server, ...server } });
};

describe('SimTransport', () => {
  it('opens a session in setupRtts round trips and reports it ready', () => {
    const h = harness(fixture());
    h.transport.resize(1);
    expect(h.transport.freeSlots()).toBe(0);
    expect(h.dispatch().handle).toBeUndefined();
    h.scheduler.run(3.99);
    expect(h.transport.freeSlots()).toBe(0);
    h.scheduler.run(4);
    expect(h.transport.freeSlots()).toBe(100);
    expect(h.events).toEqual([{ kind: 'session-ready', sessionId: 1, atMs: 4 }]);
    expect(h.snapshots.at(-1)).toMatchObject({
      readySessions: 1,
      slotsTotal: 100,
      slotsAvailable: 100,
    });
  });

  it('reports the phases as the real transport does: sent, headers, done', () => {
    const h = harness(fixture());
    h.transport.resize(1);
    h.scheduler.run(4);
    const { trace } = h.dispatch();
    h.scheduler.flush();
    // Body leaves at once (no bandwidth limit, open windows); the server has it RTT/2 later,
    // serves it 10 ms, and the response is back RTT/2 after that.
    expect(trace.sentAtMs).toBe(4);
    expect(trace.stalled).toBe(false);
    expect(trace.headersAtMs).toBe(16);
    expect(trace.outcome).toMatchObject({ kind: 'response', status: 200, atMs: 16 });
    expect((trace.outcome as { body: Uint8Array }).body.byteLength).toBe(120);
    expect(h.server.stats()).toMatchObject({ streamsStarted: 1, streamsCompleted: 1 });
  });

  it('serializes frames on a limited link: response HEADERS before the body ends', () => {
    const s = fixture(
      {},
      {
        network: { rttMs: 2, bandwidthBytesPerS: 100_000, setupRtts: 2 },
        response: { status: 200, bodyBytes: 10_000, headerBytes: 20 },
      },
    );
    const h = harness(s);
    h.transport.resize(1);
    h.scheduler.run(10);
    const { trace } = h.dispatch();
    h.scheduler.flush();
    const startMs = 10;
    // Up: 49 B of HEADERS + 84 B of DATA at 100 kB/s = 1.33 ms.
    expect(trace.sentAtMs).toBeCloseTo(startMs + 1.33, 6);
    const serviceEndMs = startMs + 1.33 + 1 + 10;
    expect(trace.headersAtMs).toBeCloseTo(serviceEndMs + 0.29 + 1, 6);
    expect((trace.outcome as { atMs: number }).atMs).toBeCloseTo(
      serviceEndMs + 0.29 + 100.09 + 1,
      6,
    );
  });

  it('never opens more streams than MAX_CONCURRENT_STREAMS', () => {
    const h = harness(fixture({ maxConcurrentStreams: 2 }));
    h.transport.resize(1);
    h.scheduler.run(4);
    expect(h.dispatch().handle).toBeDefined();
    expect(h.dispatch().handle).toBeDefined();
    expect(h.transport.freeSlots()).toBe(0);
    expect(h.dispatch().handle).toBeUndefined();
    h.scheduler.flush();
    expect(h.transport.freeSlots()).toBe(2);
    expect(h.server.stats().maxConcurrentSeen).toBe(2);
  });

  it('lets a body through only as fast as the windows allow, and says it stalled', () => {
    const big = (windowBytes: number) =>
      fixture(
        {},
        {
          request: { method: 'POST', path: '/', bodyBytes: 256 * 1024, headerBytes: 40 },
          network: { rttMs: 10, bandwidthBytesPerS: Infinity, setupRtts: 2 },
          http2: {
            streamWindowBytes: windowBytes,
            connectionWindowBytes: windowBytes,
            maxFrameBytes: 16_384,
          },
        },
      );
    const small = harness(big(65_535));
    small.transport.resize(1);
    small.scheduler.run(20);
    const stalled = small.dispatch().trace;
    small.scheduler.flush();
    const large = harness(big(1 << 20));
    large.transport.resize(1);
    large.scheduler.run(20);
    const open = large.dispatch().trace;
    large.scheduler.flush();
    expect(open.sentAtMs).toBe(20);
    expect(open.stalled).toBe(false);
    expect(stalled.stalled).toBe(true);
    // At most one window per round trip: 256 KiB through 64 KiB windows needs at least 3 more RTTs.
    expect(stalled.sentAtMs!).toBeGreaterThanOrEqual(20 + 3 * 10);
    // Credit comes back in half-window batches one RTT after the data left, so it takes under 8 RTTs.
    expect(stalled.sentAtMs!).toBeLessThan(20 + 8 * 10);
    expect(stalled.outcome).toMatchObject({ kind: 'response' });
  });

  it('credits a default window in half-window batches rounded down, as nghttp2 does', () => {
    // nghttp2 sends WINDOW_UPDATE once recv_window_size >= local_window_size / 2 in int32
    // arithmetic: 32,767 for 65,535, so a window's four frames (3 × 16,384 + 16,383) come back in
    // two batches one RTT later and 256 KiB goes in exactly four round trips. With a threshold of
    // 32,767.5 the last frame of each window waited for the next one, and it took longer.
    const s = fixture(
      {},
      {
        request: { method: 'POST', path: '/', bodyBytes: 256 * 1024, headerBytes: 40 },
        network: { rttMs: 10, bandwidthBytesPerS: Infinity, setupRtts: 2 },
        http2: { streamWindowBytes: 65_535, connectionWindowBytes: 65_535, maxFrameBytes: 16_384 },
      },
    );
    const h = harness(s);
    h.transport.resize(1);
    h.scheduler.run(20);
    const { trace } = h.dispatch();
    h.scheduler.flush();
    expect(trace.sentAtMs).toBe(20 + 4 * 10);
  });

  it('says a response waited on the client’s own receive window', () => {
    const download = (windowBytes: number) =>
      fixture(
        {},
        {
          request: { method: 'GET', path: '/', bodyBytes: 0, headerBytes: 40 },
          response: { status: 200, bodyBytes: 256 * 1024, headerBytes: 20 },
          network: { rttMs: 10, bandwidthBytesPerS: Infinity, setupRtts: 2 },
          http2: {
            streamWindowBytes: windowBytes,
            connectionWindowBytes: windowBytes,
            maxFrameBytes: 16_384,
          },
        },
      );
    const outcomeWith = (windowBytes: number) => {
      const h = harness(download(windowBytes));
      h.transport.resize(1);
      h.scheduler.run(20);
      const { trace } = h.dispatch();
      h.scheduler.flush();
      return trace;
    };
    const small = outcomeWith(65_535);
    const large = outcomeWith(1 << 20);
    // No request body, so nothing stalled on the way out.
    expect(small.stalled).toBe(false);
    expect(small.outcome).toMatchObject({ kind: 'response', windowStalled: true });
    expect(large.outcome).toMatchObject({ kind: 'response', windowStalled: false });
    // 256 KiB through 64 KiB receive windows takes three more round trips than through 1 MiB ones.
    expect(small.outcome!.atMs - large.outcome!.atMs).toBeGreaterThanOrEqual(3 * 10);
  });

  it('cancel sends RST_STREAM(CANCEL): reported on the wire, counted by the server, no response', () => {
    const h = harness(fixture());
    h.transport.resize(1);
    h.scheduler.run(4);
    const { trace, handle } = h.dispatch();
    h.scheduler.run(8);
    handle!.cancel();
    expect(h.transport.freeSlots()).toBe(100);
    h.scheduler.flush();
    expect(trace.outcome).toEqual({ kind: 'cancelled', onWire: true, atMs: 8 });
    expect(trace.headersAtMs).toBeUndefined();
    expect(h.server.stats()).toMatchObject({
      streamsStarted: 1,
      streamsCompleted: 0,
      rstReceived: { CANCEL: 1 },
    });
  });

  it('GOAWAY: streams above lastStreamId come back retryable, the rest finish, a new session opens', () => {
    const h = harness(fixture({ goawayEveryStreams: 3 }));
    h.transport.resize(1);
    h.scheduler.run(4);
    const traces = Array.from({ length: 5 }, () => h.dispatch().trace);
    h.scheduler.flush();
    // Stream ids 1, 3, 5 were accepted; the GOAWAY names 5 and reaches the client at 4 + 1 + 1.
    expect(h.events).toContainEqual({
      kind: 'goaway',
      sessionId: 1,
      errorCode: 0,
      lastStreamId: 5,
      atMs: 6,
    });
    expect(traces.slice(0, 3).map((t) => t.outcome?.kind)).toEqual([
      'response',
      'response',
      'response',
    ]);
    for (const t of traces.slice(3)) {
      expect(t.outcome).toEqual({
        kind: 'retryable',
        reason: 'goaway-unprocessed',
        http2Code: 0,
        atMs: 6,
      });
    }
    expect(h.events).toContainEqual({ kind: 'session-ready', sessionId: 2, atMs: 10 });
    expect(h.events).toContainEqual({ kind: 'session-closed', sessionId: 1, atMs: 16 });
    expect(h.server.stats()).toMatchObject({ streamsStarted: 3, goawaySent: 1 });
  });

  it('REFUSED_STREAM when more requests wait than refuseWhenQueuedOver', () => {
    const h = harness(fixture({ workers: 1, refuseWhenQueuedOver: 0 }));
    h.transport.resize(1);
    h.scheduler.run(4);
    const traces = Array.from({ length: 3 }, () => h.dispatch().trace);
    h.scheduler.flush();
    expect(traces[0]!.outcome).toMatchObject({ kind: 'response', atMs: 16 });
    // The second waits for the one worker: its latency includes the first one's service.
    expect(traces[1]!.outcome).toMatchObject({ kind: 'response', atMs: 26 });
    expect(traces[2]!.outcome).toEqual({
      kind: 'retryable',
      reason: 'refused-stream',
      http2Code: 7,
      atMs: 6,
    });
    expect(h.server.stats()).toMatchObject({ refused: 1, streamsStarted: 2 });
  });

  it('queues at the server past its workers, whatever the connection count', () => {
    const h = harness(fixture({ workers: 2 }));
    h.transport.resize(3);
    h.scheduler.run(4);
    const traces = Array.from({ length: 6 }, () => h.dispatch().trace);
    h.scheduler.flush();
    const ends = traces.map((t) => (t.outcome as { atMs: number }).atMs).sort((a, b) => a - b);
    expect(ends).toEqual([16, 16, 26, 26, 36, 36]);
  });

  describe('a stream reset while its handler runs', () => {
    // One slot, 10 ms handlers: A opens at 4 ms (server 5-15 ms), is reset at 6 ms (the RST reaches
    // the server at 7 ms), and B takes the slot the client sees free at once.
    const resetThenReuse = (server: Partial<Scenario['server']>) => {
      const h = harness(fixture({ maxConcurrentStreams: 1, ...server }));
      h.transport.resize(1);
      h.scheduler.run(4);
      const a = h.dispatch();
      h.scheduler.run(6);
      a.handle!.cancel();
      const b = h.dispatch();
      return { h, a, b };
    };

    it('frees its slot at once by default (nghttp2, Netty)', () => {
      const { h, b } = resetThenReuse({});
      h.scheduler.flush();
      expect(b.trace.outcome).toMatchObject({ kind: 'response', atMs: 18 });
    });

    it('keeps its slot until the handler ends with slotHeldAfterReset (nginx): the next stream is refused', () => {
      const { h, b } = resetThenReuse({ slotHeldAfterReset: true });
      h.scheduler.flush();
      expect(b.trace.outcome).toEqual({
        kind: 'retryable',
        reason: 'refused-stream',
        http2Code: 7,
        atMs: 8,
      });
      // After the handler (15 ms) the slot is free again.
      const c = h.dispatch();
      h.scheduler.flush();
      expect(c.trace.outcome).toMatchObject({ kind: 'response' });
    });

    it('ends the connection with GOAWAY(PROTOCOL_ERROR) past the limit when streamsOverLimit is protocol-error (nghttp2)', () => {
      const { h, b } = resetThenReuse({
        slotHeldAfterReset: true,
        streamsOverLimit: 'protocol-error',
      });
      h.scheduler.flush();
      expect(h.events).toContainEqual(expect.objectContaining({ kind: 'goaway', errorCode: 1 }));
      // B (stream 3) is above the GOAWAY's last stream (1): not processed, so retryable.
      expect(b.trace.outcome).toMatchObject({ kind: 'retryable', reason: 'goaway-unprocessed' });
    });
  });

  it('goes silent after more than goawayAfterRefusals refusals (nginx): GOAWAY(NO_ERROR), and the streams it holds are never answered', () => {
    const h = harness(
      fixture({ maxConcurrentStreams: 2, slotHeldAfterReset: true, goawayAfterRefusals: 0 }),
    );
    h.transport.resize(1);
    h.scheduler.run(4);
    const a = h.dispatch(); // stream 1: in service 5-15 ms
    const b = h.dispatch(); // stream 3: reset at 5 ms, its slot held until 15 ms
    h.scheduler.run(5);
    b.handle!.cancel();
    const c = h.dispatch(); // stream 5: refused (the first refusal)
    h.scheduler.run(7);
    expect(c.trace.outcome).toMatchObject({ kind: 'retryable', reason: 'refused-stream' });
    const d = h.dispatch(); // stream 7: one refusal too many
    h.scheduler.flush();
    expect(h.events).toContainEqual(
      expect.objectContaining({ kind: 'goaway', errorCode: 0, lastStreamId: 3 }),
    );
    expect(d.trace.outcome).toMatchObject({ kind: 'retryable', reason: 'goaway-unprocessed' });
    // A was accepted before the GOAWAY, yet gets no response: it would end at its deadline.
    expect(a.trace.headersAtMs).toBeUndefined();
    expect(a.trace.outcome).toBeUndefined();
    expect(h.server.stats()).toMatchObject({ refused: 1, goawaySent: 1, streamsCompleted: 0 });
  });

  /** Four streams open at 4 ms; the first three are reset at 5 ms, with the fourth in flight. */
  const threeResets = (server: Partial<Scenario['server']>) => {
    const h = harness(fixture(server));
    h.transport.resize(1);
    h.scheduler.run(4);
    const streams = Array.from({ length: 4 }, () => h.dispatch());
    h.scheduler.run(5);
    for (const s of streams.slice(0, 3)) s.handle!.cancel();
    h.scheduler.flush();
    return { h, streams };
  };

  it('answers a reset rate past its token bucket with GOAWAY(INTERNAL_ERROR) (nghttp2)', () => {
    const { h, streams } = threeResets({ resetRateLimit: { burst: 2, perS: 1 } });
    expect(h.events).toContainEqual(expect.objectContaining({ kind: 'goaway', errorCode: 2 }));
    expect(streams[3]!.trace.outcome).toMatchObject({
      kind: 'error',
      failure: 'goaway',
      http2Code: 2,
    });
  });

  it('answers a reset flood with GOAWAY(ENHANCE_YOUR_CALM) and closes the connection', () => {
    const { h, streams } = threeResets({ resetFlood: { maxResets: 2, perS: 10 } });
    expect(h.events).toContainEqual({
      kind: 'goaway',
      sessionId: 1,
      errorCode: 11,
      lastStreamId: 7,
      atMs: 7,
    });
    expect(streams[3]!.trace.outcome).toMatchObject({
      kind: 'error',
      failure: 'goaway',
      http2Code: 11,
    });
    expect(h.events).toContainEqual({ kind: 'session-closed', sessionId: 1, atMs: 7 });
    expect(h.server.stats()).toMatchObject({ rstReceived: { CANCEL: 3 }, goawaySent: 1 });
  });

  it("is refused past maxConnectionsPerClient and retries after production's jittered backoff", () => {
    const h = harness(fixture({ maxConnectionsPerClient: 1 }));
    h.transport.resize(2);
    const backoff = (attempt: number) =>
      reconnectDelayMs(attempt, defaultReconnectBaseMs, defaultReconnectMaxMs, () => 0.5);
    // Refused one RTT (2 ms) after each attempt. Session 1's ready (4 ms) resets the count of
    // failures, so the second refusal waits the first attempt's 75 ms again; then 150 ms.
    const second = 2 + backoff(1) + 2;
    const third = second + backoff(1) + 2;
    const fourth = third + backoff(2) + 2;
    h.scheduler.run(fourth);
    const errors = h.events.filter((e) => e.kind === 'connection-error');
    expect(errors.map((e) => e.atMs)).toEqual([2, second, third, fourth]);
    expect(errors[0]).toMatchObject({ sessionId: 2, causeCode: 'ECONNREFUSED' });
    expect(h.transport.capacity().readySessions).toBe(1);
  });

  it('applies a SETTINGS change RTT/2 after the server sends it', () => {
    const h = harness(fixture({ settingsSchedule: [{ atS: 0.1, maxConcurrentStreams: 10 }] }));
    h.transport.resize(1);
    h.scheduler.run(100.99);
    expect(h.transport.freeSlots()).toBe(100);
    h.scheduler.run(101);
    expect(h.transport.freeSlots()).toBe(10);
    expect(h.snapshots.at(-1)).toMatchObject({ slotsTotal: 10, atMs: 101 });
  });

  it('fails a response over maxResponseBytes and resets it', () => {
    const h = harness(fixture());
    h.transport.resize(1);
    h.scheduler.run(4);
    const { trace } = h.dispatch({ maxResponseBytes: 100 });
    h.scheduler.flush();
    expect(trace.outcome).toMatchObject({ kind: 'error', failure: 'response-too-large', atMs: 16 });
    expect(h.server.stats().rstReceived).toEqual({ CANCEL: 1 });
  });

  it('drains extra sessions when the target falls, and closes on close()', async () => {
    const h = harness(fixture());
    h.transport.resize(3);
    h.scheduler.run(4);
    expect(h.transport.capacity().readySessions).toBe(3);
    const { trace } = h.dispatch();
    h.transport.resize(1);
    expect(h.transport.capacity().readySessions).toBe(1);
    const closing = h.transport.close();
    h.scheduler.flush();
    await closing;
    expect(trace.outcome?.kind).toBe('response');
    expect(h.transport.capacity().sessions).toEqual([]);
  });
});
