/**
 * StreamedBody, the streaming listener's side of a dispatch, driven by hand:
 * node:http2 emits 'response' a tick after DATA read in the same socket read
 * (its headers event is deferred with process.nextTick, DATA is pushed at
 * once), so chunks can come before the headers have been handed on. They
 * are held, in order, and handed on after; pause and resume hold and
 * release; a close waits for what is held; a dropped body hands on nothing.
 */
import { expect, test } from '@jest/globals';
import { StreamedBody } from '../../src/h2/streamedBody.js';

/** A StreamedBody over a fake stream, recording what reached the listener and the stream's pauses. */
function harness(accept: (chunk: string) => boolean = () => true) {
  const got: string[] = [];
  const streamCalls: string[] = [];
  const stream = {
    pause: () => streamCalls.push('pause'),
    resume: () => streamCalls.push('resume'),
  };
  const body = new StreamedBody(
    (chunk) => {
      const text = Buffer.from(chunk).toString();
      got.push(text);
      return accept(text);
    },
    () => stream as never,
  );
  return { body, got, streamCalls, data: (s: string) => body.data(Buffer.from(s)) };
}

test('DATA that came before the headers is held, then handed on in order after them', () => {
  const h = harness();
  h.data('a');
  h.data('b');
  expect(h.got).toEqual([]);
  expect(h.body.holding).toBe(true);
  h.body.headersHandedOn();
  expect(h.got).toEqual(['a', 'b']);
  h.data('c');
  expect(h.got).toEqual(['a', 'b', 'c']);
  expect(h.body.holding).toBe(false);
});

test('a false from the listener pauses the stream and holds the rest until resume', () => {
  const h = harness((chunk) => chunk !== 'b');
  h.body.headersHandedOn();
  h.data('a');
  h.data('b');
  expect(h.streamCalls).toEqual(['pause']);
  h.data('c');
  expect(h.got).toEqual(['a', 'b']);
  h.body.resume();
  expect(h.got).toEqual(['a', 'b', 'c']);
  expect(h.streamCalls).toEqual(['pause', 'resume']);
});

test('a close waits for held chunks: whenDrained runs once they are handed on', () => {
  const h = harness();
  h.data('early');
  let closed = 0;
  h.body.whenDrained(() => closed++);
  expect(closed).toBe(0);
  h.body.headersHandedOn();
  expect(h.got).toEqual(['early']);
  expect(closed).toBe(1);
  const empty = harness();
  empty.body.whenDrained(() => closed++);
  expect(closed).toBe(2);
});

test('a dropped body (the request was cancelled) hands nothing on', () => {
  const h = harness();
  h.data('held');
  h.body.drop();
  h.body.headersHandedOn();
  h.data('later');
  expect(h.got).toEqual([]);
});
