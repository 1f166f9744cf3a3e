import { type ClientHttp2Session, connect, type SecureClientSessionOptions } from 'node:http2';
import type { ServerStats } from '../core/runResult.js';
import { statsPath } from '../server/statsRoute.js';

/** How to reach the server's stats route. */
export interface FetchServerStatsOptions {
  /** Give up after this long, ms. Default 2000. */
  readonly timeoutMs?: number | undefined;
  /** Extra CA certificates (PEM) for `https://`. */
  readonly ca?: string | Buffer | undefined;
  /** Whether TLS certificates are verified. Default true. */
  readonly rejectUnauthorized?: boolean | undefined;
}

/**
 * Asks the target for its own counters (`GET /__h2flow/stats`), on a
 * session of its own so the question never shares, or shows up in, the
 * load's connections; the route itself is outside the server's counters.
 * Resolves `undefined` when the target is not an h2flow server (no such
 * route, not JSON, not the counters' shape) or does not answer in time —
 * the load report then simply has no server witness.
 */
export async function fetchServerStats(
  origin: string,
  options: FetchServerStatsOptions = {},
): Promise<ServerStats | undefined> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const tls: SecureClientSessionOptions = {
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  };
  let session: ClientHttp2Session | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    session = connect(new URL(origin).origin, tls);
    session.on('error', () => {});
    const body = await Promise.race([
      get(session),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      }),
    ]);
    return body === undefined ? undefined : parseServerStats(body);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    session?.destroy();
  }
}

/** One GET of the stats route; resolves the body of a 200, or undefined. */
function get(session: ClientHttp2Session): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stream = session.request({ ':method': 'GET', ':path': statsPath });
    let status = 0;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.on('data', (chunk: string) => {
      // The counters are a few hundred bytes; anything huge is not them.
      if (body.length < 1_000_000) body += chunk;
    });
    stream.on('error', () => resolve(undefined));
    stream.on('close', () => resolve(status === 200 ? body : undefined));
    stream.end();
  });
}

/**
 * The {@link ServerStats} fields of a stats-route body, or undefined when it
 * does not have their shape (a server that merely answers 200 on any path).
 */
export function parseServerStats(text: string): ServerStats | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  const counts = [
    'streamsStarted',
    'streamsCompleted',
    'refused',
    'maxConcurrentSeen',
    'goawaySent',
  ];
  if (!counts.every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]))) return undefined;
  const rst = o.rstReceived;
  if (typeof rst !== 'object' || rst === null || Array.isArray(rst)) return undefined;
  const rstReceived: Record<string, number> = {};
  for (const [name, n] of Object.entries(rst)) {
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    rstReceived[name] = n;
  }
  return {
    streamsStarted: o.streamsStarted as number,
    streamsCompleted: o.streamsCompleted as number,
    rstReceived,
    refused: o.refused as number,
    maxConcurrentSeen: o.maxConcurrentSeen as number,
    goawaySent: o.goawaySent as number,
  };
}
