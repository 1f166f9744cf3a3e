/**
 * The private nginx of `make interop` (interop/nginx.ts), with the dominance
 * matrix's locations added (interop/dominance-*.conf.template). It is only
 * used when nginx and its echo module are already installed: the bench says
 * so and skips its nginx rows otherwise (`make interop` installs them).
 */
import { findNginx, type Nginx, startNginx } from '../../../interop/nginx.js';

/** A running nginx for the matrix, and how its rows read its witness. */
export interface DominanceNginx {
  /** nginx's version line. */
  readonly version: string;
  /** The h2c URL of a location, e.g. `http://127.0.0.1:PORT/bg503-5`. */
  url(path: string): string;
  /**
   * Starts counting the RST_STREAM(CANCEL) nginx logs ("client canceled
   * stream"); the function returned reads the count since, after a short
   * pause so the last lines of a run have landed.
   */
  watchCancels(): () => Promise<number>;
  /** Stops nginx by its pid file and removes its folder. */
  stop(): Promise<void>;
}

/** Starts nginx with the matrix's locations, or resolves undefined (with why) when it is not installed. */
export async function startDominanceNginx(): Promise<
  { readonly nginx: DominanceNginx } | { readonly skipped: string }
> {
  const bin = findNginx();
  if (bin === undefined) {
    return {
      skipped:
        'nginx or libnginx-mod-http-echo is not installed; `make interop` installs them ' +
        '(or: apt-get install -y nginx libnginx-mod-http-echo)',
    };
  }
  const nginx: Nginx = await startNginx(bin, {
    httpTemplate: 'dominance-http.conf.template',
    serverTemplate: 'dominance-server.conf.template',
  });
  const base = nginx.h2cUrl.replace(/\/$/, '');
  return {
    nginx: {
      version: nginx.version,
      url: (path) => `${base}${path}`,
      watchCancels: () => {
        const offset = nginx.logOffset();
        return async () => {
          // nginx writes a line as it handles each frame; a moment lets the last ones land.
          await new Promise((r) => setTimeout(r, 300));
          return nginx.streamLogSince(offset).cancel;
        };
      },
      stop: () => nginx.stop(),
    },
  };
}
