import type { StreamSink } from '../client/streamRequest.js';
import type { H2flowError } from '../errors/H2flowError.js';
import { alpnNotH2Code, notH2Code } from '../errors/notH2Codes.js';
import { isTransportError } from '../errors/TransportError.js';
import type { HandlerSink } from './handlerSink.js';

/**
 * True for the failure of a request whose origin does not speak HTTP/2: an
 * HTTP/1.x server answered the h2c preface (`H2FLOW_NOT_H2`), or a TLS
 * server did not select `h2` by ALPN (`H2FLOW_ALPN_NOT_H2`). Such a request
 * never reached the server as a request: no session was ever ready.
 */
export function speaksNoH2(error: unknown): boolean {
  return (
    isTransportError(error) && (error.causeCode === notH2Code || error.causeCode === alpnNotH2Code)
  );
}

/**
 * `sink` as the client sees it, except that a failure because the origin
 * does not speak HTTP/2 goes to `reroute` instead of the handler: the sink
 * is handed off (it says nothing more to the handler), and `reroute` gives
 * the request to the fallback dispatcher, which speaks to the handler from
 * then on. Every other outcome reaches the handler as before.
 */
export function rerouteOnNoH2(sink: HandlerSink, reroute: () => void): StreamSink {
  return {
    onHeaders: (status, headers) => sink.onHeaders(status, headers),
    onData: (chunk) => sink.onData(chunk),
    onEnd: (end) => sink.onEnd(end),
    onError: (error: H2flowError) => {
      if (!speaksNoH2(error)) sink.onError(error);
      else if (sink.handOff()) reroute();
    },
  };
}
