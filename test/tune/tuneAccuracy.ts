import type { ServerOptions } from '../../src/server/serverOptions.js';
import { startTestServer } from '../../src/server/testServer.js';
import { runTune } from '../../src/tune/runTune.js';
import type { TuneInput } from '../../src/tune/tuneOptions.js';
import type { TuneResult } from '../../src/tune/tuneResult.js';
import { tuneText } from '../../src/tune/tuneText.js';

/** A probe against a fresh embedded server, and what the server counted meanwhile. */
export interface AccuracyRun {
  readonly result: TuneResult;
  readonly cancelsAtServer: number;
  readonly text: string;
}

/**
 * Runs `h2flow tune`'s engine against the embedded server with a known
 * capacity, bounded by a 20 s duration limit. On failure the caller prints
 * `text`, so a miss shows every stage and window the probe saw.
 */
export async function tuneAgainst(
  server: Partial<ServerOptions>,
  tune: Omit<TuneInput, 'url'>,
): Promise<AccuracyRun> {
  const target = await startTestServer(server);
  try {
    const result = await runTune({ url: `${target.url}/`, durationLimitMs: 20_000, ...tune });
    return {
      result,
      cancelsAtServer: target.stats().rstReceived.CANCEL ?? 0,
      text: `${tuneText(result)}\n${JSON.stringify(
        result.stages.map((s) => ({ ...s, windows: s.windows.length })),
        null,
        1,
      )}`,
    };
  } finally {
    await target.close();
  }
}
