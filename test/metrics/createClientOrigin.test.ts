import { afterEach, expect, test } from '@jest/globals';
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { createClient } from '../../src/createClient.js';
import { metricDefinitions as d } from '../../src/metrics/metricNames.js';
import { type RawServer, startRawServer } from '../h2/helpers/rawServer.js';
import { parseExposition, sampleValue } from './exposition.js';

let server: RawServer | undefined;
let client: AdaptiveClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

test('createClient labels the metrics with the URL origin, normalized', async () => {
  server = await startRawServer();
  client = createClient(`${server.url}/some/path?q=1`);
  await client.request({ path: '/' });
  const e = parseExposition(await client.metrics());
  expect(client.options.origin).toBe(server.url);
  expect(sampleValue(e, d.requests.name, { origin: server.url, outcome: 'succeeded' })).toBe(1);
});

test('an explicit origin option wins over the URL', async () => {
  server = await startRawServer();
  client = createClient(server.url, { origin: 'payments' });
  await client.request({ path: '/' });
  const e = parseExposition(await client.metrics());
  expect(sampleValue(e, d.requests.name, { origin: 'payments', outcome: 'succeeded' })).toBe(1);
});
