/**
 * Runs nghttp2's `h2load` (Debian `nghttp2-client`), the C ceiling the
 * client-overhead bench compares h2flow with, when it is installed.
 */
import { execFile, execFileSync } from 'node:child_process';

/** Whether `h2load` is on the PATH. */
export function h2loadInstalled(): boolean {
  try {
    execFileSync('h2load', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What one h2load run measured. */
export interface H2loadResult {
  /** Requests per second over the measured duration, as h2load prints it. */
  readonly reqPerS: number;
  /** 2xx responses in the measured duration. */
  readonly ok2xx: number;
  /** Requests h2load counts as failed or errored. */
  readonly failed: number;
}

/**
 * One timing-based h2load run: `clients` connections (one thread, as the
 * node client has one), `streams` in flight on each, POSTing `bodyPath`,
 * `warmupS` unmeasured then `durationS` measured. Rejects if h2load fails
 * or its output cannot be read.
 */
export function runH2load(
  url: string,
  clients: number,
  streams: number,
  bodyPath: string,
  warmupS: number,
  durationS: number,
): Promise<H2loadResult> {
  const args = [
    '-c',
    String(clients),
    '-t',
    '1',
    '-m',
    String(streams),
    '-d',
    bodyPath,
    '-H',
    'content-type: application/json',
    '--warm-up-time',
    `${Math.round(warmupS * 1000)}ms`,
    '-D',
    `${Math.round(durationS * 1000)}ms`,
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile('h2load', args, { timeout: (warmupS + durationS + 20) * 1000 }, (error, stdout) => {
      if (error) {
        reject(new Error(`h2load ${args.join(' ')}: ${error.message}`));
        return;
      }
      // "finished in 2.00s, 41234.50 req/s, 3.02MB/s"
      const rate = /finished in [\d.]+\w*, ([\d.]+) req\/s/.exec(stdout);
      // "requests: 82469 total, 82569 started, 82469 done, 82469 succeeded, 0 failed, 0 errored, 0 timeout"
      const reqs = /(\d+) failed, (\d+) errored/.exec(stdout);
      // "status codes: 82469 2xx, 0 3xx, 0 4xx, 0 5xx"
      const codes = /status codes: (\d+) 2xx/.exec(stdout);
      if (!rate || !reqs || !codes) {
        reject(new Error(`h2load: unreadable output:\n${stdout}`));
        return;
      }
      resolve({
        reqPerS: Number(rate[1]),
        ok2xx: Number(codes[1]),
        failed: Number(reqs[1]) + Number(reqs[2]),
      });
    });
  });
}
