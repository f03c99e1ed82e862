// Builds the publishable package into dist/package: tsc over src/ and generated/, then vendors openapi-fetch.
//
// Why vendor: openapi-fetch 0.17 installs 241 KB (CJS and ESM copies, source maps, src/, changelog) plus 36 KB of
// openapi-typescript-helpers, for 17 KB of code that runs. Copying its ESM build and type declarations (MIT,
// licence kept beside them) keeps the installed runtime closure of this package under 300 KB with no runtime
// dependency at all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { root } from './paths.mjs';

const out = join(root, 'dist', 'package');
const modules = join(root, 'node_modules');
const vendor = join(out, 'vendor');

const vendored = {
  'openapi-fetch': { js: 'dist/index.mjs', dts: 'dist/index.d.mts' },
  'openapi-typescript-helpers': { js: 'dist/index.mjs', dts: 'dist/index.d.mts' },
};

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

// Points bare imports of the vendored packages at their copies, relative to `file`.
function rewriteImports(file) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/(from\s+|import\()(['"])(openapi-fetch|openapi-typescript-helpers)\2/g, (_, lead, quote, name) => {
    let target = relative(dirname(file), join(vendor, name, 'index.js')).replaceAll('\\', '/');
    if (!target.startsWith('.')) target = `./${target}`;
    return `${lead}${quote}${target}${quote}`;
  });
  if (next !== text) writeFileSync(file, next);
}

rmSync(out, { recursive: true, force: true });
execFileSync(join(modules, '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

for (const [name, { js, dts }] of Object.entries(vendored)) {
  const from = join(modules, name);
  const to = join(vendor, name);
  mkdirSync(to, { recursive: true });
  copyFileSync(join(from, js), join(to, 'index.js'));
  copyFileSync(join(from, dts), join(to, 'index.d.ts'));
  copyFileSync(join(from, 'LICENSE'), join(to, 'LICENSE'));
  const { version, license } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
  writeFileSync(join(to, 'VERSION'), `${name}@${version} (${license}), vendored by scripts/package.mjs\n`);
}
for (const file of files(out)) if (/\.(js|d\.ts)$/.test(file)) rewriteImports(file);
console.log(`package built in ${relative(root, out)}`);
