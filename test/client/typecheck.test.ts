// The whole project type-checks (src, generated, tests, scripts): vitest strips types without checking them, so a
// type error in a test or in a generated declaration would otherwise pass `npm test` unseen.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';

it('tsc -p tsconfig.json reports no error', () => {
  let output = '';
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(root, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
}, 120_000);
