import { afterEach, describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { createClient } from '../../src/createClient.js';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { type LedgerServer, startLedgerServer } from '../faults/helpers/ledgerServer.js';
import { thrown } from './helpers/thrown.js';

let server: LedgerServer | undefined;
let client: AdaptiveClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe('origins', () => {
  // h2c only for http://, TLS for https://; anything else is refused up front.
  test.each([
    'ftp://example.test/',
    'ws://example.test',
    'wss://example.test',
    'file:///etc/passwd',
    'h2c://example.test',
    'http2://example.test',
    'not a url',
    '',
    '//example.test',
    'example.test:443',
    'javascript:alert(1)',
  ])(
    'createClient(%j) throws InvalidOptionError naming the origin, and connects to nothing',
    (origin) => {
      const error = thrown(() => createClient(origin));
      expect(isInvalidOptionError(error)).toBe(true);
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain(
        `origin must be an absolute http:// or https:// URL, got ${JSON.stringify(origin)}`,
      );
    },
  );

  test('any string that is not an http(s) URL is refused the same way', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl({ validSchemes: ['ftp', 'ws', 'gopher', 'mailto', 'data'] }),
        ),
        (origin) => {
          let http = false;
          try {
            http = ['http:', 'https:'].includes(new URL(origin).protocol);
          } catch {
            http = false;
          }
          fc.pre(!http);
          expect(isInvalidOptionError(thrown(() => createClient(origin)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('headers HTTP/2 forbids (RFC 9113 §8.2.2)', () => {
  const forbidden: readonly (readonly [string, string])[] = [
    ['connection', 'keep-alive'],
    ['Connection', 'close'],
    ['keep-alive', 'timeout=5'],
    ['proxy-connection', 'keep-alive'],
    ['transfer-encoding', 'chunked'],
    ['Transfer-Encoding', 'gzip'],
    ['upgrade', 'h2c'],
    ['te', 'gzip'],
    ['te', 'trailers, deflate'],
  ];

  test.each(forbidden)('%s: %s is refused before sending, and not counted', async (name, value) => {
    server = await startLedgerServer();
    client = createClient(server.url);
    const sendError = thrown(() =>
      client!.send({ path: '/x', headers: { [name]: value } }, () => {}),
    );
    expect(isInvalidOptionError(sendError)).toBe(true);
    expect(sendError.message).toContain(`request.headers.${name.toLowerCase()} must be absent`);
    expect(sendError.message).toContain('RFC 9113 §8.2.2');
    await expect(client.request({ path: '/x', headers: { [name]: value } })).rejects.toThrow(
      /must be absent/,
    );
    // Nothing reached the server, and the client counted nothing.
    expect(client.stats().submitted).toBe(0);
    const ok = await client.request({ path: '/after' });
    expect(ok.status).toBe(200);
    expect(server.attempts.map((a) => a.key)).toEqual(['/after']);
  });

  test('te: trailers is the one TE HTTP/2 allows, and it is sent', async () => {
    server = await startLedgerServer();
    client = createClient(server.url);
    const res = await client.request({ path: '/te', headers: { te: 'trailers' } });
    expect(res.status).toBe(200);
    expect(server.attempts).toHaveLength(1);
  });

  test('pseudo-headers and names that are not tokens are refused too', async () => {
    server = await startLedgerServer();
    client = createClient(server.url);
    for (const name of [':path', ':authority', 'bad name', 'x\r\ninjected', '']) {
      expect(
        isInvalidOptionError(thrown(() => client!.send({ headers: { [name]: 'v' } }, () => {}))),
      ).toBe(true);
    }
    expect(client.stats().submitted).toBe(0);
    expect(server.attempts).toHaveLength(0);
  });

  test.each(['a\r\nx-injected: 1', 'a\nb', 'a\u0000b'])(
    'a header value with NUL, CR or LF (%j: header injection) is refused before sending',
    async (value) => {
      server = await startLedgerServer();
      client = createClient(server.url);
      for (const headers of [{ 'x-note': value }, { 'x-note': ['ok', value] }]) {
        const error = thrown(() => client!.send({ path: '/inject', headers }, () => {}));
        expect(isInvalidOptionError(error)).toBe(true);
        expect(error.message).toContain(
          'request.headers.x-note must be a value without NUL, CR or LF',
        );
      }
      expect(client.stats().submitted).toBe(0);
      expect(server.attempts).toHaveLength(0);
    },
  );
});
