/**
 * The h2flow side of the client-overhead bench: the same closed loop as
 * {@link startRawClosedLoop}, through `createClient` — `sessions × streamsPerSession`
 * requests always submitted, each settled one replaced at once.
 */
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';
import { type CreateClientOptions, createClient } from '../../src/createClient.js';
import { isOverloadError } from '../../src/errors/OverloadError.js';
import { type ClosedLoop, closedLoop, type LoopCounts } from './closedLoop.js';

/** The two ways the bench configures h2flow for `sessions` sessions. */
export type H2flowVariant = 'fixed' | 'adaptive';

/**
 * Client options of `variant` on `sessions` sessions. The adaptive client
 * starts on all of them, as raw does: this bench measures the hot path on
 * the same sessions, not the controller's choice of how many. (Left to
 * choose, it stays on one: a closed loop's queue waits ~15 ms, far below the
 * 125 ms at which a 5 s budget asks for connections, so an add is not
 * needed; `bench/efficiency.ts` and the dominance matrix judge that choice.)
 */
export function h2flowOptions(variant: H2flowVariant, sessions: number): CreateClientOptions {
  return variant === 'fixed'
    ? { policy: 'fixed', connections: sessions }
    : { policy: 'adaptive', maxConnections: sessions, initialConnections: sessions };
}

/**
 * Starts the loop. A request the adaptive client sheds (its rate has no
 * token yet) is submitted again when the next token is due, so the loop
 * neither spins nor gives up a slot of its concurrency.
 */
export function startH2flowClosedLoop(
  origin: string,
  variant: H2flowVariant,
  sessions: number,
  streamsPerSession: number,
  body: Buffer,
): ClosedLoop {
  const client: AdaptiveClient = createClient(origin, h2flowOptions(variant, sessions));
  const request = {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/json' },
    body,
  };
  const counts: LoopCounts = { completed: 0, failed: 0 };
  let running = true;
  const one = (): void => {
    if (!running) return;
    client.send(request, (error, response) => {
      if (error === undefined && response?.status === 200) counts.completed++;
      else if (isOverloadError(error)) {
        setTimeout(one, Math.max(1, Math.ceil(error.predictedWaitMs)));
        return;
      } else counts.failed++;
      one();
    });
  };
  for (let i = 0; i < sessions * streamsPerSession; i++) one();
  return closedLoop(counts, async () => {
    running = false;
    // close() lets what is queued and in flight finish, then closes the sessions.
    await client.close();
  });
}
