import {
  createSecureServer,
  createServer,
  type Http2SecureServer,
  type Http2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
  type Settings,
} from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/** How a scripted test server behaves. */
export interface RawServerOptions {
  /** SETTINGS the server sends first. */
  readonly settings?: Settings;
  /** Serve h2 over TLS with this key and certificate (PEM) instead of h2c. */
  readonly tls?: { readonly keyPem: string; readonly certPem: string };
  /**
   * Hold each new connection this long before the HTTP/2 session starts on
   * it, so the server's first SETTINGS goes out late (h2c only), ms.
   */
  readonly delaySettingsMs?: number;
  /** Handles each stream; the default answers 200 with `ok`. */
  readonly onStream?: (
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    server: RawServer,
  ) => void;
}

/** A real `node:http2` server on 127.0.0.1, port 0, with its own counters. */
export interface RawServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** Server sessions, in order of arrival. */
  readonly sessions: Http2Session[];
  /** Raw sockets, in order of arrival (to destroy one under a session). */
  readonly sockets: Socket[];
  /** Streams the server has seen. */
  streamsSeen: number;
  /** Most streams open at once on any one session, by the server's own count. */
  maxInFlightPerSession: number;
  /** Streams open now on each session. */
  readonly inFlight: Map<Http2Session, number>;
  /** RST_STREAM codes received from the client, with counts. */
  readonly resetsReceived: Map<number, number>;
  /** Resets the stream with `code` from the server side (not counted as received). */
  reset(stream: ServerHttp2Stream, code: number): void;
  /** Stops the server and destroys every session. */
  close(): Promise<void>;
}

/** Starts a scripted server; the test closes it. */
export async function startRawServer(options: RawServerOptions = {}): Promise<RawServer> {
  const h2: Http2Server | Http2SecureServer = options.tls
    ? createSecureServer({
        key: options.tls.keyPem,
        cert: options.tls.certPem,
        settings: options.settings ?? {},
      })
    : createServer({ settings: options.settings ?? {} });
  const localResets = new WeakSet<ServerHttp2Stream>();
  const onStream = options.onStream ?? ((stream) => respond(stream, 200, 'ok'));
  let netServer: NetServer | undefined;
  const state: RawServer = {
    url: '',
    sessions: [],
    sockets: [],
    streamsSeen: 0,
    maxInFlightPerSession: 0,
    inFlight: new Map(),
    resetsReceived: new Map(),
    reset(stream, code) {
      localResets.add(stream);
      if (!stream.closed) stream.close(code);
    },
    async close() {
      for (const s of state.sessions) if (!s.destroyed) s.destroy();
      for (const s of state.sockets) s.destroy();
      await Promise.all([
        new Promise<void>((resolve) => h2.close(() => resolve())),
        netServer ? new Promise<void>((resolve) => netServer!.close(() => resolve())) : undefined,
      ]);
    },
  };
  h2.on('session', (session: Http2Session) => {
    state.sessions.push(session);
    state.inFlight.set(session, 0);
    session.on('error', () => {});
  });
  h2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const session = stream.session!;
    state.streamsSeen++;
    const open = (state.inFlight.get(session) ?? 0) + 1;
    state.inFlight.set(session, open);
    state.maxInFlightPerSession = Math.max(state.maxInFlightPerSession, open);
    stream.on('error', () => {});
    stream.on('close', () => {
      state.inFlight.set(session, (state.inFlight.get(session) ?? 1) - 1);
      const code = stream.rstCode;
      if (code !== 0 && code !== undefined && !localResets.has(stream) && !session.destroyed) {
        state.resetsReceived.set(code, (state.resetsReceived.get(code) ?? 0) + 1);
      }
    });
    onStream(stream, headers, state);
  });
  let port: number;
  if (options.delaySettingsMs !== undefined && !options.tls) {
    const delay = options.delaySettingsMs;
    const plain = h2 as Http2Server;
    netServer = createNetServer((socket) => {
      state.sockets.push(socket);
      // Node starts the HTTP/2 session (and sends its SETTINGS) on 'connection'.
      setTimeout(() => plain.emit('connection', socket), delay);
    });
    port = await listen(netServer);
  } else {
    h2.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      state.sockets.push(socket);
    });
    port = await listen(h2);
  }
  (state as { url: string }).url = options.tls
    ? `https://127.0.0.1:${port}`
    : `http://127.0.0.1:${port}`;
  return state;
}

/** Answers `stream` with `status` and `body`, unless it was closed meanwhile. */
export function respond(stream: ServerHttp2Stream, status: number, body: string | Buffer): void {
  if (stream.closed || stream.destroyed) return;
  stream.respond({ ':status': status });
  stream.end(body);
}

/** Answers after `delayMs`. */
export function respondAfter(
  stream: ServerHttp2Stream,
  delayMs: number,
  status: number,
  body: string | Buffer,
): void {
  setTimeout(() => respond(stream, status, body), delayMs);
}

function listen(server: NetServer | Http2Server | Http2SecureServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
}
