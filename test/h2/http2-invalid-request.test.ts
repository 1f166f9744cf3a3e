import { afterEach, expect, test } from '@jest/globals';
import { firstValueFrom } from 'rxjs';
import { filter } from 'rxjs/operators';
import { createH2Transport, type H2Transport } from '../../src/h2/H2Transport.js';
import type { TransportRequest } from '../../src/transport/Transport.js';
import { makeRequest } from './helpers/driveRequests.js';
import { type RawServer, startRawServer } from './helpers/rawServer.js';
import { recordingListener } from './helpers/recordingListener.js';

let server: RawServer | undefined;
let transport: H2Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

test('a request Node refuses (connection-specific header, RFC 9113 §8.2.2) fails as protocol, after dispatch returns, and the session carries on', async () => {
  server = await startRawServer();
  transport = createH2Transport(server.url, { initialConnections: 0 });
  const ready = firstValueFrom(transport.events$.pipe(filter((e) => e.kind === 'session-ready')));
  transport.resize(1);
  await ready;

  const bad: TransportRequest = { ...makeRequest(1), headers: { connection: 'keep-alive' } };
  const listener = recordingListener();
  const handle = transport.dispatch(bad, listener);
  expect(handle).toBeDefined();
  // Never from inside dispatch().
  expect(listener.calls).toEqual([]);
  expect(await listener.done).toMatchObject({
    kind: 'error',
    failure: 'protocol',
    causeCode: 'ERR_HTTP2_INVALID_CONNECTION_HEADERS',
  });
  expect(transport.capacity().slotsInUse).toBe(0);

  const good = recordingListener();
  transport.dispatch(makeRequest(2), good);
  expect(await good.done).toMatchObject({ kind: 'response', status: 200 });
  expect(server.streamsSeen).toBe(1);
  expect(server.sessions).toHaveLength(1);
});
