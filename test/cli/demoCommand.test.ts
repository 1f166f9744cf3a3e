import { describe, expect, it } from '@jest/globals';
import { runCli } from '../helpers/runCli.js';

const run = runCli;

describe('h2flow demo flags', () => {
  it.each([
    [
      ['--duration', '30'],
      /^h2flow: --duration: expected a duration with a unit such as 50ms, 5s or 2m, got "30"$/,
    ],
    [['--duration', '0'], /^h2flow: --duration: expected a duration above 0, got "0"$/],
    [['--fast'], /^h2flow: unknown option '--fast'/],
  ])('%j is one line naming the flag, exit 2, and runs nothing', async (args, message) => {
    const { code, stdout, stderr } = await run(['demo', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it('--help says what it runs, how to read it, and gives examples', async () => {
    const { code, stdout } = await run(['demo', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('golang/go#52845');
    expect(stdout).toContain('100 streams per connection and 50 ms per request');
    for (const run of ['naive', 'adaptive (max 1)', 'adaptive (max 4)'])
      expect(stdout).toContain(run);
    expect(stdout).toContain('RST_STREAM at server');
    expect(stdout).toContain('$ h2flow demo --quick');
  });
});
