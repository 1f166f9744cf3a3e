/**
 * `h2flow/grpc`: h2flow's controller for @grpc/grpc-js clients, as a
 * channel any client takes with `channelOverride` (`docs/grpc.md`).
 * @grpc/grpc-js is a peer dependency: this entry loads the application's.
 */

export { isOverloadError, OverloadError } from '../errors/OverloadError.js';
export { createChannel, type GrpcChannelOptions, H2flowChannel } from './H2flowChannel.js';
