/**
 * One closed-loop round in a process of its own: the bench script started
 * again with `--child`, which runs one client through {@link measureLoop}
 * and prints its {@link RoundFigure} as one JSON line.
 *
 * Why a process per round: what node:http2 costs depends on what ran before
 * it in the same process. h2flow's transport allocates ~1 KiB a request
 * more once a raw loop has run in its process (docs/benchmarks.md, "What
 * ran before, found"). A round in a fresh process measures each client as
 * the program that runs it alone would: its own JIT and heap, nothing
 * inherited from the other clients.
 */
import { spawn } from 'node:child_process';
import type { RoundFigure } from './measureLoop.js';

/** What the child runs: a client of the bench, against the server at `url`. */
export interface IsolatedRound {
  readonly client: string;
  readonly url: string;
  readonly serverPid: number;
  readonly sessions: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** The child's flags for `round`, as {@link childRound} reads them back. */
function childArgs(round: IsolatedRound): string[] {
  return [
    '--child',
    round.client,
    '--url',
    round.url,
    '--server-pid',
    String(round.serverPid),
    '--sessions',
    String(round.sessions),
    '--warmup-ms',
    String(round.warmupMs),
    '--measure-ms',
    String(round.measureMs),
  ];
}

/** Runs `script` with `--child` for `round`; resolves with the figure it printed, rejects with its stderr if it printed none. */
export function measureInChild(script: string, round: IsolatedRound): Promise<RoundFigure> {
  const child = spawn(process.execPath, [script, ...childArgs(round)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    if (err.length < 65_536) err += c;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as RoundFigure);
      } catch {
        reject(new Error(`${round.client} round in a child exited ${code}:\n${err || out}`));
      }
    });
  });
}

/** The round a `--child` process was asked to run, from its parsed flags. */
export function childRound(values: Record<string, string | boolean | undefined>): IsolatedRound {
  const text = (name: string): string => {
    const v = values[name];
    if (typeof v !== 'string') throw new RangeError(`--child needs --${name}`);
    return v;
  };
  return {
    client: text('child'),
    url: text('url'),
    serverPid: Number(text('server-pid')),
    sessions: Number(text('sessions')),
    warmupMs: Number(text('warmup-ms')),
    measureMs: Number(text('measure-ms')),
  };
}
