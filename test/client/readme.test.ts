// The README's example of the whole job type-checks against the client as it is, so that the first code a user
// copies cannot rot unseen.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';

it("the README's example of the whole job type-checks", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The client'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'a ```ts block under "## The client"').toBeDefined();
  expect(code).toContain('waitForAsset');
  const dir = mkdtempSync(join(tmpdir(), 'vod-readme-'));
  try {
    const file = join(dir, 'example.mts'); // an ES module: the example awaits at the top level
    writeFileSync(file, code!.replace("from 'huaweicloud-vod-openapi'", `from '${join(root, 'src', 'index.js')}'`));
    const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck'];
    const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), [...args, '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', file], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
