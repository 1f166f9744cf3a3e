/**
 * The least a dispatcher on node:http2 can do under `fetch`: the floor of
 * the fetch-overhead bench. Per request it gathers fetch's body, opens one
 * stream on the next of its sessions (round robin, no queue: the loop never
 * has more in flight than the sessions' slots), hands HEADERS, DATA and the
 * end to the legacy handler (DATA that node:http2 emits before its
 * `'response'` held until the headers are handed on), and maps an
 * abort to RST_STREAM(CANCEL). No limiter, no deadlines, no accounting, no
 * retries, no pause (the bench reads every body at once).
 *
 * What `fetch-bare` costs beyond `fetch-noop` is what any dispatcher built on
 * node:http2 pays under Node's `fetch`; the agent's cost beyond `fetch-bare`
 * is h2flow's own.
 */
import { type ClientHttp2Session, connect, constants } from 'node:http2';
import { bodyFollows, endsWithHeaders } from '../../src/h2/streamOptions.js';
import { rawHeaders } from '../../src/undici/handlerSink.js';
import type { DispatchOptions, LegacyHandler } from '../../src/undici/undiciHandlers.js';

/** The bare dispatcher: `fetch(url, { dispatcher })`. */
export interface BareDispatcher {
  /** Sends the request on the next session; always true. */
  dispatch(opts: DispatchOptions, handler: LegacyHandler): boolean;
  /** Closes every session. */
  close(): Promise<void>;
}

/** Opens `sessions` sessions to `origin` (trusting `ca`) and resolves once each has its SETTINGS. */
export async function bareDispatcher(
  origin: string,
  sessions: number,
  ca: string,
): Promise<BareDispatcher> {
  const list = await Promise.all(
    Array.from(
      { length: sessions },
      () =>
        new Promise<ClientHttp2Session>((resolve, reject) => {
          const s = connect(origin, { ca });
          s.once('remoteSettings', () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  let next = 0;
  return {
    dispatch(opts, handler) {
      const session = list[next]!;
      next = (next + 1) % list.length;
      void send(session, opts, handler);
      return true;
    },
    close: () =>
      Promise.all(list.map((s) => new Promise<void>((resolve) => s.close(resolve)))).then(() => {}),
  };
}

/** One request: body gathered, stream opened, response handed on. */
async function send(
  session: ClientHttp2Session,
  opts: DispatchOptions,
  handler: LegacyHandler,
): Promise<void> {
  let aborted: Error | undefined;
  let cancel: (() => void) | undefined;
  handler.onConnect?.((reason) => {
    aborted ??= reason ?? new Error('aborted');
    cancel?.();
  });
  let body: Buffer | undefined;
  try {
    body = await bytesOf(opts.body);
  } catch (error) {
    aborted ??= error as Error;
  }
  if (aborted !== undefined) {
    handler.onError?.(aborted);
    return;
  }
  const headers: Record<string, string> = { ':method': opts.method, ':path': opts.path };
  const given = opts.headers as Record<string, string> | string[] | null | undefined;
  if (Array.isArray(given))
    for (let i = 0; i < given.length; i += 2) headers[given[i]!] = given[i + 1]!;
  else if (given != null) for (const name in given) headers[name.toLowerCase()] = given[name]!;
  const stream = session.request(headers, body === undefined ? endsWithHeaders : bodyFollows);
  cancel = () => stream.close(constants.NGHTTP2_CANCEL);
  let failed: Error | undefined;
  // node:http2 emits 'response' a tick after the HEADERS were read, and DATA read with them comes first.
  let early: Buffer[] | undefined = [];
  stream.on('response', (h) => {
    const status = Number(h[':status']);
    // `:status` is the one pseudo-header a response carries; the rest go as undici's raw pairs.
    delete h[':status'];
    handler.onHeaders?.(status, rawHeaders(h), () => {}, '');
    const held = early!;
    early = undefined;
    for (const chunk of held) handler.onData?.(chunk);
  });
  stream.on('data', (chunk: Buffer) => {
    if (early !== undefined) early.push(chunk);
    else handler.onData?.(chunk);
  });
  stream.on('error', (error: Error) => {
    failed ??= error;
  });
  stream.on('close', () => {
    if (aborted !== undefined) handler.onError?.(aborted);
    else if (failed !== undefined || stream.rstCode !== constants.NGHTTP2_NO_ERROR)
      handler.onError?.(failed ?? new Error(`RST_STREAM ${stream.rstCode}`));
    else handler.onComplete?.([]);
  });
  if (body !== undefined) stream.end(body);
}

/** fetch's body (an async iterable of chunks, or bytes, or none) as one Buffer. */
async function bytesOf(body: unknown): Promise<Buffer | undefined> {
  if (body == null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array>)
    chunks.push(Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
