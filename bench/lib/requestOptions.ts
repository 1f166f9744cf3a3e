/**
 * `session.request` options for the bench's own node:http2 clients, one
 * frozen object each, as h2flow's transport passes them (src/h2/H2Dispatch.ts).
 *
 * Node 20's `ClientHttp2Session.request()` copies its options with a spread
 * and then adds four priority fields. From a plain one-field literal such as
 * `{ endStream: false }` that costs ~1.1 KiB more per request than from a
 * frozen object (or one with the priority fields already set): a raw loop
 * allocated 15.2 against 14.1 KiB a request (bench/client-sequence.ts,
 * 8 Dec 2026). With a plain literal, the raw yardstick's cost depended on
 * whether h2flow had run in its process first; frozen, it is the cheaper
 * one from the start.
 */
export const endsWithHeaders = Object.freeze({ endStream: true });

/** The options of a request whose body follows its HEADERS (see {@link endsWithHeaders}). */
export const bodyFollows = Object.freeze({ endStream: false });
