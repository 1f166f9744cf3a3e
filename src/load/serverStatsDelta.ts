import type { ServerStats } from '../core/runResult.js';

/**
 * What the server counted during one run: `after − before`, counter by
 * counter, so a server that served earlier runs (or other clients before)
 * still witnesses this run alone. `rstReceived` is differenced per error
 * code, keeping only codes that moved. `maxConcurrentSeen` is a high-water
 * mark, not a counter, so it cannot be differenced: it is `after`'s value,
 * the most streams on one connection since the server started (exact when
 * the server is fresh, as in the demo).
 */
export function serverStatsDelta(before: ServerStats, after: ServerStats): ServerStats {
  const rstReceived: Record<string, number> = {};
  for (const [name, n] of Object.entries(after.rstReceived)) {
    const d = n - (before.rstReceived[name] ?? 0);
    if (d !== 0) rstReceived[name] = d;
  }
  return {
    streamsStarted: after.streamsStarted - before.streamsStarted,
    streamsCompleted: after.streamsCompleted - before.streamsCompleted,
    rstReceived,
    refused: after.refused - before.refused,
    maxConcurrentSeen: after.maxConcurrentSeen,
    goawaySent: after.goawaySent - before.goawaySent,
  };
}
