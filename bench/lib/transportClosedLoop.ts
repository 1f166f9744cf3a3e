/**
 * h2flow's `node:http2` transport alone, with no limiter and no client: the
 * client-overhead bench's `transport` row. Beside the raw loop and the
 * `fixed` client it splits h2flow's cost in two: what its transport
 * (src/h2: the session pool, one `H2Dispatch` per stream, the outcome's
 * classification) adds over raw node:http2, and what the limiter and the
 * client add over the transport.
 *
 * The same closed loop as {@link startRawClosedLoop}: `sessions ×
 * streamsPerSession` POSTs always in flight, each one that ends replaced at
 * once. The transport reports a stream's end only when its slot is free
 * again, so the next dispatch always finds one; one request object and one
 * listener serve every stream, as the loop never needs to tell them apart.
 */
import { createH2Transport } from '../../src/h2/H2Transport.js';
import type { DispatchListener, TransportRequest } from '../../src/transport/Transport.js';
import { type ClosedLoop, closedLoop, type LoopCounts } from './closedLoop.js';

/** Starts the loop; resolves once every session is ready and every stream is started. */
export async function startTransportClosedLoop(
  origin: string,
  sessions: number,
  streamsPerSession: number,
  body: Buffer,
): Promise<ClosedLoop> {
  const transport = createH2Transport(origin, { maxStreamsPerSession: streamsPerSession });
  transport.resize(sessions);
  const slots = sessions * streamsPerSession;
  await new Promise<void>((resolve, reject) => {
    // A server that never answers SETTINGS fails the bench instead of hanging it.
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`no ${slots} stream slots at ${origin} within 5 s`));
    }, 5000);
    const sub = transport.capacity$.subscribe(() => {
      if (transport.freeSlots() < slots) return;
      clearTimeout(timer);
      sub.unsubscribe();
      resolve();
    });
  });
  const counts: LoopCounts = { completed: 0, failed: 0 };
  let running = true;
  let open = 0;
  let onDrained: (() => void) | undefined;
  const request: TransportRequest = {
    id: 1,
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/json' },
    body,
    deadlineAtMs: Number.POSITIVE_INFINITY,
    maxResponseBytes: 1 << 20,
  };
  const listener: DispatchListener = {
    onSent() {},
    onHeaders() {},
    onDone(outcome) {
      open--;
      if (outcome.kind === 'response' && outcome.status === 200) counts.completed++;
      else counts.failed++;
      if (running) one();
      else if (open === 0) onDrained?.();
    },
  };
  const one = (): void => {
    if (transport.dispatch(request, listener) !== undefined) open++;
    // Only a session lost mid-run leaves no slot: count it, and try again on the next turn.
    else {
      counts.failed++;
      if (running) setImmediate(one);
    }
  };
  for (let i = 0; i < slots; i++) one();
  return closedLoop(counts, async () => {
    running = false;
    if (open > 0) await new Promise<void>((resolve) => (onDrained = resolve));
    await transport.close();
  });
}
