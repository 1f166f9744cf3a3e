import type { CapacitySnapshot, SessionCapacity } from '../../src/core/capacity.js';
import { FakeTransport } from '../helpers/fakeTransport.js';

/**
 * The shared in-memory transport, plus a session list: `connections` ready
 * sessions and as many connecting and draining ones as a test sets, so the
 * sessions-by-state gauge has something to report.
 */
export class SessionFakeTransport extends FakeTransport {
  connecting = 0;
  draining = 0;

  override capacity(): CapacitySnapshot {
    const base = super.capacity();
    const session = (id: number, state: SessionCapacity['state']): SessionCapacity => ({
      id,
      state,
      streamsInFlight: 0,
      maxConcurrentStreams: this.slotsPerConnection,
      remoteWindowBytes: 65_535,
      outboundQueueBytes: 0,
    });
    const sessions: SessionCapacity[] = [];
    for (let i = 0; i < this.connections; i++) sessions.push(session(sessions.length + 1, 'ready'));
    for (let i = 0; i < this.connecting; i++)
      sessions.push(session(sessions.length + 1, 'connecting'));
    for (let i = 0; i < this.draining; i++) sessions.push(session(sessions.length + 1, 'draining'));
    sessions.push(session(sessions.length + 1, 'closed'));
    return { ...base, sessions };
  }
}
