import { describe, expect, test } from '@jest/globals';
import { responseBody } from '../../src/server/responseBody.js';

describe('responseBody', () => {
  test.each([11, 12, 19, 20, 60, 64, 75, 4096])('is valid JSON of exactly %i bytes', (bytes) => {
    const body = responseBody(bytes);
    expect(body.length).toBe(bytes);
    expect(JSON.parse(body.toString('utf8'))).toMatchObject({ ok: true });
  });
});
