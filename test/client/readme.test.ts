// The README's examples type-check against the client as it is, so that the first code a user copies cannot rot
// unseen: the whole job under "## The client", and the two examples of "Keeping bundles small" that
// npm run bench:budgets bundles (each right after its `<!-- bundle-budget: … -->` marker).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readmeExample } from '../../bench/budgets.mjs';
import { root } from '../../scripts/paths.mjs';

const readme = readFileSync(join(root, 'README.md'), 'utf8');

function typeCheck(code: string) {
  const dir = mkdtempSync(join(tmpdir(), 'vod-readme-'));
  try {
    const file = join(dir, 'example.mts'); // an ES module: the examples await at the top level
    writeFileSync(file, code.replace("from 'huaweicloud-vod-openapi'", `from '${join(root, 'src', 'index.js')}'`));
    const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--skipLibCheck'];
    const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), [...args, '--typeRoots', join(root, 'node_modules/@types'), '--types', 'node', file], { encoding: 'utf8' });
    return tsc.stdout + tsc.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it("the README's example of the whole job type-checks", () => {
  const section = readme.slice(readme.indexOf('## The client'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code, 'a ```ts block under "## The client"').toBeDefined();
  expect(code).toContain('waitForAsset');
  expect(typeCheck(code!)).toBe('');
}, 120_000);

it.each(['job', 'one-operation'])('the README\'s "%s" bundle-budget example type-checks and uses the bare client', (name) => {
  const code = readmeExample(readme, name);
  expect(code).toContain('createVodCore');
  expect(code).not.toContain('createVodClient');
  expect(typeCheck(code)).toBe('');
}, 120_000);
