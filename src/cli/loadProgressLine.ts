import { SingleBar } from 'cli-progress';
import type { LoadProgress } from '../load/loadProgress.js';
import type { LoadRun } from '../load/runLoad.js';

/** One progress line: elapsed, offered, outcomes, rate decision, connections, queue-wait p99. */
export function formatProgressLine(p: LoadProgress): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const elapsed = `${(p.elapsedMs / 1000).toFixed(1)}/${(p.durationMs / 1000).toFixed(0)}s`;
  const rate = p.rateTps > 0 ? `${n(p.rateTps)}/s` : '–';
  const phase = p.phase === 'draining' ? ' (draining)' : '';
  return (
    `${elapsed}${phase} offered ${n(p.offered)} ok ${n(p.succeeded)} rejected ${n(p.rejected)} ` +
    `timed out ${n(p.timedOut)} | rate ${rate} conns ${p.connections} queue p99 ${n(p.queueWaitP99Ms)}ms`
  );
}

/**
 * A live progress line on stderr (cli-progress), or nothing when stderr is
 * not a terminal, so logs and pipes get only the final summary.
 */
export function startProgressLine(prefix = ''): {
  update: (p: LoadProgress) => void;
  stop: () => void;
} {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${prefix}[{bar}] {line}`,
    barsize: 10,
    hideCursor: true,
    clearOnComplete: false,
    fps: 5,
  });
  let started = false;
  return {
    update: (p) => {
      const total = Math.max(1, Math.round(p.durationMs / 100));
      const value = Math.min(total, Math.round(p.elapsedMs / 100));
      if (!started) {
        bar.start(total, value, { line: formatProgressLine(p) });
        started = true;
      } else bar.update(value, { line: formatProgressLine(p) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** The generator's own health: if it fell behind its schedule, the offered rate was not what was asked. */
export function formatGeneratorLine(run: LoadRun): string {
  const g = run.generator;
  const ms = (x: number): string => Math.round(x).toLocaleString('en-US');
  const line =
    `generator: ${g.sent.toLocaleString('en-US')} requests sent, p99 ${ms(g.sendLagP99Ms)} ms ` +
    `(worst ${ms(g.sendLagMaxMs)} ms) behind schedule; response time p99 from the intended ` +
    `send ${ms(g.responseTimeP99Ms)} ms`;
  // 100 ms late at p99 means arrivals were bunched enough to be a different load than asked.
  return g.sendLagP99Ms > 100
    ? `${line}\nwarning: the generator fell behind its schedule; the host is too busy for this rate`
    : line;
}
