/**
 * Starts the closed loop of any in-process client the benches compare: raw
 * node:http2 (bench/lib/rawClosedLoop.ts), h2flow's transport alone
 * (bench/lib/transportClosedLoop.ts) or h2flow's fixed or adaptive client
 * (bench/lib/h2flowClosedLoop.ts), `streamsPerSession` POSTs of
 * `body` always in flight on each of `sessions` sessions.
 */
import type { ClosedLoop } from './closedLoop.js';
import { type H2flowVariant, startH2flowClosedLoop } from './h2flowClosedLoop.js';
import { startRawClosedLoop } from './rawClosedLoop.js';
import { startTransportClosedLoop } from './transportClosedLoop.js';

/** A client that runs as a closed loop in the bench's own process. */
export type LoopClient = 'raw' | 'transport' | H2flowVariant;

/** Starts `client`'s closed loop against `url`. */
export function startClosedLoop(
  client: LoopClient,
  url: string,
  sessions: number,
  streamsPerSession: number,
  body: Buffer,
): Promise<ClosedLoop> | ClosedLoop {
  if (client === 'raw') return startRawClosedLoop(url, sessions, streamsPerSession, body);
  if (client === 'transport')
    return startTransportClosedLoop(url, sessions, streamsPerSession, body);
  return startH2flowClosedLoop(url, client, sessions, streamsPerSession, body);
}
