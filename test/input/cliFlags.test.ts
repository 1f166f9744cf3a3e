import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../helpers/runCli.js';

// Bad input on the command line, for every command that exists: exit code 2,
// exactly one line on stderr (prefixed `h2flow:`, naming the flag or file and
// the bad value), nothing on stdout, and nothing run (each case returns in
// milliseconds; the URLs point at a port where nothing listens).

async function expectUsageError(argv: readonly string[], message: RegExp): Promise<void> {
  const { code, stdout, stderr } = await runCli(argv);
  expect({ code, stdout, lines: stderr.split('\n').length - 1 }).toEqual({
    code: 2,
    stdout: '',
    lines: 1,
  });
  expect(stderr).toMatch(/^h2flow: /);
  expect(stderr).toMatch(message);
}

const dir = mkdtempSync(join(tmpdir(), 'h2flow-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nowhere = 'http://127.0.0.1:9';
const scenario = 'simulations/step.json';

const commands = buildProgram()
  .commands.map((c) => c.name())
  .filter((name) => name !== 'help');

describe('every command', () => {
  test('the CLI has the commands this suite covers', () => {
    expect([...commands].sort()).toEqual(['demo', 'load', 'serve', 'simulate', 'tune']);
  });

  // With its required arguments given, so the unknown flag is what is reported.
  const required: Readonly<Record<string, readonly string[]>> = {
    simulate: [scenario],
    tune: [nowhere],
    load: [nowhere, '--rate', '10'],
  };
  test.each(commands)('%s --no-such-flag: one line naming the flag, exit 2', async (command) => {
    await expectUsageError(
      [command, ...(required[command] ?? []), '--no-such-flag'],
      /unknown option '--no-such-flag'/,
    );
  });

  test('an unknown command or root flag: one line, exit 2', async () => {
    await expectUsageError(['no-such-command'], /unknown command 'no-such-command'/);
    await expectUsageError(['--no-such-flag'], /unknown option '--no-such-flag'/);
  });
});

describe.each([
  ['serve', ['--port', 'abc'], /--port: .*"abc"/],
  ['serve', ['--port', '70000'], /--port: .*"70000"/],
  ['serve', ['--latency', '5'], /--latency: .*unit.*"5"/],
  ['serve', ['--max-streams', '-1'], /--max-streams: .*"-1"/],
  ['serve', ['--capacity', '0'], /--capacity: .*"0"/],
  ['serve', ['--error-fraction', 'NaN'], /--error-fraction: .*"NaN"/],
  ['serve', ['--error-status', '500'], /--error-status: .*"500"/],
  ['serve', ['--window', '1GB'], /--window: .*"1GB"/],
  ['serve', ['unexpected-argument'], /too many arguments/],
  ['simulate', [], /missing required argument 'scenario.json'/],
  ['simulate', ['no/such/file.json'], /no\/such\/file\.json: cannot be read \(ENOENT\)/],
  ['simulate', ['--policy', 'fastest', scenario], /--policy: .*"fastest"/],
  ['simulate', ['--seed', '-3', scenario], /--seed: .*"-3"/],
  ['simulate', ['--duration', '5', scenario], /--duration: .*"5"/],
  ['tune', [], /missing required argument 'url'/],
  ['tune', ['ftp://example.test/'], /http:\/\/ or https:\/\/ URL, got "ftp:\/\/example\.test\/"/],
  ['tune', ['not a url'], /URL, got "not a url"/],
  ['tune', [nowhere, '--timeout', '5'], /--timeout: .*"5"/],
  ['tune', [nowhere, '--max-connections', '0'], /--max-connections: .*"0"/],
  ['tune', [nowhere, '--max-rate', '-1'], /--max-rate: .*"-1"/],
  ['load', [nowhere], /required option '--rate <tps>'/],
  ['load', [nowhere, '--rate', '3k'], /--rate: .*"3k"/],
  ['load', [nowhere, '--rate', 'NaN'], /--rate: .*"NaN"/],
  ['load', ['ftp://example.test/', '--rate', '10'], /URL, got "ftp:\/\/example\.test\/"/],
  ['load', [nowhere, '--rate', '10', '--timeout', '0'], /--timeout: .*"0"/],
  ['load', [nowhere, '--rate', '10', '--policy', 'greedy'], /--policy: .*"greedy"/],
  ['load', [nowhere, '--rate', '10', '--header', 'no-colon'], /--header: .*"no-colon"/],
  [
    'load',
    [nowhere, '--rate', '10', '--header', 'connection:close'],
    /headers\.connection must be absent.*RFC 9113/,
  ],
  ['load', [nowhere, '--rate', '10', '--metrics-port', '99999'], /--metrics-port: .*"99999"/],
  ['load', [nowhere, '--rate', '10', '--body', 'no/such/body'], /--body: .*ENOENT/],
  ['demo', ['--duration', '5'], /--duration: .*"5"/],
  ['demo', ['--duration', '0'], /--duration: .*"0"/],
] as const)('%s %j', (command, args, message) => {
  test('is one line naming it, exit 2, and runs nothing', async () => {
    await expectUsageError([command, ...args], message);
  });
});

describe('scenario files through h2flow simulate', () => {
  test('a JSON syntax error: one line with the file, line and column', async () => {
    const file = join(dir, 'syntax.json');
    writeFileSync(file, '{\n  "name": "x",\n  "load": { "phases": [ } \n}\n');
    await expectUsageError(
      ['simulate', file],
      /syntax\.json: is not valid JSON: line 3, column \d+/,
    );
  });

  test('a schema error: one line with the JSON pointer and the value', async () => {
    const doc = JSON.parse((await import('node:fs')).readFileSync(scenario, 'utf8'));
    doc.server.latency.meanMs = -5;
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify(doc));
    await expectUsageError(
      ['simulate', file],
      /schema\.json: \/server\/latency\/meanMs must be .*got -5/,
    );
  });

  test('nesting deeper than the stack: one line, exit 2 (was a RangeError, exit 1)', async () => {
    const file = join(dir, 'deep.json');
    writeFileSync(file, '['.repeat(100_000));
    await expectUsageError(
      ['simulate', file],
      /deep\.json: is not valid JSON: line 1, column \d+: nested too deeply/,
    );
  });
});

test('no command at all prints the usage on stderr and exits 2', async () => {
  const { code, stdout, stderr } = await runCli([]);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^Usage: h2flow/);
});
