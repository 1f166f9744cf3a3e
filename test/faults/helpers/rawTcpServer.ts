import { createServer, type Server, type Socket } from 'node:net';

/**
 * How a {@link RawTcpServer} misbehaves:
 * - `silent`: accepts TCP connections and reads them, but never writes a byte,
 *   so the client never gets the server's SETTINGS (RFC 9113 §3.4);
 * - `stops-reading`: answers the client preface with SETTINGS (stream window
 *   2^31-1, no stream limit), a connection WINDOW_UPDATE to 2^31-1 and a
 *   SETTINGS ACK, then never reads again. Flow control lets the client send,
 *   but the kernel buffers fill and its writes block.
 */
export type RawTcpMode = 'silent' | 'stops-reading';

/** A TCP server on 127.0.0.1 (port 0) that speaks just enough HTTP/2 to misbehave. */
export interface RawTcpServer {
  readonly url: string;
  /** Connections accepted. */
  readonly connections: number;
  /** Bytes read from clients (after `stops-reading` stops, nothing more is read). */
  readonly bytesRead: number;
  /** The first bytes read on the first connection (up to 64), e.g. the preface or a TLS ClientHello. */
  readonly firstBytes: Buffer;
  /** Frames read, by HTTP/2 frame type (0 DATA, 1 HEADERS, 3 RST_STREAM, 4 SETTINGS, …), parsed after the preface. */
  readonly framesRead: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

/** The client connection preface (RFC 9113 §3.4). */
const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const frameHeaderBytes = 9;
const maxWindowBytes = 2 ** 31 - 1;

/** One HTTP/2 frame on stream 0 (RFC 9113 §4.1). */
function frame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(frameHeaderBytes);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  return Buffer.concat([header, payload]);
}

/** SETTINGS_INITIAL_WINDOW_SIZE (0x4) = 2^31-1, a connection WINDOW_UPDATE up to 2^31-1, and an ACK of the client's SETTINGS. */
function openWindowsAndAck(): Buffer {
  const settings = Buffer.alloc(6);
  settings.writeUInt16BE(0x4, 0);
  settings.writeUInt32BE(maxWindowBytes, 2);
  const increment = Buffer.alloc(4);
  increment.writeUInt32BE(maxWindowBytes - 65_535, 0);
  return Buffer.concat([
    frame(0x4, 0, settings),
    frame(0x8, 0, increment),
    frame(0x4, 0x1, Buffer.alloc(0)),
  ]);
}

/** Starts a {@link RawTcpServer}; the test closes it. */
export async function startRawTcpServer(mode: RawTcpMode): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  const framesRead = new Map<number, number>();
  const state = { connections: 0, bytesRead: 0, firstBytes: Buffer.alloc(0) };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let prefaceSeen = false;
    const onData = (chunk: Buffer): void => {
      state.bytesRead += chunk.byteLength;
      if (state.connections === 1 && state.firstBytes.byteLength < 64) {
        state.firstBytes = Buffer.concat([state.firstBytes, chunk]).subarray(0, 64);
      }
      buffered = Buffer.concat([buffered, chunk]);
      if (!prefaceSeen) {
        if (buffered.byteLength < preface.byteLength) return;
        prefaceSeen = true;
        buffered = buffered.subarray(preface.byteLength);
      }
      while (buffered.byteLength >= frameHeaderBytes) {
        const length = buffered.readUIntBE(0, 3);
        if (buffered.byteLength < frameHeaderBytes + length) break;
        const type = buffered[3]!;
        framesRead.set(type, (framesRead.get(type) ?? 0) + 1);
        buffered = buffered.subarray(frameHeaderBytes + length);
        if (mode === 'stops-reading' && type === 0x4) {
          // The client's SETTINGS is in: open every window, acknowledge, and stop reading.
          socket.off('data', onData);
          socket.pause();
          socket.write(openWindowsAndAck());
          return;
        }
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    get bytesRead() {
      return state.bytesRead;
    },
    get firstBytes() {
      return state.firstBytes;
    },
    framesRead,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
