import { expect, test } from '@jest/globals';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { createH2Transport } from '../../src/h2/H2Transport.js';
import {
  defaultH2TransportOptions,
  resolveH2TransportOptions,
} from '../../src/h2/H2TransportOptions.js';
import { realTimeScheduler } from '../../src/streams/realTimeScheduler.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

test('defaults: 1 MiB stream window, 16 MiB connection window, 64 connections, real-time monotonic clock', () => {
  const o = resolveH2TransportOptions();
  expect(o).toEqual(defaultH2TransportOptions);
  expect(o.initialWindowSize).toBe(1024 * 1024);
  expect(o.connectionWindowBytes).toBe(16 * 1024 * 1024);
  expect(o.maxConnections).toBe(64);
  expect(o.rejectUnauthorized).toBe(true);
  expect(o.scheduler).toBe(realTimeScheduler);
  const a = o.scheduler.now();
  expect(o.scheduler.now()).toBeGreaterThanOrEqual(a);
});

test.each([
  ['maxConnections', 0],
  ['maxConnections', 1.5],
  ['initialConnections', -1],
  ['initialWindowSize', 2 ** 31],
  ['connectionWindowBytes', 1000],
  ['connectTimeoutMs', 0],
  ['reconnectBaseMs', Number.NaN],
  ['rejectUnauthorized', 'yes'],
  ['servername', ''],
  ['ca', 42],
  ['scheduler', { now: 1 }],
  ['maxStreamsPerSession', 0],
] as const)('%s = %p is rejected with an InvalidOptionError naming it', (name, value) => {
  const e = thrown(() => resolveH2TransportOptions({ [name]: value }));
  expect(isInvalidOptionError(e)).toBe(true);
  expect(e).toBeInstanceOf(RangeError);
  expect((e as Error).message).toContain(name);
});

test('options are checked against each other and unknown keys are rejected', () => {
  expect(
    (thrown(() => resolveH2TransportOptions({ initialConnections: 5, maxConnections: 2 })) as Error)
      .message,
  ).toContain('initialConnections');
  expect(
    (
      thrown(() =>
        resolveH2TransportOptions({ reconnectBaseMs: 500, reconnectMaxMs: 100 }),
      ) as Error
    ).message,
  ).toContain('reconnectMaxMs');
  const typo = thrown(() => resolveH2TransportOptions({ maxConections: 3 } as never));
  expect(isInvalidOptionError(typo)).toBe(true);
  expect((typo as Error).message).toContain('maxConections');
});

test.each(['ftp://example.com', 'ws://127.0.0.1:1', 'not a url', '127.0.0.1:8080'])(
  'origin %p is rejected with an InvalidOptionError naming the URL',
  (origin) => {
    const e = thrown(() => createH2Transport(origin, { initialConnections: 0 }));
    expect(isInvalidOptionError(e)).toBe(true);
    expect((e as Error).message).toContain('origin');
    expect((e as Error).message).toContain(JSON.stringify(origin));
  },
);

test('resize() clamps its target and rejects NaN', () => {
  const t = createH2Transport('http://127.0.0.1:9', { initialConnections: 0 });
  expect(isInvalidOptionError(thrown(() => t.resize(Number.NaN)))).toBe(true);
  t.resize(-3);
  expect(t.capacity().sessions).toEqual([]);
  return t.close();
});
