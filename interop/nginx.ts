/**
 * A private nginx for the interop runs: installed if missing, configured
 * from interop/*.template into a fresh temp folder, started as its own
 * daemon on 127.0.0.1, read through its error log, and stopped by the pid
 * file it wrote.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTestCertificate } from '../src/server/testCertificate.js';
import { aptInstall } from './aptInstall.js';

/** Where Debian's libnginx-mod-http-echo puts the module. */
const echoModulePath = '/usr/lib/nginx/modules/ngx_http_echo_module.so';
const nginxCandidates = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** The nginx binary, or undefined when it is not installed. */
function nginxBinary(): string | undefined {
  return nginxCandidates.find((p) => existsSync(p));
}

/**
 * The nginx binary when nginx and its echo module are both installed, else
 * undefined. Unlike {@link ensureNginx} it never installs anything, for
 * callers that skip their nginx part instead (`bench/dominance.ts`).
 */
export function findNginx(): string | undefined {
  const bin = nginxBinary();
  return bin !== undefined && existsSync(echoModulePath) ? bin : undefined;
}

/**
 * Installs nginx and its echo module with apt-get when either is missing
 * (CI runs as root on a fresh machine). Throws with the command to run when
 * they are missing and this process cannot install them.
 */
export function ensureNginx(log: (line: string) => void): string {
  let bin = nginxBinary();
  if (bin !== undefined && existsSync(echoModulePath)) return bin;
  aptInstall(['nginx', 'libnginx-mod-http-echo'], 'nginx or its echo module is', log);
  bin = nginxBinary();
  if (bin === undefined || !existsSync(echoModulePath)) {
    throw new Error('apt-get finished but nginx or the echo module is still missing');
  }
  return bin;
}

/** A free TCP port on 127.0.0.1: the OS picks it, and nginx or a load run binds it a moment later. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** What nginx's error log (at `info`) recorded about streams over a stretch of a run. */
export interface NginxStreamLog {
  /** RST_STREAM frames received for live streams, any code ("client canceled/refused/terminated stream"). */
  readonly rstReceived: number;
  /** Of those, RST_STREAM(CANCEL). */
  readonly cancel: number;
  /** Streams nginx refused over its concurrent-stream limit ("concurrent streams exceeded"). */
  readonly refused: number;
  /** Connections nginx closed for "too many refused streams". */
  readonly goawayTooManyRefused: number;
  /** Lines at `[error]` or worse, e.g. a failed handshake. */
  readonly errors: number;
}

/** A running private nginx. */
export interface Nginx {
  /** nginx's version line, e.g. `nginx/1.22.1`. */
  readonly version: string;
  /** `http://127.0.0.1:PORT/`: h2c with prior knowledge. */
  readonly h2cUrl: string;
  /** `https://127.0.0.1:PORT/`: TLS, ALPN h2. */
  readonly tlsUrl: string;
  /** PEM file of the CA that signed nginx's certificate, for `h2flow load --ca`. */
  readonly caPath: string;
  /** The temp folder holding config, logs and pid. */
  readonly dir: string;
  /** The error log's length now: pass it to {@link streamLogSince} after a run. */
  logOffset(): number;
  /** Counts what the error log recorded after `offset`. */
  streamLogSince(offset: number): NginxStreamLog;
  /** Stops nginx by its pid file (QUIT, then TERM, then KILL) and removes the temp folder. */
  stop(): Promise<void>;
}

/** Fills `{{NAME}}` fields of a template from interop/. */
function fill(template: string, fields: Record<string, string>): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Compiled to .build/interop/; the templates stay in interop/ at the repository root.
  const path = [join(here, template), join(here, '..', '..', 'interop', template)].find(existsSync);
  if (path === undefined) throw new Error(`interop: template ${template} not found`);
  return readFileSync(path, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`interop: no value for {{${name}}} in ${template}`);
    return value;
  });
}

/**
 * More configuration for a run that needs other locations than the interop
 * one: names of templates in interop/, filled like the others.
 */
export interface NginxExtras {
  /** Included in the `http` block (e.g. `split_clients`). Default none. */
  readonly httpTemplate?: string | undefined;
  /** Included in both `server` blocks, after the interop location (more locations); `{{DIR}}` is the temp folder. Default none. */
  readonly serverTemplate?: string | undefined;
}

