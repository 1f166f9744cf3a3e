import { afterEach, describe, expect, jest, test } from '@jest/globals';
import {
  BenchUsageError,
  benchArgs,
  choiceFlag,
  countFlag,
  countsFlag,
  positiveFlag,
  runBench,
} from '../../bench/lib/benchArgs.js';

const options = { rounds: { type: 'string', default: '5' }, isolate: { type: 'boolean' } } as const;

describe('benchArgs: flags of the bench and interop scripts', () => {
  test('parses known flags', () => {
    const values = benchArgs('usage', { args: ['--rounds', '15', '--isolate'], options });
    expect(values).toEqual({ rounds: '15', isolate: true });
  });

  test('an unknown flag or a missing value is a usage error naming it', () => {
    expect(() => benchArgs('usage', { args: ['--roundz', '3'], options })).toThrow(
      new BenchUsageError("Unknown option '--roundz'"),
    );
    expect(() => benchArgs('usage', { args: ['--rounds'], options })).toThrow(/'--rounds <value>'/);
  });

  test('values: a positive number, a whole one, a list, a choice — each error names the flag and the value', () => {
    expect(positiveFlag('duration-s', '2.5')).toBe(2.5);
    expect(() => positiveFlag('duration-s', '0')).toThrow(
      '--duration-s must be a positive number, not "0"',
    );
    expect(() => positiveFlag('duration-s', '')).toThrow('not ""');
    expect(() => positiveFlag('duration-s', 'Infinity')).toThrow('not "Infinity"');
    expect(countFlag('rounds', '3')).toBe(3);
    expect(() => countFlag('rounds', '1.5')).toThrow('--rounds must be a whole number, not "1.5"');
    expect(countsFlag('sessions', '1,4')).toEqual([1, 4]);
    expect(() => countsFlag('sessions', '1,,4')).toThrow(
      '--sessions must be a positive number, not ""',
    );
    expect(choiceFlag('server', 'raw', ['raw', 'h2flow'])).toBe('raw');
    expect(() => choiceFlag('server', 'nginx', ['raw', 'h2flow'])).toThrow(
      '--server must be one of raw, h2flow, not "nginx"',
    );
  });
});

describe('runBench', () => {
  const saved = process.exitCode;
  afterEach(() => {
    process.exitCode = saved;
    jest.restoreAllMocks();
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  test('a usage error is one line with the script name and exit code 2', async () => {
    const lines: unknown[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: unknown) => lines.push(line));
    runBench('dominance', async () => {
      throw new BenchUsageError('--rounds must be a whole number, not "1.5"');
    });
    await settle();
    expect(lines).toEqual([
      'dominance: --rounds must be a whole number, not "1.5" (--help lists the flags)',
    ]);
    expect(process.exitCode).toBe(2);
  });

  test('any other error is a failed run: printed whole, exit code 1', async () => {
    const printed: unknown[] = [];
    jest.spyOn(console, 'error').mockImplementation((e: unknown) => printed.push(e));
    const failure = new Error('nginx did not start');
    runBench('interop', async () => {
      throw failure;
    });
    await settle();
    expect(printed).toEqual([failure]);
    expect(process.exitCode).toBe(1);
  });
});
