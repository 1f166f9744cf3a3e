import { AdaptiveClient } from './client/AdaptiveClient.js';
import {
  type ClientOptions,
  defaultClientOptions,
  resolveClientOptions,
} from './client/clientOptions.js';
import { createH2Transport } from './h2/H2Transport.js';
import { type H2TransportOptions, resolveH2TransportOptions } from './h2/H2TransportOptions.js';

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
  const { clientOptions, transportOptions } = splitClientOptions(options);
  const fixed = clientOptions.policy === 'fixed';
  const maxConnections =
    clientOptions.maxConnections ??
    (fixed ? clientOptions.connections : undefined) ??
    defaultClientOptions.maxConnections;
  const transport = createH2Transport(origin, {
    ...transportOptions,
    maxConnections: Math.max(1, maxConnections),
  });
  try {
    return new AdaptiveClient(transport, { origin: transport.origin, ...clientOptions });
  } catch (error) {
    void transport.close();
    throw error;
  }
}

/**
 * Splits {@link CreateClientOptions} into the client's and the transport's,
 * and validates both without opening anything: an `InvalidOptionError`
 * names the first bad option (an agent checks its options this way before
 * its first request).
 */
export function splitClientOptions(options: CreateClientOptions): {
  readonly clientOptions: Partial<ClientOptions>;
  readonly transportOptions: Partial<H2TransportOptions>;
} {
  const clientOptions: Record<string, unknown> = {};
  const transportOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if ((transportKeys as readonly string[]).includes(key)) transportOptions[key] = value;
    else clientOptions[key] = value;
  }
  resolveClientOptions(clientOptions as Partial<ClientOptions>);
  resolveH2TransportOptions(transportOptions as Partial<H2TransportOptions>);
  return {
    clientOptions: clientOptions as Partial<ClientOptions>,
    transportOptions: transportOptions as Partial<H2TransportOptions>,
  };
}
