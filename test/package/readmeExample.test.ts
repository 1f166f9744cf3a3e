import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../src/server/testServer.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/** The first ```js block under "## Embedding" in the README, exactly as a reader would copy it. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Embedding'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README has no ```js block under ## Embedding');
  return match[1];
}

describe('the README embedding example', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer({ latencyMs: 5 });
    // Inside the package, so `import ... from 'h2flow'` resolves through package.json "exports" to dist/.
    dir = mkdtempSync(join(root, '.build-readme-'));
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written against the built package', async () => {
    expect(existsSync(join(root, 'dist/index.js'))).toBe(true); // `make test` builds before jest
    const code = readmeExample().replace('http://127.0.0.1:8080', server.url);
    expect(code).toContain(server.url);
    const file = join(dir, 'example.mjs');
    writeFileSync(file, code);
    const { stdout, stderr } = await run(process.execPath, [file], { cwd: dir, timeout: 20_000 });
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^200 \{\s*queuedMs: [\d.]+,\s*sendingMs: [\d.]+,\s*awaitingMs: [\d.]+,\s*receivingMs: [\d.]+\s*\}\s*$/,
    );
    expect(server.stats().streamsCompleted).toBe(1);
  });
});
