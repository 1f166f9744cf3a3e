import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { LoadProgress } from '../load/loadProgress.js';
import {
  type DemoOptions,
  defaultDemoOptions,
  quickDemoOptions,
  runDemo,
} from '../load/runDemo.js';
import { renderHtmlReport } from '../report/htmlReport.js';
import { stringifyRunReport } from '../report/jsonReport.js';
import { formatResultsTable } from '../report/textReport.js';
import { formatGeneratorLine, startProgressLine } from './loadProgressLine.js';
import { parseDurationMs } from './parseArgs.js';
import { UsageError } from './usageError.js';

interface DemoFlags {
  readonly quick?: boolean;
  readonly duration?: string;
  readonly report: string;
  readonly json?: boolean;
}

const d = defaultDemoOptions;

const examples = `
What it runs: the embedded test server, in this process, shaped like the seed
(golang/go#52845): ${d.maxConcurrentStreams} streams per connection and ${d.latencyMs} ms per request, so one
connection carries about ${(d.maxConcurrentStreams * 1000) / d.latencyMs} req/s. First a short probe measures what one
connection really carries here; then ${d.rateTps} TPS (open loop, ${d.timeoutMs / 1000} s timeout) for ${d.durationMs / 1000} s
each, with a fresh server per run so its counters are that run's alone:

  naive              one connection, waiters served oldest first until one
                     is sent too late, then the backlog left to time out
                     (as Go's strict transport was measured to), one
                     deadline per request (the seed)
  adaptive (max 1)   h2flow held to one connection: sheds what it cannot carry
  adaptive (max 4)   h2flow allowed to add connections

How to read it: "RST_STREAM at server" is the server's own count of
cancellations it received; "rejected (shed)" requests failed fast, before any
byte was sent; goodput is successes per second after the warm-up.

Examples:
  $ h2flow demo                      about 2 minutes; writes demo-report.html
  $ h2flow demo --quick              about 20 s (4 s runs, 1 s timeout), for a first look
  $ h2flow demo --report /tmp/d.html --json > demo.json`;

/** `h2flow demo`: the seed's scenario, naive against adaptive, side by side (docs/load.md). */
export function buildDemoCommand(): Command {
  return new Command('demo')
    .description(
      'Run the seed scenario against the embedded server: naive vs adaptive (1 and 4\n' +
        'connections), side by side, with an HTML report.',
    )
    .option('--quick', 'short runs (4 s each, 1 s timeout), e.g. for tests')
    .option(
      '--duration <duration>',
      `length of each run (default ${d.durationMs / 1000}s, or 4s with --quick)`,
    )
    .option('--report <file.html>', 'where to write the HTML report', 'demo-report.html')
    .option('--json', 'print the report as one JSON document instead of the table')
    .addHelpText('after', examples)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) =>
        write(`h2flow: ${text.replace(/^error: /, '').replace(/\n(?!$)/g, ' ')}`),
    })
    .action(async (flags: DemoFlags) => {
      const options: Partial<DemoOptions> = { ...(flags.quick ? quickDemoOptions : {}) };
      if (flags.duration !== undefined) {
        const ms = parseDurationMs('--duration', flags.duration);
        if (ms <= 0) {
          throw new UsageError(
            `--duration: expected a duration above 0, got ${JSON.stringify(flags.duration)}`,
          );
        }
        Object.assign(options, { durationMs: ms });
      }
      const reportPath = resolve(flags.report);
      const err = (text: string): boolean => process.stderr.write(text);
      const abort = new AbortController();
      const onSigint = (): void => {
        err('\nh2flow: stopping the demo after the current run\n');
        abort.abort();
      };
      process.once('SIGINT', onSigint);
      let line = startProgressLine();
      const outcome = await runDemo(options, {
        signal: abort.signal,
        onProbe: (p) =>
          err(
            `h2flow demo: one connection carried ${Math.round(p.completedTps)} req/s when saturated ` +
              `(${p.maxConcurrentStreams} streams, ${p.meanServiceMs.toFixed(1)} ms mean service)\n`,
          ),
        onRunStart: (i, n, plan) => {
          err(`h2flow demo: run ${i + 1}/${n}: ${plan.label}\n`);
          line = startProgressLine(`run ${i + 1}/${n} `);
        },
        onProgress: (_i, p: LoadProgress) => line.update(p),
        onRunEnd: (_i, run) => {
          line.stop();
          const r = run.result;
          err(
            `  goodput ${Math.round(r.goodputTps)} req/s, timed out ${r.timedOut}, rejected ${r.rejected}, ` +
              `cancelled on wire ${r.cancelledOnWire}; ${formatGeneratorLine(run)}\n`,
          );
        },
      }).finally(() => {
        line.stop();
        process.off('SIGINT', onSigint);
      });
      writeFileSync(reportPath, await renderHtmlReport(outcome.report));
      if (flags.json) {
        process.stdout.write(`${stringifyRunReport(outcome.report)}\n`);
        err(`h2flow demo: report written to ${reportPath}\n`);
        return;
      }
      process.stdout.write(`${formatResultsTable(outcome.report)}\n\nreport: ${reportPath}\n`);
    });
}
