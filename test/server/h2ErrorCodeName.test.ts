import { constants } from 'node:http2';
import { describe, expect, test } from '@jest/globals';
import { h2ErrorCodeName } from '../../src/server/h2ErrorCodeName.js';

describe('h2ErrorCodeName', () => {
  test('names the RFC 9113 §7 codes as node numbers them', () => {
    expect(h2ErrorCodeName(0)).toBe('NO_ERROR');
    expect(h2ErrorCodeName(constants.NGHTTP2_REFUSED_STREAM)).toBe('REFUSED_STREAM');
    expect(h2ErrorCodeName(7)).toBe('REFUSED_STREAM');
    expect(h2ErrorCodeName(8)).toBe('CANCEL');
    expect(h2ErrorCodeName(0xb)).toBe('ENHANCE_YOUR_CALM');
    expect(h2ErrorCodeName(0xd)).toBe('HTTP_1_1_REQUIRED');
  });

  test('keeps unknown codes distinct', () => {
    expect(h2ErrorCodeName(0xff)).toBe('UNKNOWN_0xff');
  });
});
