import { type ClientHttp2Session, constants } from 'node:http2';
import { Limiter } from '../../../src/limiter/index.js';

/** h2flow's limiter in front of one plain node:http2 session: admission, deadlines, the rate. */
export function limitedSession(session: ClientHttp2Session): {
  limiter: Limiter;
  get(path: string): Promise<number>;
} {
  let open = 0;
  const slots = () => session.remoteSettings.maxConcurrentStreams ?? 100;
  const limiter = new Limiter(
    {
      freeSlots: () => slots() - open,
      capacity: () => ({
        atMs: limiter.scheduler.now(),
        sessions: [],
        readySessions: 1,
        slotsTotal: slots(),
        slotsInUse: open,
        slotsAvailable: slots() - open,
      }),
    },
    { maxConnections: 1, timeoutMs: 1000 },
  );
  const get = (path: string) =>
    new Promise<number>((resolve, reject) =>
      limiter.acquire<number>(
        {},
        {
          onGrant(permit) {
            open++;
            const stream = session.request({ ':path': path });
            permit.onCancel = () => stream.close(constants.NGHTTP2_CANCEL);
            let status = 0;
            stream.on('response', (headers) => {
              status = Number(headers[':status']);
              permit.headers();
            });
            stream.on('data', () => {});
            stream.on('end', () => permit.respond(status, status));
            stream.on('close', () => {
              open--;
              const code = stream.rstCode;
              if (code === constants.NGHTTP2_REFUSED_STREAM) permit.retry('refused-stream', code);
              else if (code === constants.NGHTTP2_CANCEL) permit.cancelled(true);
              else
                permit.fail({ failure: 'stream-reset', detail: 'closed early', http2Code: code });
              limiter.capacityChanged();
            });
            stream.end();
            permit.sent();
          },
          onSettle: (error, status) => (error ? reject(error) : resolve(status!)),
        },
      ),
    );
  return { limiter, get };
}
