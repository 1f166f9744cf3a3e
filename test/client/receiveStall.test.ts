import { describe, expect, it } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { ControlWindow } from '../../src/core/controlWindow.js';
import type { RequestSample } from '../../src/core/sample.js';
import type {
  DispatchHandle,
  DispatchListener,
  Transport,
  TransportRequest,
} from '../../src/transport/Transport.js';
import { FakeTransport } from '../helpers/fakeTransport.js';

/**
 * The fake transport, with every response to an odd request id reported as held back by the
 * client's own receive window (`windowStalled` on the `response` outcome), as the simulator does
 * for large responses under small windows.
 */
function receiveStalling(inner: FakeTransport): Transport & { readonly marked: () => number } {
  let marked = 0;
  return {
    marked: () => marked,
    scheduler: inner.scheduler,
    capacity$: inner.capacity$,
    events$: inner.events$,
    capacity: () => inner.capacity(),
    freeSlots: () => inner.freeSlots(),
    resize: (n) => inner.resize(n),
    close: () => inner.close(),
    dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
      return inner.dispatch(request, {
        onSent: (atMs, stalled) => listener.onSent(atMs, stalled),
        onHeaders: (atMs, status, headers) => listener.onHeaders(atMs, status, headers),
        onDone: (outcome) => {
          const stalled = outcome.kind === 'response' && request.id % 2 === 1;
          if (stalled) marked++;
          listener.onDone(stalled ? { ...outcome, windowStalled: true } : outcome);
        },
      });
    },
  };
}

describe('AdaptiveClient: receive-side window stalls', () => {
  it('marks a sample window-stalled when its response waited on the receive window, and counts it', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 10_000);
    const transport = receiveStalling(new FakeTransport(scheduler, 10, () => ({ latencyMs: 20 })));
    const client = new AdaptiveClient(transport, { maxConnections: 1, timeoutMs: 2000 });
    const samples: RequestSample[] = [];
    const windows: ControlWindow[] = [];
    client.samples$.subscribe((s) => samples.push(s));
    client.windows$.subscribe((w) => windows.push(w));
    for (let i = 0; i < 40; i++) {
      scheduler.schedule(() => client.send({ method: 'GET' }, () => {}), i * 20);
    }
    scheduler.flush();
    const succeeded = samples.filter((s) => s.outcome === 'succeeded');
    expect(succeeded.length).toBe(40);
    // The request bodies never stalled (onSent said false); half the responses did.
    expect(transport.marked()).toBe(20);
    expect(succeeded.filter((s) => s.windowStalled).length).toBe(20);
    expect(windows.reduce((n, w) => n + w.windowStalls, 0)).toBe(20);
  });
});
