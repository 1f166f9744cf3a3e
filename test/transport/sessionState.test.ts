import { describe, expect, it } from '@jest/globals';
import { SessionLifecycle, type SessionState } from '../../src/transport/sessionState.js';

/** A lifecycle walked through `path`, recording whether each move was taken. */
function walk(path: readonly SessionState[]): { moved: boolean[]; state: SessionState } {
  const life = new SessionLifecycle();
  const moved = path.map((to) => life.transition(to));
  return { moved, state: life.state };
}

describe('SessionLifecycle', () => {
  it('starts connecting', () => {
    expect(new SessionLifecycle().state).toBe('connecting');
  });

  it('takes the forward moves: connecting, ready, draining, closed', () => {
    expect(walk(['ready', 'draining', 'closed'])).toEqual({
      moved: [true, true, true],
      state: 'closed',
    });
  });

  it('lets a connecting session be given up or fail, and a ready one close at once', () => {
    expect(walk(['draining', 'closed']).moved).toEqual([true, true]);
    expect(walk(['closed']).state).toBe('closed');
    expect(walk(['ready', 'closed']).moved).toEqual([true, true]);
  });

  it('never goes back, and refuses a move to the state it is in', () => {
    expect(walk(['ready', 'ready'])).toEqual({ moved: [true, false], state: 'ready' });
    expect(walk(['draining', 'ready'])).toEqual({ moved: [true, false], state: 'draining' });
    expect(walk(['ready', 'draining', 'draining', 'ready'])).toEqual({
      moved: [true, true, false, false],
      state: 'draining',
    });
    expect(walk(['closed', 'ready', 'draining', 'connecting'])).toEqual({
      moved: [true, false, false, false],
      state: 'closed',
    });
  });
});
