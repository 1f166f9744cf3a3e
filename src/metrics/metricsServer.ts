import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireInteger } from '../core/validate.js';
import { InvalidOptionError } from '../errors/InvalidOptionError.js';

/**
 * Anything that renders Prometheus exposition text: an `AdaptiveClient`
 * (its `metrics()` and `metricsRegistry`) has this shape, and so has a
 * prom-client registry wrapped as `{ metrics: () => r.metrics(), metricsRegistry: r }`.
 */
export interface ExpositionSource {
  /** The exposition text. */
  metrics(): Promise<string>;
  /** The registry behind it; its `contentType` is served as the Content-Type. */
  readonly metricsRegistry: { readonly contentType: string };
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** TCP port; 0 picks a free one. No default: the caller asks for a port. */
  readonly port: number;
  /**
   * Address to bind. Default `'127.0.0.1'`: metrics show request rates,
   * latencies and the target's origin, so they stay on loopback unless the
   * operator names another address.
   */
  readonly host?: string | undefined;
  /**
   * Where the text comes from, asked at every scrape. Undefined (nothing to
   * scrape yet, e.g. before the client exists) answers 503.
   */
  readonly source: () => ExpositionSource | undefined;
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** The bound address. */
  readonly host: string;
  /** Stops listening and closes idle keep-alive connections. */
  close(): Promise<void>;
}

/** The scrape path, as Prometheus expects by default (`metrics_path`). */
export const metricsPath = '/metrics';

/**
 * Serves `GET /metrics` (and `HEAD`) over plain HTTP/1.1, which is what a
 * Prometheus scraper speaks: the source's exposition text with its
 * registry's content type. Other paths get 404, other methods 405, a failed
 * render 500 (with the reason, never a stack). Binds `127.0.0.1` unless a
 * host is given. Resolves once listening; rejects if the port is taken.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  requireInteger('port', options.port, 0, 65_535);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new InvalidOptionError('host', host, 'a non-empty address');
  }
  const server = createServer((req, res) => {
    void answer(req, res, options.source);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}${metricsPath}`,
    port: address.port,
    host: address.address,
    close: () => close(server),
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  source: () => ExpositionSource | undefined,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== metricsPath) return plain(res, 404, `not found: metrics are at ${metricsPath}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return plain(res, 405, 'method not allowed\n');
  }
  const s = source();
  if (s === undefined) return plain(res, 503, 'no client to report yet\n');
  let text: string;
  try {
    text = await s.metrics();
  } catch (error) {
    return plain(
      res,
      500,
      `metrics failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  res.statusCode = 200;
  res.setHeader('content-type', s.metricsRegistry.contentType);
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(text);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // A scraper's keep-alive connection would otherwise hold close() for its idle timeout.
    server.closeIdleConnections();
  });
}
