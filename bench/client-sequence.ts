/**
 * What one client's run leaves behind for the next in the same process
 * (issue 15): runs the closed loops of `--order` one after the other in this
 * process, each against the same raw node:http2 server in its own process,
 * and prints each round's CPU per request, throughput, and per request the
 * GC time, bytes allocated and bytes promoted (bench/lib/gcProfile.ts). The
 * client-overhead bench alternates raw, fixed and adaptive in one process;
 * this shows whether a client's cost depends on what ran before it (h2flow's
 * fixed client allocates ~1 KiB a request more after a raw round than in a
 * process of its own; raw did the opposite until it passed frozen request
 * options as h2flow does, docs/benchmarks.md, "What ran before, found").
 *
 * Run sequences in alternating fresh processes and compare the same round:
 *
 *   for i in 1 2 3 4 5 6; do
 *     node .build/bench/client-sequence.js --order raw,raw,raw,raw,raw,raw
 *     node .build/bench/client-sequence.js --order fixed,raw,raw,raw,raw,raw
 *   done
 *
 * Nothing is recorded in bench/results: it is a tool for a question, not a goal.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, choiceFlag, countFlag, positiveFlag, runBench } from './lib/benchArgs.js';
import { startGcProfile } from './lib/gcProfile.js';
import { measureLoop } from './lib/measureLoop.js';
import { seedBody } from './lib/seedBody.js';
import { startServerProcess } from './lib/serverProcess.js';
import { type LoopClient, startClosedLoop } from './lib/startClosedLoop.js';

const usage = `
usage: node .build/bench/client-sequence.js --order raw,fixed,raw [--sessions 1]
         [--warmup-ms 1000] [--measure-ms 2000]

Runs the closed loops of --order (raw, fixed, adaptive) one after the other in
this process, 100 POSTs in flight per session, against one raw node:http2
server in its own process, and prints each round's CPU per request, req/s,
and per request the GC time, the bytes allocated and the bytes promoted to
the old generation: whether a client costs more or less after another ran.

  --order LIST       clients in order, comma-separated (required)
  --sessions N       sessions per client (1)
  --warmup-ms N      unmeasured time per round (1000)
  --measure-ms N     measured time per round (2000)
`;

const streamsPerSession = 100;

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      order: { type: 'string' },
      sessions: { type: 'string', default: '1' },
      'warmup-ms': { type: 'string', default: '1000' },
      'measure-ms': { type: 'string', default: '2000' },
    },
  });
  const order = (values.order ?? '')
    .split(',')
    .map((c) => choiceFlag<LoopClient>('order', c, ['raw', 'transport', 'fixed', 'adaptive']));
  const sessions = countFlag('sessions', values.sessions);
  const warmupMs = positiveFlag('warmup-ms', values['warmup-ms']);
  const measureMs = positiveFlag('measure-ms', values['measure-ms']);

  const here = dirname(fileURLToPath(import.meta.url));
  const server = await startServerProcess(join(here, 'lib', 'rawServer.js'), [
    String(streamsPerSession),
  ]);
  try {
    const rounds: string[] = [];
    for (const client of order) {
      const gc = startGcProfile();
      const run = await measureLoop(
        () => startClosedLoop(client, server.url, sessions, streamsPerSession, seedBody),
        server.pid,
        warmupMs,
        measureMs,
      );
      // GC over the whole round (warm-up and drain included), per request completed in it.
      const g = gc.stop();
      const per = Math.max(1, run.totalCompleted);
      rounds.push(
        `${client} ${run.cpuUsPerReq.toFixed(1)} µs (${Math.round(run.reqPerS)}/s, gc ${((g.gcMs * 1000) / per).toFixed(1)} µs, ` +
          `allocated ${(g.allocatedBytes / per / 1024).toFixed(1)} KiB, promoted ${(g.promotedBytes / per / 1024).toFixed(1)} KiB)`,
      );
    }
    console.log(rounds.join(' | '));
  } finally {
    await server.stop();
  }
}

runBench('client-sequence', main);
