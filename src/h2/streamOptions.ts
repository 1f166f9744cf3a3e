/**
 * `session.request` options, one frozen object each, for every stream h2flow
 * opens on node:http2 (and for the bench's raw yardstick, which must pass
 * the same).
 *
 * Node 20's `ClientHttp2Session.request()` copies its options with a spread
 * and then adds four priority fields. From a plain one-field literal such as
 * `{ endStream: false }` a request allocated ~1.1 KiB more than from a
 * frozen object (15.2 against 14.1 KiB in a raw loop, bench/client-sequence.ts,
 * 8 Dec 2026; docs/benchmarks.md, "What ran before, found").
 */
export const endsWithHeaders = Object.freeze({ endStream: true });

/** The options of a stream whose body follows its HEADERS (see {@link endsWithHeaders}). */
export const bodyFollows = Object.freeze({ endStream: false });
