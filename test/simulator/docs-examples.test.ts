// The vitest examples of README.md ("Test your code offline") and docs/simulator-guide.md run as they are written:
// each is written to a scratch directory with its package imports pointed at the sources, and run by vitest in a
// child process. An example that no longer passes fails here, with vitest's output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../helpers/spec.js';

/** The first ```ts block after `heading` in `file`. */
function example(file: string, heading: string): string {
  const text = readFileSync(join(root, file), 'utf8');
  const at = text.indexOf(heading);
  expect(at, `${file}: "${heading}"`).toBeGreaterThanOrEqual(0);
  const code = /```ts\n([\s\S]*?)```/.exec(text.slice(at))?.[1];
  expect(code, `${file}: a \`\`\`ts block after "${heading}"`).toBeDefined();
  return code!;
}

it.each([
  ['README.md', '## Test your code offline'],
  ['docs/simulator-guide.md', '## In a Node test'],
])('the vitest example of %s passes', (file, heading) => {
  const code = example(file, heading)
    .replace("from 'huaweicloud-vod-openapi/simulator'", `from '${join(root, 'src', 'simulator', 'index.ts')}'`)
    .replace("from 'huaweicloud-vod-openapi'", `from '${join(root, 'src', 'index.ts')}'`);
  expect(code).toContain('startVodSimulator');
  const dir = join(root, 'dist', 'simulator-examples', file.replace(/[^a-z]+/gi, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'example.test.ts'), code);
  // Its own config: the repository's would look for test/**/*.test.ts.
  writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['example.test.ts'] } };\n");
  try {
    const args = ['run', '--root', dir, '--config', join(dir, 'vitest.config.mjs'), '--reporter', 'dot'];
    const run = spawnSync(join(root, 'node_modules', '.bin', 'vitest'), args, { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 passed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
