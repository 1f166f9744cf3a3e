import { describe, expect, test } from '@jest/globals';
import { embeddedConditions } from '../../bench/lib/dominance/conditions.js';
import { serveArgv } from '../../bench/lib/dominance/serveArgv.js';
import { buildServeCommand } from '../../src/cli/serveCommand.js';
import { parseServeFlags, type ServeFlags } from '../../src/cli/serveFlags.js';

/** What `h2flow serve <argv>` would run with. */
function parsed(argv: string[]) {
  const command = buildServeCommand();
  command.parseOptions(argv);
  return parseServeFlags(command.opts() as unknown as ServeFlags).options;
}

describe('serveArgv', () => {
  test.each(embeddedConditions().map((c) => [c.name, c.serverOptions] as const))(
    'the flags for %s start a server with those options',
    (_, options) => {
      expect(parsed(serveArgv(options))).toMatchObject(options);
    },
  );

  test('a retry-after in seconds round-trips too', () => {
    expect(parsed(serveArgv({ errorFraction: 0.1, retryAfterS: 3 }))).toMatchObject({
      retryAfterS: 3,
    });
  });

  test('an option it has no flag for throws instead of being dropped', () => {
    expect(() => serveArgv({ goawayEvery: 10 })).toThrow(/no flag mapped for goawayEvery/);
  });
});
