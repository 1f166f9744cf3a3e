import { expect, test } from '@jest/globals';
import { disturbed } from '../../src/tune/runTune.js';

test('a stage is measured again only when it reached the path and its throughput swung past 25%', () => {
  expect(disturbed({ end: 'max-rate', goodputRelStdErr: 1.314 })).toBe(true);
  expect(disturbed({ end: 'saturated', goodputRelStdErr: 0.26 })).toBe(true);
  expect(disturbed({ end: 'saturated', goodputRelStdErr: 0.05 })).toBe(false);
  expect(disturbed({ end: 'saturated', goodputRelStdErr: Number.NaN })).toBe(false);
  expect(disturbed({ end: 'no-connection', goodputRelStdErr: 2 })).toBe(false);
});
