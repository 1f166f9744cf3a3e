/**
 * Starts the closed loop of any in-process client the benches compare: raw
 * node:http2 (bench/lib/rawClosedLoop.ts) or h2flow's fixed or adaptive
 * client (bench/lib/h2flowClosedLoop.ts), `streamsPerSession` POSTs of
 * `body` always in flight on each of `sessions` sessions.
 */
import type { ClosedLoop } from './closedLoop.js';
import { type H2flowVariant, startH2flowClosedLoop } from './h2flowClosedLoop.js';
import { startRawClosedLoop } from './rawClosedLoop.js';

/** A client that runs as a closed loop in the bench's own process. */
export type LoopClient = 'raw' | H2flowVariant;

/** Starts `client`'s closed loop against `url`. */
export function startClosedLoop(
  client: LoopClient,
  url: string,
  sessions: number,
  streamsPerSession: number,
  body: Buffer,
): Promise<ClosedLoop> | ClosedLoop {
  return client === 'raw'
    ? startRawClosedLoop(url, sessions, streamsPerSession, body)
    : startH2flowClosedLoop(url, client, sessions, streamsPerSession, body);
}
