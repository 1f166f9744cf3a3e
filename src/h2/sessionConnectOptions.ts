import type { SecureClientSessionOptions } from 'node:http2';
import type { H2TransportOptions } from './H2TransportOptions.js';

/**
 * The options for `http2.connect(origin, …)`:
 * - for `https:` the TLS options pass through (`ca`, `rejectUnauthorized`,
 *   `servername`); Node offers ALPN "h2" itself (RFC 9113 §3.2) and fails the
 *   session if the server does not pick it;
 * - for `http:` there are none: Node then speaks h2c with prior knowledge
 *   (RFC 9113 §3.3);
 * - our SETTINGS: the per-stream receive window (§6.9.2), and no server push
 *   (§8.4), which h2flow never uses.
 */
export function sessionConnectOptions(
  origin: URL,
  options: H2TransportOptions,
): SecureClientSessionOptions {
  const settings = { initialWindowSize: options.initialWindowSize, enablePush: false };
  if (origin.protocol !== 'https:') return { settings };
  return {
    settings,
    rejectUnauthorized: options.rejectUnauthorized,
    ...(options.ca === undefined
      ? {}
      : { ca: options.ca as string | Buffer | (string | Buffer)[] }),
    ...(options.servername === undefined ? {} : { servername: options.servername }),
  };
}
