import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

/** A raw HTTP/2 gRPC server that refuses streams, and what it saw. */
export interface RefusingServer {
  readonly target: string;
  /** Streams that arrived (refused ones included). */
  arrivals: number;
  /** Streams it refused with RST_STREAM(REFUSED_STREAM). */
  refused: number;
  close(): Promise<void>;
}

/** The payloads of a gRPC body's length-prefixed messages (gRPC over HTTP/2, "Length-Prefixed-Message"). */
function messagesOf(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at + 5 <= body.length; ) {
    const length = body.readUInt32BE(at + 1);
    out.push(body.subarray(at + 5, at + 5 + length));
    at += 5 + length;
  }
  return out;
}

/**
 * An h2c server on 127.0.0.1:0 speaking just enough gRPC for grpc-js: it
 * refuses the first `refuse` streams with RST_STREAM(REFUSED_STREAM) as they
 * arrive (a server at its stream limit: nothing was processed), and answers
 * the others, once the client half-closes, with one message, the
 * concatenation of every message the call sent, and `grpc-status: 0`. grpc-js
 * servers never refuse (nghttp2 keeps the client within the limit), so this
 * is how a test provokes a refusal through grpc-js.
 */
export async function startRefusingServer(refuse: number): Promise<RefusingServer> {
  const server = http2.createServer();
  const counts = { arrivals: 0, refused: 0 };
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', (stream) => {
    counts.arrivals++;
    stream.on('error', () => {}); // a refused stream's own close, reported as an error
    if (counts.refused < refuse) {
      counts.refused++;
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const payload = Buffer.concat(messagesOf(Buffer.concat(chunks)));
      const frame = Buffer.alloc(5 + payload.length);
      frame.writeUInt32BE(payload.length, 1);
      payload.copy(frame, 5);
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc' },
        { waitForTrailers: true },
      );
      stream.on('wantTrailers', () =>
        stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'OK' }),
      );
      stream.end(frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(counts, {
    target: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sessions) s.destroy();
      }),
  });
}
