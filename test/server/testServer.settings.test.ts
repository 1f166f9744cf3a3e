import type { Settings } from 'node:http2';
import { describe, expect, test } from '@jest/globals';
import { closeSession, connectReady, request, startRequest, waitUntil } from './rawClient.js';
import { serverFixture } from './serverFixture.js';

const start = serverFixture();

describe('SETTINGS_MAX_CONCURRENT_STREAMS', () => {
  test('maxConcurrentSeen reaches but never passes the advertised limit', async () => {
    const server = await start({ maxConcurrentStreams: 5, latencyMs: 60 });
    const session = await connectReady(server.url);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(5);
    // 20 at once: node's client holds the extra 15 back until slots free up.
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => request(session)));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    const stats = server.stats();
    expect(stats.maxConcurrentSeen).toBe(5);
    expect(stats.streamsCompleted).toBe(20);
    await closeSession(session);
  });

  test('maxConcurrentSeen is per session: two sessions of 3 streams each show 3', async () => {
    const server = await start({ maxConcurrentStreams: 10, latencyMs: 100 });
    const a = await connectReady(server.url);
    const b = await connectReady(server.url);
    const pending = [
      ...Array.from({ length: 3 }, () => startRequest(a)),
      ...Array.from({ length: 3 }, () => startRequest(b)),
    ];
    await waitUntil(() => server.stats().streamsInFlight === 6);
    await Promise.all(pending.map((p) => p.done));
    expect(server.stats().maxConcurrentSeen).toBe(3);
    await Promise.all([closeSession(a), closeSession(b)]);
  });

  test('a change mid-session reaches a raw client as remoteSettings, down to 0 and back', async () => {
    const server = await start({ maxConcurrentStreams: 100, latencyMs: 1 });
    const session = await connectReady(server.url);
    const seen: (number | undefined)[] = [];
    session.on('remoteSettings', (settings: Settings) => seen.push(settings.maxConcurrentStreams));
    expect(session.remoteSettings.maxConcurrentStreams).toBe(100);

    await server.setMaxConcurrentStreams(1);
    await waitUntil(() => seen.length === 1);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(1);

    await server.setMaxConcurrentStreams(0);
    await waitUntil(() => seen.length === 2);
    expect(session.remoteSettings.maxConcurrentStreams).toBe(0);

    // A session opened now starts with the current value.
    const later = await connectReady(server.url);
    expect(later.remoteSettings.maxConcurrentStreams).toBe(0);

    await server.setMaxConcurrentStreams(100);
    await waitUntil(() => seen.length === 3);
    expect(seen).toEqual([1, 0, 100]);
    expect((await request(session)).status).toBe(200);
    await Promise.all([closeSession(session), closeSession(later)]);
  });

  test('with the limit lowered to 1, a raw client runs its streams one at a time', async () => {
    const server = await start({ maxConcurrentStreams: 100, latencyMs: 30 });
    const session = await connectReady(server.url);
    await server.setMaxConcurrentStreams(1);
    await waitUntil(() => session.remoteSettings.maxConcurrentStreams === 1);
    const before = server.stats().maxConcurrentSeen;
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => request(session)));
    expect(outcomes.every((o) => o.status === 200)).toBe(true);
    expect(before).toBe(0);
    expect(server.stats().maxConcurrentSeen).toBe(1);
    await closeSession(session);
  });
});
