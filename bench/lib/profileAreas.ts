/**
 * Where a benchmark's CPU goes, per request: sums a `node --cpu-prof`
 * profile's self time by area (h2flow's folders, npm packages, Node's
 * internals, GC) and divides by the requests the run completed.
 *
 * Run: `node .build/bench/lib/profileAreas.js <file.cpuprofile> <requests> [topFunctions]`,
 * e.g. after `node --cpu-prof --cpu-prof-dir=prof .build/bench/client-overhead.js
 * --sessions 1 --rounds 3 --only fixed`, which prints the request count.
 * Idle time is left out. Sampled self time on a busy machine includes time
 * the process was descheduled, so compare two profiles taken side by side.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The area a frame's self time counts against. */
function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const src = /\/\.build\/src\/([^/]+)\//.exec(url);
  if (src) return `h2flow ${src[1]}/`;
  const pkg = /node_modules\/((@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return `npm ${pkg[1]}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.includes('/bench/')) return 'bench';
  if (functionName === '(garbage collector)') return 'GC';
  return functionName || '(native)';
}

function main(): void {
  const [path, requestsText, topText] = process.argv.slice(2);
  if (path === undefined || requestsText === undefined) {
    console.error('usage: profileAreas <file.cpuprofile> <requests> [topFunctions]');
    process.exitCode = 2;
    return;
  }
  const requests = Number(requestsText);
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    busyUs += us;
    const a = area(node);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*\/(\.build|node_modules)\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  });
  const per = (us: number): string => (us / requests).toFixed(1).padStart(7);
  console.log(`${requests} requests, ${per(busyUs).trim()} µs busy per request`);
  for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1])) {
    if (us / busyUs >= 0.005) console.log(`${per(us)} µs  ${a}`);
  }
  console.log('top functions (self time):');
  const top = Number(topText ?? 20);
  for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) {
    console.log(`${per(us)} µs  ${f}`);
  }
}

main();
