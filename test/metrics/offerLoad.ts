import type { SchedulerLike } from 'rxjs';
import type { AdaptiveClient } from '../../src/client/AdaptiveClient.js';

/**
 * Offers `rateTps` requests per second for `durationMs`, open loop, on the
 * client's scheduler, starting at `startMs`; returns how many settled.
 */
export function offerLoad(
  scheduler: SchedulerLike,
  client: AdaptiveClient,
  rateTps: number,
  durationMs: number,
  startMs = 0,
): { settled: number } {
  const run = { settled: 0 };
  const total = Math.floor((rateTps * durationMs) / 1000);
  let sent = 0;
  scheduler.schedule(function arrive() {
    sent++;
    client.send({ method: 'POST', body: 'x' }, () => {
      run.settled++;
    });
    if (sent < total) this.schedule(undefined, 1000 / rateTps);
  }, startMs);
  return run;
}
