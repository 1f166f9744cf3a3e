import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, test } from '@jest/globals';
import { childRound, measureInChild } from '../../bench/lib/isolatedLoop.js';

const dir = mkdtempSync(join(tmpdir(), 'h2flow-isolated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A child script that prints, as its figure, the flags it was given. */
const echoScript = join(dir, 'echo.mjs');
writeFileSync(
  echoScript,
  'console.log("noise first");\nconsole.log(JSON.stringify({ argv: process.argv.slice(2) }));\n',
);
const failScript = join(dir, 'fail.mjs');
writeFileSync(failScript, 'console.error("no server at that url");\nprocess.exit(3);\n');

const round = {
  client: 'fixed',
  url: 'http://127.0.0.1:1',
  serverPid: 42,
  sessions: 4,
  warmupMs: 2000,
  measureMs: 1500,
};

describe('isolatedLoop: a bench round in a child process', () => {
  test('the child gets flags that childRound reads back as the same round, and its last line is the figure', async () => {
    const figure = (await measureInChild(echoScript, round)) as unknown as { argv: string[] };
    const { values } = parseArgs({
      args: figure.argv,
      options: Object.fromEntries(
        ['child', 'url', 'server-pid', 'sessions', 'warmup-ms', 'measure-ms'].map((k) => [
          k,
          { type: 'string' as const },
        ]),
      ),
    });
    expect(childRound(values)).toEqual(round);
  });

  test('a child that prints no figure rejects with its exit code and its stderr', async () => {
    await expect(measureInChild(failScript, round)).rejects.toThrow(
      /fixed round in a child exited 3:\nno server at that url/,
    );
  });

  test('a child asked for a round without a flag says which', () => {
    expect(() => childRound({ child: 'raw' })).toThrow('--child needs --url');
  });
});
