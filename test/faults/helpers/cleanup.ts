import { afterEach } from '@jest/globals';

/**
 * Registers an afterEach that runs every closer the returned function was
 * given during the test, newest first, so a failing scenario still stops its
 * client, servers and child processes. A closer that throws does not stop the others.
 */
export function cleanupAfterEach(): (close: () => unknown) => void {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) {
      try {
        await close();
      } catch {
        // Already closed, or failed as the scenario intended.
      }
    }
  });
  return (close) => {
    closers.push(close);
  };
}
