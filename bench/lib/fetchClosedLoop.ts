/**
 * The fetch side of the fetch-overhead bench: the client-overhead bench's
 * closed loop, through Node's global `fetch`. `sessions × streamsPerSession`
 * fetch calls are always outstanding; each reads its response body to the
 * end (`arrayBuffer()`) and is replaced at once. Only the `dispatcher`
 * differs between the kinds, so the same fetch (Node's bundled undici) runs
 * in front of each:
 * - `fetch-agent`: h2flow's `createAgent`, policy `fixed`, `connections` = sessions;
 * - `fetch-undici`: undici's `Agent({ allowH2: true })`, `connections` =
 *   sessions and `pipelining` = streamsPerSession (undici's default of 1
 *   would allow one stream per HTTP/2 connection). Even so undici 7 sends a
 *   POST from fetch alone on its connection: a non-idempotent request, or
 *   one whose body is an async iterable (fetch's always is), waits until
 *   nothing else runs there (client-h2.js `busy`). GET multiplexes;
 * - `fetch-noop`: bench/lib/noopDispatcher.ts, no network: fetch's own cost;
 * - `fetch-bare`: bench/lib/bareDispatcher.ts, node:http2 with nothing
 *   around it: what any dispatcher on node:http2 pays under fetch.
 */
import { Agent } from 'undici';
import { createAgent } from '../../src/undici/index.js';
import { bareDispatcher } from './bareDispatcher.js';
import { type ClosedLoop, closedLoop, type LoopCounts } from './closedLoop.js';
import { noopDispatcher } from './noopDispatcher.js';

/** The dispatchers the bench puts under `fetch`. */
export type FetchKind = 'fetch-agent' | 'fetch-undici' | 'fetch-noop' | 'fetch-bare';

/** What every fetch in the loop sends, and how its dispatcher reaches the server. */
export interface FetchLoopOptions {
  /** PEM of the CA that signed the server's certificate. */
  readonly ca: string;
  /** `POST` sends the body with `content-type: application/json`; `GET` sends none. */
  readonly method: 'GET' | 'POST';
  /** The POST body. */
  readonly body: Buffer;
}

/** A dispatcher and how to close it once the loop has drained. */
interface Dispatching {
  readonly dispatcher: unknown;
  close(): Promise<void>;
}

/** The dispatcher of `kind` for `sessions` connections of `streamsPerSession` streams. */
async function dispatcherOf(
  kind: FetchKind,
  url: string,
  sessions: number,
  streamsPerSession: number,
  ca: string,
): Promise<Dispatching> {
  if (kind === 'fetch-agent') {
    const agent = createAgent({ policy: 'fixed', connections: sessions, ca });
    return { dispatcher: agent, close: () => agent.close() };
  }
  if (kind === 'fetch-undici') {
    const agent = new Agent({
      allowH2: true,
      connections: sessions,
      pipelining: streamsPerSession,
      connect: { ca },
    });
    return { dispatcher: agent, close: () => agent.close() };
  }
  if (kind === 'fetch-bare') {
    const bare = await bareDispatcher(new URL(url).origin, sessions, ca);
    return { dispatcher: bare, close: () => bare.close() };
  }
  const noop = noopDispatcher();
  return { dispatcher: noop, close: () => noop.close() };
}

/** Starts the loop against `url` (an `https:` URL with its path). */
export async function startFetchClosedLoop(
  url: string,
  kind: FetchKind,
  sessions: number,
  streamsPerSession: number,
  options: FetchLoopOptions,
): Promise<ClosedLoop> {
  const { dispatcher, close } = await dispatcherOf(
    kind,
    url,
    sessions,
    streamsPerSession,
    options.ca,
  );
  // @types/node types `dispatcher` as undici's full class; fetch needs only `dispatch`.
  const init = (
    options.method === 'POST'
      ? {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: options.body,
          dispatcher,
        }
      : { method: 'GET', dispatcher }
  ) as RequestInit;
  const counts: LoopCounts = { completed: 0, failed: 0 };
  let running = true;
  const worker = async (): Promise<void> => {
    while (running) {
      try {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        if (res.status === 200) counts.completed++;
        else counts.failed++;
      } catch {
        counts.failed++;
      }
    }
  };
  const workers = Array.from({ length: sessions * streamsPerSession }, worker);
  return closedLoop(counts, async () => {
    running = false;
    await Promise.all(workers);
    await close();
  });
}
