/**
 * The embedded test server as a dominance target: in its own process (the
 * bench: `dist/cli/bin.js serve`, so client and server use separate cores)
 * or in this process (the long test: no build needed, stopped by `close()`).
 * Both listen on port 0 of 127.0.0.1.
 */
import { join } from 'node:path';
import type { ServerOptions } from '../../../src/server/serverOptions.js';
import { startTestServer } from '../../../src/server/testServer.js';
import { repoRoot } from '../results.js';
import { startServerProcess } from '../serverProcess.js';
import { serveArgv } from './serveArgv.js';

/** A started server: its origin and how to stop it. */
export interface StartedServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly origin: string;
  /** Stops it and resolves when it is gone. */
  stop(): Promise<void>;
}

/** Starts a server with the given options. */
export type StartEmbedded = (options: Partial<ServerOptions>) => Promise<StartedServer>;

/** `h2flow serve` in a child process, started from the built CLI (`make build`). */
export const startEmbeddedProcess: StartEmbedded = async (options) => {
  const server = await startServerProcess(join(repoRoot(), 'dist', 'cli', 'bin.js'), [
    'serve',
    '--port',
    '0',
    ...serveArgv(options),
  ]);
  return {
    origin: server.url,
    stop: async () => {
      await server.stop();
    },
  };
};

/** {@link startTestServer} in this process, on 127.0.0.1 port 0. */
export const startEmbeddedInProcess: StartEmbedded = async (options) => {
  const server = await startTestServer({ ...options, host: '127.0.0.1', port: 0 });
  return { origin: server.url, stop: () => server.close() };
};
