import { expect, test } from '@jest/globals';
import {
  type PickCandidate,
  pickSession,
  stallProbeLimit,
} from '../../src/transport/pickSession.js';

interface Fake extends PickCandidate {
  readonly name: string;
  probes: number;
}

function fake(name: string, streamsInFlight: number, streamLimit: number, stalled = false): Fake {
  return {
    name,
    streamsInFlight,
    streamLimit,
    probes: 0,
    sendStalled() {
      this.probes++;
      return stalled;
    },
  };
}

test('picks the least loaded by in-flight ÷ limit, not by free slots', () => {
  // b has more free slots (6) than a (3), but is more loaded (40% vs 25%).
  const a = fake('a', 1, 4);
  const b = fake('b', 4, 10);
  expect(pickSession([b, a], 0)?.name).toBe('a');
});

test('skips full and not-ready sessions (limit 0) and returns undefined when none has a slot', () => {
  expect(pickSession([fake('full', 5, 5), fake('zero', 0, 0)], 0)).toBeUndefined();
  expect(pickSession([fake('full', 5, 5), fake('ok', 4, 5)], 0)?.name).toBe('ok');
});

test('ties go to the oldest session (first in the list)', () => {
  expect(pickSession([fake('old', 1, 10), fake('new', 1, 10)], 0)?.name).toBe('old');
});

test('skips a stalled least-loaded session for the next unstalled one', () => {
  const stalled = fake('stalled', 0, 10, true);
  const next = fake('next', 5, 10);
  expect(pickSession([stalled, next], 4096)?.name).toBe('next');
});

test('falls back to the least loaded when every probed session is stalled, probing at most a few', () => {
  const all = Array.from({ length: 10 }, (_, i) => fake(`s${i}`, i, 10, true));
  expect(pickSession(all, 4096)?.name).toBe('s0');
  expect(all.reduce((n, s) => n + s.probes, 0)).toBe(stallProbeLimit);
});

test('a single candidate is taken without reading its state', () => {
  const only = fake('only', 0, 10, true);
  expect(pickSession([only], 4096)?.name).toBe('only');
  expect(only.probes).toBe(0);
});
