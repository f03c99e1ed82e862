// Builds the publishable package into dist/package: tsc over src/ and generated/, vendors openapi-fetch, and writes
// the fully dereferenced spec. `npm run build:package`; also npm's `prepare` (`--prepare`), which npm runs on
// `npm install`/`npm ci` in this repository, before `npm pack`/`npm publish`, and in the temporary clone it makes when
// the package is installed from a git URL (with the dev dependencies installed there).
//
// Dereferenced spec: generated/openapi.json with every $ref replaced by its target (`redocly bundle --dereferenced`),
// for tools that cannot follow $refs. Minified: only tools read it, and it would otherwise double the package's size.
//
// Why vendor: openapi-fetch 0.17 installs 241 KB (CJS and ESM copies, source maps, src/, changelog) plus 36 KB of
// openapi-typescript-helpers, for 17 KB of code that runs. Copying its ESM build and type declarations (MIT,
// licence kept beside them) keeps the installed runtime closure of this package under 300 KB with no runtime
// dependency at all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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

// Without the dev dependencies nothing can be built. `npm ci --omit=dev` in this repository runs prepare too, and
// failing would only break that install. But another project installing this checkout by path (a symlink to it)
// would get a package without its code, so that fails, saying what to do. (Installs from a git URL always have the
// dev dependencies: npm installs them in its temporary clone.)
if (process.argv.includes('--prepare') && !existsSync(join(modules, 'typescript'))) {
  const forOtherProject = process.env.INIT_CWD && resolve(process.env.INIT_CWD) !== resolve(root);
  if (forOtherProject) {
    console.error(`huaweicloud-vod-openapi: ${root} is not built and has no dev dependencies to build it; run \`npm ci\` there first, or install from a git URL or the packed tarball`);
    process.exit(1);
  }
  console.warn('prepare: dev dependencies are not installed; dist/package not built (npm run build:package builds it)');
  process.exit(0);
}

/** generated/openapi.json with no $ref left. */
function dereferencedSpec() {
  const dir = mkdtempSync(join(tmpdir(), 'vod-deref-'));
  try {
    const file = join(dir, 'openapi.json');
    execFileSync(join(modules, '.bin', 'redocly'), ['bundle', join(root, 'generated', 'openapi.json'), '--dereferenced', '-o', file], {
      cwd: root,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const text = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
    if (text.includes('"$ref"')) throw new Error('the dereferenced spec still has a $ref (a circular schema?)');
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
writeFileSync(join(out, 'openapi.dereferenced.json'), `${dereferencedSpec()}\n`);
console.log(`package built in ${relative(root, out)}`);