/** Writes the config and certificate into a fresh temp folder and starts nginx. */
export async function startNginx(bin: string, extras: NginxExtras = {}): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'h2flow-interop-'));
  try {
    return await startIn(dir, bin, extras);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startIn(dir: string, bin: string, extras: NginxExtras): Promise<Nginx> {
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  const cert = await generateTestCertificate('127.0.0.1');
  writeFileSync(join(dir, 'cert.pem'), cert.certPem);
  writeFileSync(join(dir, 'key.pem'), cert.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.pem'), cert.caPem);
  const [h2cPort, tlsPort] = [await freePort(), await freePort()];
  const root = process.getuid?.() === 0;
  writeFileSync(
    join(dir, 'nginx.conf'),
    fill('nginx.conf.template', {
      DIR: dir,
      H2C_PORT: String(h2cPort),
      TLS_PORT: String(tlsPort),
      LOAD_MODULE: `load_module ${echoModulePath};`,
      // As root the workers would otherwise run as nobody; run them as the current user.
      USER: root ? `user ${userInfo().username};` : '# not root: nginx runs as the current user',
    }),
  );
  writeFileSync(join(dir, 'location.conf'), fill('location.conf.template', {}));
  const extra = (template: string | undefined) =>
    template === undefined ? '# none\n' : fill(template, { DIR: dir });
  writeFileSync(join(dir, 'http-extra.conf'), extra(extras.httpTemplate));
  writeFileSync(join(dir, 'server-extra.conf'), extra(extras.serverTemplate));
  const errorLog = join(dir, 'error.log');
  const args = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', errorLog];
  // `nginx -v` prints its version line on stderr.
  const versionLine = spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr.trim();
  const started = spawnSync(bin, args, { encoding: 'utf8' });
  if (started.status !== 0) {
    const log = existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '';
    throw new Error(`nginx failed to start (exit ${started.status}):\n${started.stderr}\n${log}`);
  }
  const pidPath = join(dir, 'nginx.pid');
  await waitFor(() => existsSync(pidPath), 5000, 'nginx wrote no pid file');
  return {
    version: versionLine,
    h2cUrl: `http://127.0.0.1:${h2cPort}/`,
    tlsUrl: `https://127.0.0.1:${tlsPort}/`,
    caPath: join(dir, 'ca.pem'),
    dir,
    logOffset: () => statSync(errorLog).size,
    streamLogSince: (offset) => countStreamLog(readFileSync(errorLog, 'utf8').slice(offset)),
    stop: () => stopNginx(pidPath, dir),
  };
}

/** Counts nginx's stream messages (ngx_http_v2.c, logged at `info`) in `text`. */
export function countStreamLog(text: string): NginxStreamLog {
  let rstReceived = 0;
  let cancel = 0;
  let refused = 0;
  let goawayTooManyRefused = 0;
  let errors = 0;
  for (const line of text.split('\n')) {
    if (/client (canceled|refused|terminated) stream \d+/.test(line)) {
      rstReceived++;
      if (line.includes('client canceled stream')) cancel++;
    } else if (line.includes('concurrent streams exceeded')) refused++;
    else if (line.includes('client sent too many refused streams')) goawayTooManyRefused++;
    if (/\[(error|crit|alert|emerg)\]/.test(line)) errors++;
  }
  return { rstReceived, cancel, refused, goawayTooManyRefused, errors };
}

async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > until) throw new Error(`interop: ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * QUIT is nginx's graceful stop: workers finish open requests and exit, then
 * the master removes the pid file. Connections a client left half-open can
 * hold a worker, so TERM (fast stop) follows after 3 s and KILL after 6 s.
 */
async function stopNginx(pidPath: string, dir: string): Promise<void> {
  const pid = existsSync(pidPath) ? Number(readFileSync(pidPath, 'utf8').trim()) : Number.NaN;
  if (Number.isInteger(pid) && pid > 0) {
    for (const [signal, waitMs] of [
      ['SIGQUIT', 3000],
      ['SIGTERM', 3000],
      ['SIGKILL', 1000],
    ] as const) {
      if (!alive(pid)) break;
      process.kill(pid, signal);
      await waitFor(() => !alive(pid), waitMs, `nginx ${pid} still running after ${signal}`).catch(
        () => {},
      );
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
