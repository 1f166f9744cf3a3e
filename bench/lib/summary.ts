/**
 * The table `make bench` ends with: the latest line of each benchmark in
 * bench/results/latest.jsonl, its figure, and the goal beside it.
 *
 * Run: `node .build/bench/lib/summary.js` (after the benches appended
 * their lines). It only reads; docs/benchmarks.md explains each row.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './results.js';

type Line = Record<string, unknown> & { bench: string; date?: string };

/** One row: what was measured, the figure, the goal, and whether it is met. */
interface Row {
  readonly what: string;
  readonly figure: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);
const fixed = (x: unknown, d: number): string => num(x).toFixed(d);
const spread = (l: Line, key: string, d = 2): string =>
  `${fixed(l[key], d)} (${fixed(l[`${key}Min`], d)}–${fixed(l[`${key}Max`], d)})`;

/** Rows of one result line; a kind this table does not know gets a generic row. */
function rows(l: Line): Row[] {
  switch (l.bench) {
    case 'controller-step':
      return [
        {
          what: 'controller step',
          figure: `${fixed(l.nsPerStep, 0)} ns`,
          goal: '< 1,000 ns',
          met: num(l.nsPerStep) < 1000,
        },
      ];
    case 'control-loop':
      return [
        {
          what: 'control loop, per request (5 events)',
          figure: `${fixed(l.nsPerSample, 0)} ns (${fixed(l.nsPerSampleMin, 0)}–${fixed(l.nsPerSampleMax, 0)})`,
          goal: '— (step < 1 µs)',
          met: undefined,
        },
      ];
    case 'sim-speed':
      return [
        {
          what: 'simulator, seed-52845 adaptive',
          figure: `${num(l.requestsPerS).toLocaleString('en')} req/s`,
          goal: '1,000,000 req/s',
          met: num(l.requestsPerS) >= num(l.goalRequestsPerS),
        },
      ];
    case 'client-overhead': {
      const what = `client overhead, ${l.client} ÷ raw, ${l.sessions} session${l.sessions === 1 ? '' : 's'}`;
      if (l.client === 'h2load') {
        return [
          {
            what: `h2flow fixed ÷ h2load, ${l.sessions} session${l.sessions === 1 ? '' : 's'}`,
            figure: fixed(l.h2flowOverH2load, 2),
            goal: '— (distance to C)',
            met: undefined,
          },
        ];
      }
      return [
        { what, figure: spread(l, 'ratio'), goal: '≥ 0.90', met: num(l.ratio) >= 0.9 },
        {
          // 1 ÷ (CPU per request ratio): the throughput ratio if both were CPU-bound, steadier on a shared box.
          what: `  same, from CPU per request (raw ÷ ${l.client})`,
          figure: fixed(1 / num(l.cpuRatio), 2),
          goal: '≥ 0.90',
          met: 1 / num(l.cpuRatio) >= 0.9,
        },
      ];
    }
    case 'efficiency':
      return [
        {
          what: `efficiency ${l.config} (${l.latencyMs} ms, offered ${num(l.offeredTps).toLocaleString('en')})`,
          figure: `${fixed(l.efficiency, 3)}, ${l.wireCancels} RST`,
          goal: '≥ 0.95, 0 RST',
          met: num(l.efficiency) >= 0.95 && l.wireCancels === 0,
        },
      ];
    case 'memory':
      return [
        {
          what: `memory plateau, ${l.policy}, 10× overload ${l.durationS} s`,
          figure: `${fixed(l.plateauRatio, 3)} (heap ${fixed(l.heapLateMiB, 1)} MiB)`,
          goal: 'flat (≈ 1)',
          // The long test's bound: within 10% of the early heap.
          met: num(l.plateauRatio) <= 1.1,
        },
      ];
    case 'interop':
      return [
        {
          what: `interop ${l.run}`,
          figure:
            l.outcome === 'ok'
              ? `${num(l.goodputTps).toLocaleString('en')}/s, ${l.timedOut} t/o, ${l.nginxRst} RST`
              : `${l.outcome}, ${l.nginxRst} RST`,
          goal:
            num(l.goodputFloorTps) > 0
              ? `≥ ${num(l.goodputFloorTps).toLocaleString('en')}/s`
              : 'fails',
          met: l.pass === true,
        },
      ];
    case 'dominance': {
      const probed = l.kind === 'capped';
      return [
        {
          what: `dominance ${l.server} ${l.condition}`,
          figure: probed
            ? `${fixed(l.probeRatio, 3)} × probe, ${fixed(l.ratio, 3)} × naive`
            : `${fixed(l.ratio, 3)} × naive`,
          goal:
            l.kind === 'healthy'
              ? '≥ 0.99 × naive, cancels ≤ naive'
              : `${probed ? '≥ 0.99 × probe' : '≥ 1.2 × naive'}, 0 cancels, 0 t/o`,
          met: l.pass === true,
        },
      ];
    }
    default: {
      const fields = Object.entries(l)
        .filter(([k]) => k !== 'bench' && k !== 'date' && k !== 'node')
        .slice(0, 3)
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join(', ');
      return [{ what: l.bench, figure: fields, goal: '', met: undefined }];
    }
  }
}

/** Benches in the order the table lists them; others follow. */
const order = [
  'controller-step',
  'control-loop',
  'sim-speed',
  'client-overhead',
  'efficiency',
  'memory',
  'interop',
  'dominance',
];
const rank = (bench: string): number => {
  const i = order.indexOf(bench);
  return i < 0 ? order.length : i;
};

/** The key that makes two lines the same row (later lines replace earlier ones). */
function key(l: Line): string {
  return [
    l.bench,
    l.client,
    l.sessions,
    l.config,
    l.run,
    l.scenario,
    l.policy,
    l.server,
    l.condition,
  ].join('|');
}

function main(): void {
  const path = join(repoRoot(), 'bench', 'results', 'latest.jsonl');
  if (!existsSync(path)) {
    console.log('bench: no results yet');
    return;
  }
  const latest = new Map<string, Line>();
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.trim() === '') continue;
    try {
      const l = JSON.parse(text) as Line;
      if (typeof l.bench === 'string') latest.set(key(l), l);
    } catch {
      // A half-written line from an interrupted run: skip it.
    }
  }
  const all = [...latest.values()]
    .sort((a, b) => rank(a.bench) - rank(b.bench))
    .flatMap((l) =>
      rows(l).map((r) => ({ ...r, date: (l.date ?? '').slice(0, 16).replace('T', ' ') })),
    );
  const header = ['measured', 'figure', 'goal', '', 'when (UTC)'];
  const cells = all.map((r) => [
    r.what,
    r.figure,
    r.goal,
    r.met === undefined ? '' : r.met ? 'ok' : 'MISS',
    r.date,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: readonly string[]): string => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  console.log(`\n${fmt(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(fmt(c));
}

main();
