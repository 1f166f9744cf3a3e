import { describe, expect, it } from '@jest/globals';
import { isInvalidOptionError } from '../../src/errors/InvalidOptionError.js';
import { type LoadOptions, loadLabel, resolveLoadOptions } from '../../src/load/loadOptions.js';

const base = { url: 'http://127.0.0.1:1/', rateTps: 100 };

function rejects(over: Record<string, unknown>): string {
  try {
    resolveLoadOptions({ ...base, ...over } as Partial<LoadOptions> & typeof base);
  } catch (error) {
    expect(isInvalidOptionError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(over)}`);
}

describe('resolveLoadOptions', () => {
  it('fills defaults, warm-up at 20% of the run up to 5 s', () => {
    const o = resolveLoadOptions(base);
    expect(o).toMatchObject({
      durationMs: 10_000,
      timeoutMs: 5000,
      policy: 'adaptive',
      connections: 1,
      maxConnections: 8,
      tickMs: 2,
      warmupMs: 2000,
      rejectUnauthorized: true,
    });
    expect(resolveLoadOptions({ ...base, durationMs: 60_000 }).warmupMs).toBe(5000);
    expect(resolveLoadOptions({ ...base, warmupMs: 0 }).warmupMs).toBe(0);
  });

  it.each([
    [{ url: 'ftp://x/' }, /^url must be an absolute http/],
    [{ url: 'nope' }, /^url must be an absolute/],
    [{ rateTps: 0 }, /^rateTps must be a finite number > 0 and <= 10000000, got 0/],
    [{ durationMs: -1 }, /^durationMs /],
    [{ maxRequests: 1.5 }, /^maxRequests must be an integer/],
    [{ policy: 'fixed' }, /^policy must be one of 'naive', 'naive-fifo', 'adaptive', got "fixed"/],
    [{ connections: 0 }, /^connections /],
    [{ warmupMs: 20_000 }, /^warmupMs must be a number between 0 and 10000/],
    [{ tickMs: 0 }, /^tickMs /],
    [{ body: 'text' }, /^body must be a Uint8Array/],
    [{ rateTPS: 5 }, /^load\.rateTPS must be a known option/],
  ])('names the bad option: %j', (over, message) => {
    expect(rejects(over)).toMatch(message);
  });

  it('labels runs by policy and connections', () => {
    expect(loadLabel(resolveLoadOptions({ ...base, policy: 'naive' }))).toBe('naive');
    expect(loadLabel(resolveLoadOptions({ ...base, policy: 'naive', connections: 2 }))).toBe(
      'naive (2 conns)',
    );
    expect(loadLabel(resolveLoadOptions({ ...base, maxConnections: 4 }))).toBe('adaptive (max 4)');
    expect(loadLabel(resolveLoadOptions({ ...base, label: 'mine' }))).toBe('mine');
  });
});
