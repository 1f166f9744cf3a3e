import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import type { TestServerStats } from '../../src/server/serverCounters.js';
import { closeSession, connectReady, fetchStats, request } from '../server/rawClient.js';

// The compiled CLI; `make test` builds it before jest runs. Without a build
// (a bare jest run) this end-to-end check cannot run, and says so.
const bin = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/cli/serveCommand.js', import.meta.url)));
const whenBuilt = built ? test : test.skip;

describe('h2flow serve as a process', () => {
  whenBuilt('prints its URL first, serves, and exits 0 on SIGTERM with its counters', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--latency', '5ms'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const reader = createInterface({ input: child.stdout });
    const lines = reader[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    try {
      const first = await Promise.race([
        lines.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no URL within 10 s')), 10_000);
        }),
      ]);
      clearTimeout(timer);
      const url = String(first.value);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const session = await connectReady(url);
      expect((await request(session)).status).toBe(200);
      await closeSession(session);
      expect((await fetchStats(url)).streamsCompleted).toBe(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const last = await lines.next();
      expect((JSON.parse(String(last.value)) as TestServerStats).streamsCompleted).toBe(1);
    } finally {
      clearTimeout(timer);
      reader.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  whenBuilt('exits quietly when its reader closes the pipe first (`--help | head`)', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the child writes a byte, so every write it makes gets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
