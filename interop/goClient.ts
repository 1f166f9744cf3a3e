/**
 * The seed's own client, as a baseline: `interop/go-strict-client`, built
 * offline with Debian's golang-go and golang-golang-x-net-dev
 * (`GO111MODULE=off GOPATH=/usr/share/gocode go build`), installed with
 * apt-get when missing, as nginx is. Go stays out of `make test`; only
 * `make interop` builds and runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptInstall } from './aptInstall.js';

/** One Go run, in the field names of h2flow's report (see main.go). */
export interface GoResult {
  readonly submitted: number;
  readonly succeeded: number;
  readonly timedOut: number;
  readonly failed: number;
  readonly goodputTps: number;
  readonly goVersion: string;
  readonly firstError?: string;
}

const gopath = '/usr/share/gocode';
const xnetHttp2 = `${gopath}/src/golang.org/x/net/http2`;

function hasGo(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0 && existsSync(xnetHttp2);
}

/** Installs Go and x/net with apt-get when missing (CI runs as root); throws with the command otherwise. */
export function ensureGo(log: (line: string) => void): void {
  if (hasGo()) return;
  aptInstall(['golang-go', 'golang-golang-x-net-dev'], 'Go or x/net is', log);
  if (!hasGo()) throw new Error('apt-get finished but Go or x/net is still missing');
}

/** Builds the client into `.build/interop/` (this file runs from there) and returns its path. */
export function buildGoClient(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const source = join(here, '..', '..', 'interop', 'go-strict-client');
  const out = join(here, 'go-strict-client');
  mkdirSync(join(here, 'gocache'), { recursive: true });
  execFileSync('go', ['build', '-o', out, '.'], {
    cwd: source,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GO111MODULE: 'off', GOPATH: gopath, GOCACHE: join(here, 'gocache') },
  });
  return out;
}

/**
 * Runs the Go client against `url` (h2c) open-loop at `rateTps` for
 * `durationS`, 5 s timeout, 75-byte body; with `requestsCsv`, it also writes
 * each request's timings there (see main.go).
 */
export function runGoClient(
  bin: string,
  url: string,
  rateTps: number,
  durationS: number,
  requestsCsv?: string,
): GoResult {
  const args = [
    '-url',
    url,
    '-rate',
    String(rateTps),
    '-duration',
    `${durationS}s`,
    '-warmup',
    '5s',
  ];
  if (requestsCsv !== undefined) args.push('-requests', requestsCsv);
  const out = execFileSync(bin, args, { encoding: 'utf8', timeout: (durationS + 30) * 1000 });
  return JSON.parse(out) as GoResult;
}
