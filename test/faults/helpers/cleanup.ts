import { afterEach } from '@jest/globals';

/**
 * Registers an afterEach that runs every closer the returned function was
 * given during the test, all at once, so a failing scenario still stops its
 * client, servers and child processes. They run together because one may
 * wait on another: a client's close() can hang until its server's sockets
 * are gone. A closer that throws does not stop the others.
 */
export function cleanupAfterEach(): (close: () => unknown) => void {
  const closers: (() => unknown)[] = [];
  afterEach(async () => {
    await Promise.allSettled(closers.splice(0).map(async (close) => close()));
  });
  return (close) => {
    closers.push(close);
  };
}
