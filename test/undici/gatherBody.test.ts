import { expect, test } from '@jest/globals';
import { gatherBody, gatherLimitBytes } from '../../src/undici/gatherBody.js';

async function* chunks(sizes: readonly number[], onFinally: () => void = () => {}) {
  try {
    for (const [i, size] of sizes.entries()) yield Buffer.alloc(size, i);
  } finally {
    onFinally();
  }
}

async function collect(body: Uint8Array | AsyncIterable<Uint8Array>): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body);
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

test('a body that ends within the limit comes back as its bytes', async () => {
  const one = await gatherBody(chunks([75]));
  expect(one).toBeInstanceOf(Uint8Array);
  expect((one as Uint8Array).byteLength).toBe(75);
  const three = await gatherBody(chunks([10, 20, 30]));
  expect(three).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(three as Uint8Array)).toEqual(
    Buffer.concat([Buffer.alloc(10, 0), Buffer.alloc(20, 1), Buffer.alloc(30, 2)]),
  );
  expect(await gatherBody(chunks([]))).toEqual(Buffer.alloc(0));
});

test('a longer body comes back as a source that yields every byte once, and ends the original', async () => {
  let finalized = false;
  const sizes = [40_000, 40_000, 40_000];
  const gathered = await gatherBody(chunks(sizes, () => (finalized = true)));
  expect(gathered).not.toBeInstanceOf(Uint8Array);
  const all = await collect(gathered);
  expect(all.length).toBe(120_000);
  expect(all.length).toBeGreaterThan(gatherLimitBytes);
  expect(all.subarray(80_000)).toEqual(Buffer.alloc(40_000, 2));
  expect(finalized).toBe(true);
});
