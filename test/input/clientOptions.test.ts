import { describe, expect, test } from '@jest/globals';
import {
  type ClientOptions,
  defaultClientOptions,
  resolveClientOptions,
} from '../../src/client/clientOptions.js';
import { createClient } from '../../src/createClient.js';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { defaultH2TransportOptions } from '../../src/h2/H2TransportOptions.js';
import { startLedgerServer } from '../faults/helpers/ledgerServer.js';
import { thrown } from './helpers/thrown.js';

// Bad option values give an InvalidOptionError, which is a RangeError whose
// message names the option and the value, and which is thrown before any
// connection is opened.

function expectNamed(error: Error, option: string, value: string): void {
  expect(error).toBeInstanceOf(RangeError);
  expect(isInvalidOptionError(error)).toBe(true);
  expect(error.message).toContain(option);
  expect(error.message).toContain(`got ${value}`);
}

const numericClientOptions = Object.entries(defaultClientOptions)
  .filter(([, v]) => typeof v === 'number')
  .map(([k]) => k as keyof ClientOptions);

const numericTransportOptions = Object.entries(defaultH2TransportOptions)
  .filter(([k, v]) => typeof v === 'number' && k !== 'maxConnections' && k !== 'initialConnections')
  .map(([k]) => k);

test('every numeric client option is covered below', () => {
  expect(numericClientOptions.length).toBeGreaterThanOrEqual(25);
  expect(numericTransportOptions).toEqual(
    expect.arrayContaining([
      'maxStreamsPerSession',
      'initialWindowSize',
      'connectionWindowBytes',
      'connectTimeoutMs',
      'reconnectBaseMs',
      'reconnectMaxMs',
    ]),
  );
});

describe.each(numericClientOptions)('client option %s', (option) => {
  test.each([
    [Number.NaN, 'NaN'],
    [-1, '-1'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('%p is a RangeError naming it and the value', (value, shown) => {
    expectNamed(
      thrown(() => resolveClientOptions({ [option]: value })),
      option,
      shown,
    );
  });
});

describe.each(numericTransportOptions)('transport option %s (through createClient)', (option) => {
  test.each([
    [Number.NaN, 'NaN'],
    [-1, '-1'],
  ])('%p is a RangeError naming it and the value', (value, shown) => {
    expectNamed(
      thrown(() => createClient('http://127.0.0.1:9', { [option]: value })),
      option,
      shown,
    );
  });
});

test.each([
  [{ minRateTps: 10, maxRateTps: 5 }, 'maxRateTps', '5'],
  [{ minConnections: 4, maxConnections: 2 }, 'maxConnections', '2'],
  [{ minWindowMs: 500, maxWindowMs: 100 }, 'maxWindowMs', '100'],
  [{ initialRateTps: 50, minRateTps: 100 }, 'initialRateTps', '50'],
  [{ initialConnections: 9, maxConnections: 8 }, 'initialConnections', '9'],
  [{ policy: 'fixed', connections: 9, maxConnections: 8 }, 'connections', '9'],
] as const)('min > max %j names the option and value', (options, option, shown) => {
  expectNamed(
    thrown(() => resolveClientOptions(options as Partial<ClientOptions>)),
    option,
    shown,
  );
});

test('min > max on the transport: reconnectBaseMs above reconnectMaxMs', () => {
  expectNamed(
    thrown(() => createClient('http://127.0.0.1:9', { reconnectBaseMs: 500, reconnectMaxMs: 100 })),
    'reconnectMaxMs',
    '100',
  );
});

test.each([
  ['yes', '"yes"'],
  [1, '1'],
])('standby %p (not a boolean) names the option and value', (value, shown) => {
  expectNamed(
    thrown(() => resolveClientOptions({ standby: value } as never)),
    'standby',
    shown,
  );
});

test('an unknown option (a typo) is an error naming it, not a silent default', () => {
  expectNamed(
    thrown(() => resolveClientOptions({ timeoutMS: 5000 } as never)),
    'timeoutMS',
    '5000',
  );
});

test('a request timeoutMs of NaN, 0 or -1 is refused before the request is counted', async () => {
  // Port 9 (discard): nothing listens, and nothing needs to.
  const client = createClient('http://127.0.0.1:9');
  try {
    for (const [value, shown] of [
      [Number.NaN, 'NaN'],
      [0, '0'],
      [-1, '-1'],
    ] as const) {
      await expect(client.request({ timeoutMs: value })).rejects.toThrow(RangeError);
      expectNamed(
        thrown(() => client.send({ timeoutMs: value }, () => {})),
        'request.timeoutMs',
        shown,
      );
    }
    expect(client.stats().submitted).toBe(0);
  } finally {
    await client.close();
  }
});

test('bad client options throw before any connection is opened', async () => {
  const server = await startLedgerServer();
  try {
    expectNamed(
      thrown(() => createClient(server.url, { timeoutMs: Number.NaN })),
      'timeoutMs',
      'NaN',
    );
    expectNamed(
      thrown(() => createClient(server.url, { maxRateTps: -1 })),
      'maxRateTps',
      '-1',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.sessions).toHaveLength(0);
  } finally {
    await server.close();
  }
});
