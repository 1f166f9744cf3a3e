import { AdaptiveClient } from './client/AdaptiveClient.js';
import {
  type ClientOptions,
  defaultClientOptions,
  resolveClientOptions,
} from './client/clientOptions.js';
import { createH2Transport } from './h2/H2Transport.js';
import type { H2TransportOptions } from './h2/H2TransportOptions.js';

/** Transport options `createClient` passes through to the `node:http2` transport. */
const transportKeys = [
  'scheduler',
  'maxStreamsPerSession',
  'initialWindowSize',
  'connectionWindowBytes',
  'connectTimeoutMs',
  'reconnectBaseMs',
  'reconnectMaxMs',
  'ca',
  'rejectUnauthorized',
  'servername',
] as const;

/** Options of {@link createClient}: the client's (and controller's) options plus the `node:http2` transport's. */
export type CreateClientOptions = Partial<ClientOptions> &
  Partial<Pick<H2TransportOptions, (typeof transportKeys)[number]>>;

/**
 * Creates an adaptive HTTP/2 client for `origin` over real `node:http2`
 * sessions: `http://` is h2c with prior knowledge, `https://` is TLS with
 * ALPN `h2` and certificate verification on by default (`ca`,
 * `rejectUnauthorized` and `servername` pass through). Bad options throw an
 * `InvalidOptionError` (a RangeError) naming the option and its value.
 */
export function createClient(origin: string, options: CreateClientOptions = {}): AdaptiveClient {
  const clientOptions: Record<string, unknown> = {};
  const transportOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((transportKeys as readonly string[]).includes(key)) transportOptions[key] = value;
    else clientOptions[key] = value;
  }
  // Validate before the transport exists: it connects at once, and bad options must open nothing (test/input).
  resolveClientOptions(clientOptions as Partial<ClientOptions>);
  // The pool must be allowed to open what the controller may ask for.
  const fixed = clientOptions.policy === 'fixed';
  const maxConnections =
    (clientOptions.maxConnections as number | undefined) ??
    (fixed ? (clientOptions.connections as number | undefined) : undefined) ??
    defaultClientOptions.maxConnections;
  const transport = createH2Transport(origin, {
    ...(transportOptions as Partial<H2TransportOptions>),
    maxConnections: Math.max(1, maxConnections),
  });
  try {
    // The metrics' origin label defaults to the normalized URL origin; an explicit `origin` option wins.
    return new AdaptiveClient(transport, {
      origin: transport.origin,
      ...clientOptions,
    } as Partial<ClientOptions>);
  } catch (error) {
    void transport.close();
    throw error;
  }
}
