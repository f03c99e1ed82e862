// Builds the publishable package into dist/package: tsc over src/ and generated/, vendors openapi-fetch, and writes
// the fully dereferenced spec. `npm run build:package`; also npm's `prepare` (`--prepare`), which npm runs on
// `npm install`/`npm ci` in this repository, before `npm pack`/`npm publish`, and in the temporary clone it makes when
// the package is installed from a git URL (with the dev dependencies installed there).
//
// Dereferenced spec: generated/openapi.json with every $ref replaced by its target (see dereferencedSpec), for tools
// that cannot follow $refs. Minified: only tools read it, and it would otherwise double the package's size.
//
// Why vendor: openapi-fetch 0.17 installs 241 KB (CJS and ESM copies, source maps, src/, changelog) plus 36 KB of
// openapi-typescript-helpers, for 17 KB of code that runs. Copying its ESM build and type declarations (MIT,
// licence kept beside them) keeps the installed runtime closure of this package under 300 KB with no runtime
// dependency at all.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * The generated modules without their layout. generated/ is committed one statement (or one property) a line so that
 * its diffs can be read; shipped that way the Ajv validators alone would be 30 % of the installed package. The
 * validators are minified (their exported names and error messages stay), the error-code table loses only white space.
 */
async function compactGenerated() {
  const { transformSync } = await import('esbuild');
  const compact = (name, options) => {
    const file = join(out, 'generated', name);
    writeFileSync(file, transformSync(readFileSync(file, 'utf8'), { format: 'esm', target: 'es2022', ...options }).code);
  };
  // Not minified: esbuild's minification (even of white space alone) drops the /* @__PURE__ */ annotations that keep
  // the validators tree-shakable for the bundlers of applications.
  compact('validators.js', {});
  compact('error-codes.js', { minifyWhitespace: true });
}

/**
 * The main entry (`.`) for Node, Deno and Bun (the `node` condition) as one pre-bundled, minified module,
 * dist/package/index.node.js: they load one file instead of about a hundred (one per operation, the validators, the
 * client), which keeps the cold import of the whole client within its budget (20 ms on Node 24). Bundlers (the
 * `default` condition) get the modules under dist/package/src, one per operation, free of side effects
 * (`sideEffects: false`, and pure top-level statements in the validators): they keep only what an application
 * imports.
 * The modules under dist/package/src stay for the subpaths (signer) and for the type declarations.
 */
async function bundleMainEntry() {
  const { build } = await import('esbuild');
  const common = {
    entryPoints: [join(out, 'src', 'index.js')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    // The signer stays its own module, shared with the `./signer` subpath: one copy, and signRequest from either
    // entry is the same function.
    plugins: [
      {
        name: 'signer-external',
        setup(b) {
          b.onResolve({ filter: /\/signer\.js$/ }, () => ({ path: './src/signer.js', external: true }));
        },
      },
    ],
  };
  // The validators (most of the code) are loaded on the first validation, not at import: a CommonJS copy that the
  // bundle require()s then (node:module's createRequire, which Deno and Bun have too). Each export of the validators
  // module becomes a wrapper with the same contract (returns valid, sets `errors`).
  const validatorsFile = join(out, 'generated', 'validators.js');
  await build({ entryPoints: [validatorsFile], outfile: join(out, 'validators.cjs'), bundle: true, format: 'cjs', platform: 'node', target: 'es2022', minify: true, logLevel: 'warning' });
  // The export names, from the module itself (whatever form its export statements take).
  const names = Object.keys(await import(`${pathToFileURL(validatorsFile).href}?names`));
  if (names.length < 2) throw new Error('bundleMainEntry: found no validator exports');
  const lazyValidators = [
    "import { createRequire } from 'node:module';",
    'let loaded;',
    "const load = () => (loaded ??= createRequire(import.meta.url)('./validators.cjs'));",
    'const lazy = (name) => { const f = (data) => { const v = load()[name]; const ok = v(data); f.errors = v.errors; return ok; }; return f; };',
    ...names.map((n) => `export const ${n} = lazy(${JSON.stringify(n)});`),
  ].join('\n');
  await build({
    ...common,
    outfile: join(out, 'index.node.js'),
    // Minified, which halves the time to parse it: these runtimes load it as it is and tree-shake nothing.
    minify: true,
    keepNames: true,
    platform: 'node',
    plugins: [
      ...common.plugins,
      {
        name: 'lazy-validators',
        setup(b) {
          b.onResolve({ filter: /\/validators\.js$/ }, () => ({ path: 'lazy-validators', namespace: 'lazy' }));
          b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({ contents: lazyValidators, loader: 'js' }));
        },
      },
    ],
  });
}

/**
 * generated/openapi.json with no $ref left, for tools that cannot follow them: every `$ref` replaced by a copy of its
 * target. A recursive schema (QueryCategoryRsp's `children`: the category tree) cannot be copied completely, so where
 * a `$ref` would recurse its target is copied RECURSION_DEPTH times (the tree has at most three levels: 一级, 二级,
 * 三级分类) and the innermost copy says that the recursion was cut. (redocly's `bundle --dereferenced` refuses a
 * circular reference.)
 */
const RECURSION_DEPTH = 3;
function dereferencedSpec() {
  const document = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
  const target = (ref) =>
    ref
      .replace(/^#\//, '')
      .split('/')
      .map((key) => key.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at, key) => at?.[key], document);
  const inline = (node, stack) => {
    if (Array.isArray(node)) return node.map((n) => inline(n, stack));
    if (!node || typeof node !== 'object') return node;
    if (typeof node.$ref === 'string') {
      const { $ref, ...rest } = node;
      if (stack.filter((r) => r === $ref).length >= RECURSION_DEPTH) {
        return { ...rest, type: 'object', description: `${$ref.split('/').pop()} (recursive; this copy stops after ${RECURSION_DEPTH} levels)` };
      }
      const resolved = target($ref);
      if (resolved === undefined) throw new Error(`dereferencing: ${$ref} does not resolve`);
      return { ...inline(resolved, [...stack, $ref]), ...rest };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, stack)]));
  };
  const text = JSON.stringify(inline(document, []));
  if (text.includes('"$ref"')) throw new Error('the dereferenced spec still has a $ref');
  return text;
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
await compactGenerated();
await bundleMainEntry();
// The command line (`bin`): one executable file with its libraries bundled in (src/cli/bundle.mjs).
await (await import('../src/cli/bundle.mjs')).bundleCli(join(out, 'cli.js'));
writeFileSync(join(out, 'openapi.dereferenced.json'), `${dereferencedSpec()}\n`);
console.log(`package built in ${relative(root, out)}`);
