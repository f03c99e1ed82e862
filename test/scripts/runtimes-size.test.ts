// The README tells a user what `npm run runtimes` costs on disk before they run it: the figure must match what the
// pinned runtimes take in .runtimes/ (measured as `du` does, allocated blocks), within 15 %: a new pin changes it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { binaryOf, runtimes, runtimesDir } from '../../scripts/runtimes.mjs';

const missing = runtimes.filter((r) => !binaryOf(r)).map((r) => `${r.package}@${r.version}`);
const ci = process.env.CI === 'true';
if (missing.length && ci) throw new Error(`test/scripts/runtimes-size: ${missing.join(', ')} not installed (npm run runtimes); CI installs them`);
if (missing.length) console.warn(`test/scripts/runtimes-size skipped: ${missing.join(', ')} not installed (npm run runtimes)`);

it.skipIf(missing.length > 0)("the README's size of .runtimes/ is what npm run runtimes installs", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const stated = [...readme.matchAll(/(\d+) MB on disk/g)].map((m) => Number(m[1]));
  expect(stated.length, 'the README states the size on disk ("<n> MB on disk")').toBeGreaterThan(0);
  const megabytes = Number(execFileSync('du', ['-s', '--block-size=1M', runtimesDir], { encoding: 'utf8' }).split('\t')[0]);
  for (const size of stated) {
    expect(Math.abs(size - megabytes) / megabytes, `README says ${size} MB, du says ${megabytes} MB`).toBeLessThan(0.15);
  }
});
