import type { StreamRequest } from '../client/streamRequest.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';
import type { DispatchOptions } from './undiciHandlers.js';

type Headers = Record<string, string | string[]>;

/**
 * Turns undici's dispatch options into the client's streamed request:
 * headers from any of undici's shapes, the query appended to the path, and
 * the body as bytes or as a source of chunks. Throws an `InvalidOptionError`
 * naming what it cannot carry (an upgrade, an unknown body, odd header
 * arrays); the client's own checks (e.g. connection-specific headers, which
 * HTTP/2 forbids) apply after it.
 */
export function toStreamRequest(
  opts: DispatchOptions,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): StreamRequest {
  if (opts.upgrade) {
    throw new InvalidOptionError(
      'upgrade',
      opts.upgrade,
      'absent: h2flow carries no upgrades (WebSocket, CONNECT)',
    );
  }
  return {
    method: opts.method,
    path: withQuery(opts.path, opts.query),
    headers: headersOf(opts.headers),
    body: bodyOf(opts.body),
    timeoutMs,
    signal,
  };
}

function withQuery(path: string, query: Record<string, unknown> | undefined): string {
  if (query === undefined || query === null) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) params.append(name, String(v));
    }
  }
  const text = params.toString();
  return text === '' ? path : `${path}${path.includes('?') ? '&' : '?'}${text}`;
}

function add(headers: Headers, name: unknown, value: unknown): void {
  if (value === undefined || value === null) return;
  const key = String(name).toLowerCase();
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  const had = headers[key];
  if (had === undefined) headers[key] = values.length === 1 ? values[0]! : values;
  else headers[key] = [...(Array.isArray(had) ? had : [had]), ...values];
}

function headersOf(raw: unknown): Headers {
  const headers: Headers = {};
  if (raw === undefined || raw === null) return headers;
  if (Array.isArray(raw)) {
    if (raw.length % 2 !== 0) {
      throw new InvalidOptionError(
        'headers',
        `an array of ${raw.length}`,
        'a flat [name, value, …] array of even length',
      );
    }
    for (let i = 0; i < raw.length; i += 2) add(headers, raw[i], raw[i + 1]);
    return headers;
  }
  if (typeof (raw as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const pair of raw as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new InvalidOptionError('headers', pair, 'an iterable of [name, value] pairs');
      }
      add(headers, pair[0], pair[1]);
    }
    return headers;
  }
  if (typeof raw !== 'object')
    throw new InvalidOptionError('headers', raw, 'an object, an array or an iterable of pairs');
  for (const name in raw as Record<string, unknown>)
    add(headers, name, (raw as Record<string, unknown>)[name]);
  return headers;
}

function bodyOf(body: unknown): StreamRequest['body'] {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    return body as AsyncIterable<Uint8Array>;
  }
  if (body instanceof Blob) return body.stream() as unknown as AsyncIterable<Uint8Array>;
  throw new InvalidOptionError(
    'body',
    Object.prototype.toString.call(body),
    'a string, a Uint8Array, a Blob, an async iterable or a Readable',
  );
}
