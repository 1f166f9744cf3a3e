import { afterEach } from '@jest/globals';
import type { ServerOptions } from '../../src/server/serverOptions.js';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';

/**
 * Registers an afterEach that closes every server the returned function
 * started in the test, so no test leaves a listener or a timer behind.
 */
export function serverFixture(): (options?: Partial<ServerOptions>) => Promise<TestServer> {
  const started: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const server = await startTestServer(options);
    started.push(server);
    return server;
  };
}
