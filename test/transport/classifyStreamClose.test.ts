import { expect, test } from '@jest/globals';
import {
  classifyStreamClose,
  type StreamCloseFacts,
} from '../../src/transport/classifyStreamClose.js';

const base: StreamCloseFacts = {
  cancelled: undefined,
  tooLarge: undefined,
  bodyFailed: undefined,
  response: undefined,
  streamId: 21,
  goaway: undefined,
  rstCode: 0,
  sessionDestroyed: false,
  error: undefined,
  atMs: 1000,
};

test('our own cancel explains the CANCEL code that follows', () => {
  expect(
    classifyStreamClose({ ...base, rstCode: 8, cancelled: { atMs: 900, onWire: true } }),
  ).toEqual({ kind: 'cancelled', onWire: true, atMs: 900 });
});

test('a complete response wins over a later RST_STREAM(NO_ERROR) or GOAWAY', () => {
  const response = {
    kind: 'response' as const,
    status: 200,
    headers: {},
    body: new Uint8Array(2),
    atMs: 950,
  };
  expect(
    classifyStreamClose({ ...base, response, goaway: { code: 0, lastStreamId: 1 } }),
  ).toMatchObject({ kind: 'response', status: 200, atMs: 950 });
});

test('above the GOAWAY last-stream-id: retryable, whatever code Node reports', () => {
  for (const [rstCode, sessionDestroyed] of [
    [7, false],
    [2, true],
  ] as const) {
    expect(
      classifyStreamClose({
        ...base,
        rstCode,
        sessionDestroyed,
        goaway: { code: sessionDestroyed ? 2 : 0, lastStreamId: 19 },
      }),
    ).toMatchObject({ kind: 'retryable', reason: 'goaway-unprocessed' });
  }
});

test('at or below last-stream-id of an error GOAWAY: a goaway error, even if the code looks like ENHANCE_YOUR_CALM', () => {
  expect(
    classifyStreamClose({
      ...base,
      rstCode: 11,
      sessionDestroyed: true,
      goaway: { code: 11, lastStreamId: 21 },
    }),
  ).toMatchObject({ kind: 'error', failure: 'goaway', http2Code: 11 });
});

test('REFUSED_STREAM and ENHANCE_YOUR_CALM from the peer are retryable; other codes are resets', () => {
  expect(classifyStreamClose({ ...base, rstCode: 7 })).toMatchObject({
    kind: 'retryable',
    reason: 'refused-stream',
    http2Code: 7,
  });
  expect(classifyStreamClose({ ...base, rstCode: 11 })).toMatchObject({
    kind: 'retryable',
    reason: 'enhance-your-calm',
    http2Code: 11,
  });
  expect(classifyStreamClose({ ...base, rstCode: 2 })).toMatchObject({
    kind: 'error',
    failure: 'stream-reset',
    http2Code: 2,
  });
});

test('a lost session is session-closed (not retryable); a request Node rejected is a protocol error', () => {
  expect(
    classifyStreamClose({ ...base, rstCode: 8, sessionDestroyed: true, error: undefined }),
  ).toMatchObject({ kind: 'error', failure: 'session-closed' });
  const invalid = Object.assign(new Error('bad header'), { code: 'ERR_INVALID_HTTP_TOKEN' });
  expect(
    classifyStreamClose({ ...base, streamId: undefined, rstCode: undefined, error: invalid }),
  ).toMatchObject({ kind: 'error', failure: 'protocol', causeCode: 'ERR_INVALID_HTTP_TOKEN' });
});
