import { requireHttpUrl } from '../core/validate.js';
import { PoolTransport } from '../transport/PoolTransport.js';
import type { DispatchHandle, DispatchListener, TransportRequest } from '../transport/Transport.js';
import { H2Dispatch } from './H2Dispatch.js';
import { closeGraceMs, H2Session } from './H2Session.js';
import { type H2TransportOptions, resolveH2TransportOptions } from './H2TransportOptions.js';

/**
 * The {@link Transport} over `node:http2`: a pool of client sessions to one
 * origin that never opens more streams on a session than the peer's
 * SETTINGS_MAX_CONCURRENT_STREAMS allows, so no request ever waits inside
 * nghttp2 where nobody can measure it. When no ready session has a free slot
 * `dispatch` returns `undefined` and the caller keeps the request in its own
 * measured queue (undici's backpressure contract).
 *
 * `capacity$` and `events$` are hot and do not replay: read `capacity()` for
 * the current state. Both complete when `close()` resolves.
 */
export class H2Transport extends PoolTransport<H2Session> {
  /** The origin, as given (normalized by `URL`). */
  readonly origin: string;
  /** The resolved options. */
  readonly options: H2TransportOptions;

  constructor(origin: string, options: Partial<H2TransportOptions> = {}) {
    const url = requireHttpUrl('origin', origin);
    const resolved = resolveH2TransportOptions(options);
    const { scheduler, maxConnections, reconnectBaseMs, reconnectMaxMs } = resolved;
    super(
      scheduler,
      { maxConnections, reconnectBaseMs, reconnectMaxMs, closeGraceMs, random: Math.random },
      (id, hooks) => new H2Session(id, url, resolved, scheduler, hooks),
    );
    this.origin = url.origin;
    this.options = resolved;
    if (resolved.initialConnections > 0) this.pool.resize(resolved.initialConnections);
  }

  /**
   * Opens a stream for `request` on the session {@link pickSession} chooses,
   * or returns `undefined` (taking nothing) when no ready session has a free
   * slot or the transport is closing.
   */
  dispatch(request: TransportRequest, listener: DispatchListener): DispatchHandle | undefined {
    if (this.closing) return undefined;
    const bodyBytes = request.body?.byteLength ?? 0;
    // Each retired session leaves the pick set, so this ends after at most one
    // try per session.
    for (;;) {
      const session = this.pool.pick(bodyBytes);
      if (session === undefined) return undefined;
      const dispatch = new H2Dispatch(session, request, listener, this.scheduler);
      if (dispatch.open() === 'opened') {
        if (session.streamIdsNearlyExhausted) this.pool.retire(session);
        return dispatch;
      }
      this.pool.retire(session);
    }
  }
}

/**
 * Creates the `node:http2` transport for `origin`: `http://` speaks h2c with
 * prior knowledge, `https://` speaks TLS with ALPN `h2` and verifies the
 * certificate unless `rejectUnauthorized` is false. Throws an
 * {@link InvalidOptionError} for another scheme or a bad option.
 */
export function createH2Transport(
  origin: string,
  options: Partial<H2TransportOptions> = {},
): H2Transport {
  return new H2Transport(origin, options);
}
