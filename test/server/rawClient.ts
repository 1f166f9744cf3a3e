import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  type SecureClientSessionOptions,
} from 'node:http2';
import type { TestServerStats } from '../../src/server/serverCounters.js';

/** A raw node:http2 session that has received the server's first SETTINGS. */
export async function connectReady(
  url: string,
  options: SecureClientSessionOptions = {},
): Promise<ClientHttp2Session> {
  const session = connect(url, options);
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    session.once('remoteSettings', () => resolve());
    session.once('error', reject);
    session.once('close', () => reject(new Error('session closed before SETTINGS')));
  });
  return session;
}

/** How one raw request ended. */
export interface RawOutcome {
  status: number | undefined;
  headers: Record<string, unknown>;
  body: string;
  rstCode: number | undefined;
  error: string | undefined;
  elapsedMs: number;
}

/** A request in flight: its stream and the promise of its outcome (never rejects). */
export interface RawRequest {
  stream: ClientHttp2Stream;
  done: Promise<RawOutcome>;
}

/** Starts one request on `session`. */
export function startRequest(
  session: ClientHttp2Session,
  init: { path?: string; method?: string; body?: Buffer | string } = {},
): RawRequest {
  const startedMs = performance.now();
  const stream = session.request({ ':path': init.path ?? '/', ':method': init.method ?? 'POST' });
  const outcome: RawOutcome = {
    status: undefined,
    headers: {},
    body: '',
    rstCode: undefined,
    error: undefined,
    elapsedMs: 0,
  };
  const done = new Promise<RawOutcome>((resolve) => {
    stream.on('response', (headers) => {
      outcome.status = Number(headers[':status']);
      outcome.headers = headers;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      outcome.body += chunk;
    });
    stream.on('error', (error: Error) => {
      outcome.error = error.message;
    });
    stream.on('close', () => {
      outcome.rstCode = stream.rstCode;
      outcome.elapsedMs = performance.now() - startedMs;
      resolve(outcome);
    });
  });
  // node ends GET and HEAD streams with their HEADERS; only a payload needs writing.
  if (init.body !== undefined && init.body.length > 0) stream.end(init.body);
  else stream.end();
  return { stream, done };
}

/** One request, awaited. */
export function request(
  session: ClientHttp2Session,
  init: { path?: string; method?: string; body?: Buffer | string } = {},
): Promise<RawOutcome> {
  return startRequest(session, init).done;
}

/** Reads `GET /__h2flow/stats` over its own connection, as an outside observer would. */
export async function fetchStats(url: string, ca?: string): Promise<TestServerStats> {
  const session = await connectReady(url, ca === undefined ? {} : { ca });
  try {
    const outcome = await request(session, { path: '/__h2flow/stats', method: 'GET' });
    if (outcome.status !== 200) throw new Error(`stats route answered ${outcome.status}`);
    return JSON.parse(outcome.body) as TestServerStats;
  } finally {
    session.close();
  }
}

/** Polls `check` every 5 ms until it is true or `timeoutMs` passes; throws on timeout. */
export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Closes a client session and waits for it to end. */
export function closeSession(session: ClientHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve();
  return new Promise((resolve) => session.close(() => resolve()));
}

/** streamsStarted minus every way a stream ends: 0 when the counters reconcile. */
export function unreconciled(stats: TestServerStats): number {
  const resets = Object.values(stats.rstReceived).reduce((a, b) => a + b, 0);
  return (
    stats.streamsStarted -
    stats.streamsCompleted -
    resets -
    stats.refused -
    stats.streamsLost -
    stats.streamsInFlight
  );
}
