import { describe, expect, it } from '@jest/globals';
import { VirtualTimeScheduler } from 'rxjs';
import { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import type { H2flowError } from '../../src/errors/H2flowError.js';
import { FakeTransport } from '../helpers/fakeTransport.js';

/** A client on one 1-slot fake connection whose answers take 20 ms, in virtual time. */
function setup() {
  const scheduler = new VirtualTimeScheduler(undefined, 10_000);
  const transport = new FakeTransport(scheduler, 1, () => ({ latencyMs: 20 }));
  const client = new AdaptiveClient(transport, { maxConnections: 1 });
  return { scheduler, transport, client };
}

describe('AdaptiveClient lifecycle (the driver over its limiter)', () => {
  it('request$ unsubscribed while queued cancels it locally: nothing is sent, it counts as failed', () => {
    const { scheduler, transport, client } = setup();
    client.send({}, () => {});
    const subscription = client.request$({ path: '/queued' }).subscribe({ error: () => {} });
    expect(client.stats().queued).toBe(1);
    subscription.unsubscribe();
    scheduler.flush();
    expect(transport.dispatchedIds).toHaveLength(1);
    expect(client.stats()).toMatchObject({ submitted: 2, succeeded: 1, failed: 1, queued: 0 });
    expect(transport.cancelledOnWireIds).toEqual([]);
  });

  it('request$ unsubscribed in flight sends RST_STREAM(CANCEL) and counts it', () => {
    const { scheduler, transport, client } = setup();
    const subscription = client.request$({}).subscribe({ error: () => {} });
    expect(client.stats().inFlight).toBe(1);
    subscription.unsubscribe();
    scheduler.flush();
    expect(client.stats()).toMatchObject({ failed: 1, cancelledOnWire: 1, inFlight: 0 });
    expect(transport.cancelledOnWireIds).toHaveLength(1);
  });

  it('send() after close() settles with H2FLOW_CLOSED before it returns', async () => {
    const { scheduler, client } = setup();
    const closing = client.close();
    scheduler.flush();
    await closing;
    let error: H2flowError | undefined;
    client.send({}, (e) => {
      error = e;
    });
    expect(error?.code).toBe('H2FLOW_CLOSED');
    expect(client.stats()).toMatchObject({ submitted: 1, failed: 1 });
  });

  it('a shed request calls back before send() returns; an admitted one only from a later event', () => {
    const { scheduler, client } = setup();
    const order: string[] = [];
    client.send({}, () => order.push('first settled'));
    order.push('send returned');
    expect(order).toEqual(['send returned']);
    const aborted = AbortSignal.abort();
    client.send({ signal: aborted }, (e) => order.push(`aborted: ${e?.code}`));
    order.push('second send returned');
    scheduler.flush();
    expect(order).toEqual([
      'send returned',
      'aborted: H2FLOW_ABORTED',
      'second send returned',
      'first settled',
    ]);
  });
});
