// Packs the package as `npm pack` does for a user (prepare builds dist/package, then the `files` are packed), from a
// private copy of the working tree: test files run in parallel, and two builds into the repository's own dist/ would
// delete each other's output. The copy shares the repository's node_modules.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../../scripts/paths.mjs';

// What scripts/package.mjs reads to build dist/package, and what package.json's `files` takes from the repository.
const { files } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
const sources = [
  ...new Set(['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'generated', 'scripts', 'src', ...files.filter((f) => !f.startsWith('dist/'))]),
];

/** The environment for npm in tests: quiet, offline-first, without the machine's unrelated config warnings. */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_loglevel: 'error', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...extra };
  // npm itself exports npm_config_* to the scripts it runs (vitest under `npm test`); they are not ours to pass on.
  delete env.npm_config_nodedir;
  delete env.INIT_CWD;
  return env;
}

/** A copy of the working tree in `dir`/source, ready for npm pack / npm publish. */
export function sourceCopy(dir: string): string {
  const copy = join(dir, 'source');
  mkdirSync(copy, { recursive: true });
  for (const path of sources) cpSync(join(root, path), join(copy, path), { recursive: true });
  if (!existsSync(join(copy, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

/** `npm pack` of a copy of the working tree into `dir`; returns the tarball's path. */
export function packInto(dir: string): string {
  const copy = sourceCopy(dir);
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: copy, encoding: 'utf8', env: npmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  // prepare's own output comes first, on the same stdout.
  const [packed] = JSON.parse(output.slice(output.search(/^\[/m))) as { filename: string }[];
  return join(dir, packed!.filename);
}
