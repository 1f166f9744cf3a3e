/**
 * `h2flow/testing`: the embedded HTTP/2 test server, for testing code that
 * uses h2flow (or any HTTP/2 client) against a server with a capacity model,
 * latency and faults you control: `startTestServer(options)` resolves once it
 * listens on 127.0.0.1. docs/server.md describes the model and the options.
 *
 * A separate entry because it brings its own dependencies (selfsigned, for
 * the TLS certificate it generates) that a client in production never needs.
 */

export type { LatencySpike } from './server/latencySpike.js';
export type { TestServerStats } from './server/serverCounters.js';
export { defaultServerOptions, type ServerOptions } from './server/serverOptions.js';
export { startTestServer, type TestServer } from './server/testServer.js';
