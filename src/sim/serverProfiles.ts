/** The servers whose HTTP/2 behaviour under a client's resets and refusals the simulator can play. */
export type ServerProfileName = 'nginx' | 'netty' | 'node';

/** The server knobs a profile sets (a scenario's own values win). */
export interface ServerProfile {
  /** What it is, and where each value comes from. */
  readonly source: string;
  readonly slotHeldAfterReset: boolean;
  readonly streamsOverLimit: 'refuse' | 'protocol-error';
  /** `undefined` when never; a function of the stream limit (nginx's is max(limit, 100)). */
  readonly goawayAfterRefusals: ((maxConcurrentStreams: number) => number) | undefined;
  readonly resetFlood: { readonly maxResets: number; readonly perS: number } | undefined;
  readonly resetRateLimit: { readonly burst: number; readonly perS: number } | undefined;
}

/**
 * The profiles, each with the server and version its values were read or
 * measured on:
 * - **nginx** (1.22.1, Debian's, in this project's interop runs; the rule is
 *   in `ngx_http_v2_state_headers`): a stream the client resets still counts
 *   against `http2_max_concurrent_streams` until its handler finishes, so the
 *   client's next stream in that slot is refused; after more than
 *   max(limit, 100) refusals on a connection it logs "client sent too many
 *   refused streams", sends GOAWAY(NO_ERROR) and answers nothing more there
 *   (measured: the client's streams on it wait, fully sent, until their
 *   deadlines). No reset rate limit.
 * - **netty** (4.1.100 and later: `decoderEnforceMaxRstFramesPerWindow`
 *   defaults to 200 per 30 s): GOAWAY(ENHANCE_YOUR_CALM) and close past 200
 *   RST_STREAMs in 30 s; a stream past the limit is refused; a reset stream
 *   frees its slot at once. (Earlier versions had no limit; the seed's Netty
 *   server was seen to GOAWAY Go's client after about 1,000 resets.)
 * - **node** (Node 20's `http2` server over nghttp2 1.57 or later): a token
 *   bucket of 1,000 resets refilled at 33 a second, whose exhaustion earns
 *   GOAWAY(INTERNAL_ERROR); a stream past the acknowledged limit is a
 *   connection error (GOAWAY(PROTOCOL_ERROR)); nghttp2 closes a reset stream
 *   at once, whatever the handler still does.
 */
export const serverProfiles: Readonly<Record<ServerProfileName, ServerProfile>> = {
  nginx: {
    source: 'nginx 1.22.1 (ngx_http_v2_state_headers)',
    slotHeldAfterReset: true,
    streamsOverLimit: 'refuse',
    goawayAfterRefusals: (maxConcurrentStreams) => Math.max(maxConcurrentStreams, 100),
    resetFlood: undefined,
    resetRateLimit: undefined,
  },
  netty: {
    source: 'Netty 4.1.100+ (decoderEnforceMaxRstFramesPerWindow 200 per 30 s)',
    slotHeldAfterReset: false,
    streamsOverLimit: 'refuse',
    goawayAfterRefusals: undefined,
    resetFlood: { maxResets: 200, perS: 30 },
    resetRateLimit: undefined,
  },
  node: {
    source: 'Node 20 http2 over nghttp2 1.57+ (stream reset rate limit 1,000 then 33/s)',
    slotHeldAfterReset: false,
    streamsOverLimit: 'protocol-error',
    goawayAfterRefusals: undefined,
    resetFlood: undefined,
    resetRateLimit: { burst: 1000, perS: 33 },
  },
};
