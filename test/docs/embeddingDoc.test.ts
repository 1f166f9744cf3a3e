import { readFileSync } from 'node:fs';
import { clientOptionNames, defaultClientOptions } from '../../src/client/clientOptions.js';
import { defaultH2TransportOptions } from '../../src/h2/H2TransportOptions.js';

const doc = readFileSync(new URL('../../docs/embedding.md', import.meta.url), 'utf8');

describe('docs/embedding.md', () => {
  it.each([...clientOptionNames])('documents the client option %s', (name) => {
    expect(doc).toContain(`\`${name}\``);
  });

  it.each(Object.keys(defaultH2TransportOptions))('documents the transport option %s', (name) => {
    expect(doc).toContain(`\`${name}\``);
  });

  it('states the defaults the code has for the budget and the connection cap', () => {
    expect(doc).toContain(`| \`timeoutMs\` | ${defaultClientOptions.timeoutMs} |`);
    expect(doc).toContain(`| \`maxConnections\` | ${defaultClientOptions.maxConnections} |`);
    expect(doc).toContain(
      `| \`queueTargetFraction\` | ${defaultClientOptions.queueTargetFraction} |`,
    );
  });
});
