/**
 * Starts a server in its own process for a bench: client and server then
 * run on separate cores, and the bench measures only its own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A server running in a child process. */
export interface ServerProcess {
  /** The URL from the first line of its stdout, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Its process id, for CPU accounting. */
  readonly pid: number;
  /** Sends SIGTERM and resolves with the rest of its stdout when it has exited (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<string>;
  /** What it has written to stderr so far (its description line, its errors). */
  stderr(): string;
}

/** Most time a server may take to print its URL, ms. */
const startTimeoutMs = 15_000;

/** Servers still running, so a bench that is interrupted or crashes takes them with it. */
const live = new Set<ChildProcess>();
let reaping = false;

/** Kills every live server when the bench exits, and on Ctrl-C or SIGTERM before exiting. */
function reapOnExit(): void {
  if (reaping) return;
  reaping = true;
  const killAll = (): void => {
    for (const child of live) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * Spawns `node <script> ...args` and resolves once it has printed its URL as
 * the first stdout line (the `h2flow serve` contract). Its stderr passes
 * through, so its errors are seen.
 */
export function startServerProcess(
  script: string,
  args: readonly string[],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  reapOnExit();
  live.add(child);
  child.once('exit', () => live.delete(child));
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    // Bounded: a server that logs per request must not grow the bench's memory.
    if (stderr.length < 65_536) stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const rest: string[] = [];
    let url: string | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script}: no URL on stdout within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once('exit', (code, signal) => {
      if (url === undefined) {
        clearTimeout(timer);
        reject(
          new Error(`${script} exited (${code ?? signal}) before printing its URL:\n${stderr}`),
        );
      }
    });
    lines.on('line', (line) => {
      if (url !== undefined) {
        rest.push(line);
        return;
      }
      url = line.trim();
      clearTimeout(timer);
      resolve({
        url,
        pid: child.pid!,
        stop: (graceMs = 10_000) => stop(child, rest, graceMs),
        stderr: () => stderr,
      });
    });
  });
}

function stop(child: ChildProcess, rest: string[], graceMs: number): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(rest.join('\n'));
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      // Give readline the last buffered lines.
      setImmediate(() => resolve(rest.join('\n')));
    });
    child.kill('SIGTERM');
  });
}
