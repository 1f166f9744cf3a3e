/**
 * The yardstick of the client-overhead bench: a minimal closed-loop client
 * on raw `node:http2`. It opens `sessions` sessions, waits for each one's
 * first SETTINGS (RFC 9113 §6.5), keeps exactly `streamsPerSession` POSTs
 * in flight on each, and starts the next request on a session as soon as
 * one of its streams closes. It buffers each response body as h2flow does,
 * and does nothing else: no queue, no deadlines, no accounting but a count.
 * Over TLS (an `https:` origin) it trusts `options.ca`; `options.method`
 * `GET` sends no body.
 */
import { type ClientHttp2Session, connect } from 'node:http2';
import { bodyFollows, endsWithHeaders } from '../../src/h2/streamOptions.js';
import { type ClosedLoop, closedLoop, type LoopCounts } from './closedLoop.js';

/** How the raw loop reaches its server and what it sends. */
export interface RawLoopOptions {
  /** PEM of the CA to trust for an `https:` origin (a self-signed bench server's). */
  readonly ca?: string | undefined;
  /** `POST` (default) sends the body; `GET` sends none. */
  readonly method?: 'GET' | 'POST' | undefined;
}

/** Starts the raw closed loop; resolves once every session has its SETTINGS and the streams are started. */
export async function startRawClosedLoop(
  origin: string,
  sessions: number,
  streamsPerSession: number,
  body: Buffer,
  options: RawLoopOptions = {},
): Promise<ClosedLoop> {
  const counts: LoopCounts = { completed: 0, failed: 0 };
  let running = true;
  let open = 0;
  let onDrained: (() => void) | undefined;
  const post = options.method !== 'GET';
  const headers = post
    ? { ':method': 'POST', ':path': '/', 'content-type': 'application/json' }
    : { ':method': 'GET', ':path': '/' };
  const requestOptions = post ? bodyFollows : endsWithHeaders;
  const tls = options.ca === undefined ? {} : { ca: options.ca };
  const list: ClientHttp2Session[] = await Promise.all(
    Array.from(
      { length: sessions },
      () =>
        new Promise<ClientHttp2Session>((resolve, reject) => {
          const s = connect(origin, tls);
          s.once('remoteSettings', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  const one = (session: ClientHttp2Session): void => {
    open++;
    const stream = session.request(headers, requestOptions);
    const chunks: Buffer[] = [];
    let ok = false;
    stream.on('response', (h) => {
      ok = h[':status'] === 200;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => {});
    stream.on('close', () => {
      open--;
      // The body is kept until here, as a client that returns it must.
      if (ok && stream.rstCode === 0 && chunks.length > 0) counts.completed++;
      else counts.failed++;
      if (running) one(session);
      else if (open === 0) onDrained?.();
    });
    if (post) stream.end(body);
  };
  for (const s of list) for (let i = 0; i < streamsPerSession; i++) one(s);
  return closedLoop(counts, async () => {
    running = false;
    if (open > 0) await new Promise<void>((resolve) => (onDrained = resolve));
    await Promise.all(list.map((s) => new Promise<void>((resolve) => s.close(resolve))));
  });
}
