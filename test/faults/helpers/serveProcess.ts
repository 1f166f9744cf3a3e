import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The compiled CLI; `make test` builds it before jest runs. */
export const cliBin = fileURLToPath(new URL('../../../dist/cli/bin.js', import.meta.url));

/** Whether `dist/` holds a built CLI (a bare jest run may not have one). */
export const cliBuilt = existsSync(cliBin);

/** A running `h2flow serve` child process. */
export interface ServeProcess {
  /** The URL it printed as its first line. */
  readonly url: string;
  readonly child: ChildProcess;
  /** Kills it with `signal` and resolves when it has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; it is released before returning). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Spawns `node dist/cli/bin.js serve --port <port> …args` and resolves once it
 * prints its URL (within `timeoutMs`), so the caller knows it listens.
 */
export async function spawnServe(
  port: number,
  args: readonly string[] = [],
  timeoutMs = 10_000,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliBin, 'serve', '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reader = createInterface({ input: child.stdout! });
  // Keep draining both pipes so a chatty child never blocks on a full pipe.
  child.stderr!.resume();
  let timer: NodeJS.Timeout | undefined;
  try {
    const url = await Promise.race([
      new Promise<string>((resolve, reject) => {
        reader.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code} before its URL`)));
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no URL from serve within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    return {
      url,
      child,
      async kill(signal) {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
        reader.close();
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    reader.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
