import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

describe('docs/embedding.md, "The limiter alone"', () => {
  it('shows the example that test/limiter/limiterAlone.test.ts runs, as users import it', () => {
    const example = read('../limiter/example/limitedRequest.ts').replace(
      "'../../../src/limiter/index.js'",
      "'h2flow/limiter'",
    );
    expect(read('../../docs/embedding.md')).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
