/**
 * The most of a request's body (or a gRPC call's messages) kept for a
 * resend after the server provably did not process it, bytes: the body of
 * an API call fits. The client's streamed bodies, the fetch agent's gathered
 * ones and the gRPC channel's messages all keep this much.
 */
export const replayLimitBytes = 64 * 1024;
