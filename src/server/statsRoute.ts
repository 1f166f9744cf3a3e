import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { TestServerStats } from './serverCounters.js';

/** The path of the server's own counters. Requests to it are not counted. */
export const statsPath = '/__h2flow/stats';

/** True when `path` (a `:path` pseudo-header, query allowed) is the stats route. */
export function isStatsPath(path: string | undefined): boolean {
  if (path === undefined) return false;
  const query = path.indexOf('?');
  return (query === -1 ? path : path.slice(0, query)) === statsPath;
}

/**
 * Answers a stats-route stream at once, without the modelled latency and
 * outside every counter, so asking for the witness does not change it.
 * `GET` returns the counters as JSON; other methods get 405.
 */
export function answerStatsStream(
  stream: ServerHttp2Stream,
  headers: IncomingHttpHeaders,
  stats: () => TestServerStats,
): void {
  stream.on('error', () => {});
  // Drain any request body so the stream can close cleanly.
  stream.resume();
  const method = headers[':method'];
  if (method !== 'GET' && method !== 'HEAD') {
    stream.respond({ ':status': 405, allow: 'GET' }, { endStream: true });
    return;
  }
  const body = Buffer.from(JSON.stringify(stats()), 'utf8');
  stream.respond(
    {
      ':status': 200,
      'content-type': 'application/json',
      'content-length': body.length,
      'cache-control': 'no-store',
    },
    { endStream: method === 'HEAD' },
  );
  if (method !== 'HEAD') stream.end(body);
}
