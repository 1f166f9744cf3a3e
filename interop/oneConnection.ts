/**
 * What one connection to `make interop`'s nginx (100 streams, 50 ms) carries
 * when every slot is always busy: closed loops of 100 POSTs on one session,
 * raw node:http2 and h2flow's fixed and adaptive clients, alternately. The
 * model says 100 ÷ 50 ms = 2,000 req/s; what is missing is the time a freed
 * slot takes to carry the next request (docs/load.md, "The naive policy").
 */
import { benchArgs, countFlag, positiveFlag, runBench } from '../bench/lib/benchArgs.js';
import { measureLoop } from '../bench/lib/measureLoop.js';
import { type LoopClient, startClosedLoop } from '../bench/lib/startClosedLoop.js';
import { ensureNginx, startNginx } from './nginx.js';

const usage = `
usage: node .build/interop/oneConnection.js [--rounds 3] [--measure-s 4]

What one h2c connection to make interop's nginx (100 streams, 50 ms) carries
with every slot busy: closed loops of 100 POSTs on one session, raw
node:http2, h2flow fixed and h2flow adaptive, rotated each round after a
1.5 s warm-up. Prints req/s, the slot turnaround it implies (100 streams ÷
rate − 50 ms) and this process's CPU per request. Needs make interop once.

  --rounds N      rounds of the three clients (3)
  --measure-s N   measured seconds per client and round (4)
`;

const clients: readonly LoopClient[] = ['raw', 'fixed', 'adaptive'];
const body = Buffer.from('{"subscriberId":"imsi-001010123456789","ratingGroup":100,"units":1}');

async function main(): Promise<void> {
  const values = benchArgs(usage, {
    options: {
      rounds: { type: 'string', default: '3' },
      'measure-s': { type: 'string', default: '4' },
    },
  });
  const rounds = countFlag('rounds', values.rounds);
  const measureS = positiveFlag('measure-s', values['measure-s']);
  const nginx = await startNginx(ensureNginx(console.log));
  try {
    console.log(`${nginx.version}, ${nginx.h2cUrl}; ${rounds} round(s) of ${measureS} s`);
    console.log('round  client      req/s  turnaround ms  CPU µs/req');
    for (let round = 1; round <= rounds; round++) {
      for (const which of clients) {
        const start = () => startClosedLoop(which, nginx.h2cUrl, 1, 100, body);
        const run = await measureLoop(start, undefined, 1500, measureS * 1000);
        const turnMs = (100 / run.reqPerS) * 1000 - 50;
        console.log(
          `${String(round).padStart(5)}  ${which.padEnd(9)} ${run.reqPerS.toFixed(0).padStart(6)}  ${turnMs.toFixed(1).padStart(13)}  ${run.cpuUsPerReq.toFixed(1).padStart(10)}`,
        );
      }
    }
  } finally {
    await nginx.stop();
  }
}

runBench('oneConnection', main);
