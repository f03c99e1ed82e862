// The package is ES modules only. A new user's project is CommonJS (`npm init -y` writes "type": "commonjs"), where
// the README's example, with its top-level await, does not compile. Each way the README gives to use the package is
// tried here in a fresh project with the packed package installed, compiled by the repository's tsc as a user's
// code would be, and run by node: "type": "module", a .mts file in a CommonJS project, require() of the ES module
// from CommonJS (Node 20.19+ and 22.12+: run on every pinned Node line of the runtime matrix), and a dynamic import().
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { binaryOf, runtimes } from '../../scripts/runtimes.mjs';
import { startFakeVod } from '../helpers/fake-vod.js';
import { npmEnv, packInto } from './pack.js';

const run = promisify(execFile);
const ci = process.env.CI === 'true';

// Every consumer makes the same call against the fake VOD and reports which module system it ran in: `require` is
// a function only in CommonJS.
const call = `
  const vod = createVodClient({ projectId: 'p1', endpoint: process.argv[2]!, credentials: { token: 't' } });
  const { response } = await vod.updateBucketAuthorized({ bucket: 'media-in', operation: '1' });
  console.log(JSON.stringify({ status: response.status, commonjs: typeof require === 'function' }));`;
const declarations = 'declare const process: { argv: string[] };\ndeclare const require: unknown;\n';

// The README's shape: an ES module that awaits at the top level.
const topLevel = `${declarations}import { createVodClient } from 'huaweicloud-vod-openapi';\n${call}\n`;
// CommonJS: tsc (module nodenext) turns the static import into require(); no top-level await, so a main function.
const required = `${declarations}import { createVodClient } from 'huaweicloud-vod-openapi';\nasync function main() {${call}\n}\nvoid main();\n`;
// CommonJS on any Node line: a dynamic import() stays an import() in tsc's CommonJS output.
const imported = `${declarations}async function main() {\n  const { createVodClient } = await import('huaweicloud-vod-openapi');${call}\n}\nvoid main();\n`;
// Plain JavaScript in CommonJS, no compiler.
const requiredJs = `const { createVodClient } = require('huaweicloud-vod-openapi');
(async () => {${call.replace('process.argv[2]!', 'process.argv[2]')}
})();
`;

const compilerOptions = { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['ES2022', 'DOM'], strict: true, types: [], outDir: 'out' };

let dir = '';
let tarball = '';
let fake: Awaited<ReturnType<typeof startFakeVod>>;

/** A fresh project as `npm init -y` makes it (so "type": "commonjs"), with the packed package installed and `files` written. */
async function project(name: string, files: Record<string, string>, packageJson: Record<string, unknown> = {}) {
  const path = join(dir, name);
  mkdirSync(path);
  await run('npm', ['init', '-y'], { cwd: path, env: npmEnv() });
  const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
  writeFileSync(join(path, 'package.json'), JSON.stringify({ ...pkg, ...packageJson }, null, 2));
  await run('npm', ['install', '--omit=dev', tarball], { cwd: path, env: npmEnv() });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

/** Compiles the project's .ts/.mts files with the repository's tsc; returns tsc's output ('' when it compiled cleanly). */
async function tsc(path: string, files: string[]) {
  writeFileSync(join(path, 'tsconfig.json'), JSON.stringify({ files, compilerOptions }));
  try {
    await run(join(root, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: path });
    return '';
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return stdout + stderr;
  }
}

/** Runs `file` with `node` against the fake VOD; returns what it printed last, parsed, and anything on stderr. */
async function runWith(node: string, path: string, file: string) {
  const { stdout, stderr } = await run(node, [file, fake.url], { cwd: path });
  return { ...JSON.parse(stdout.trim().split('\n').at(-1)!), stderr };
}

// The pinned Node lines: the test's own node, and every pinned binary that is installed (in CI, all of them).
const nodeLines = runtimes.filter((r) => r.id.startsWith('node'));
function nodes(): [string, string][] {
  const found: [string, string][] = [[`node ${process.version} (running the tests)`, process.execPath]];
  for (const runtime of nodeLines) {
    const bin = binaryOf(runtime);
    if (bin) found.push([`Node ${runtime.version}`, bin]);
    else if (ci) throw new Error(`${runtime.package}@${runtime.version} is not installed (npm run runtimes); CI must run every Node line`);
    else console.warn(`test/package/module-formats: Node ${runtime.version} skipped: not installed (npm run runtimes)`);
  }
  return found;
}

const projects: Record<string, string> = {};
const compiled: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vod-module-formats-'));
  fake = await startFakeVod();
  tarball = packInto(dir);
  // Installs one after another (parallel npm installs contend for its cache), compiles side by side.
  projects.module = await project('type-module', { 'example.ts': topLevel }, { type: 'module' });
  projects.mts = await project('mts', { 'example.mts': topLevel });
  projects.require = await project('require', { 'example.ts': required, 'example.cjs': requiredJs, 'top-level.ts': topLevel });
  projects.import = await project('import', { 'example.ts': imported });
  // top-level.ts is compiled with example.ts: tsc still writes out/example.js, and reports what it refuses.
  const inputs: Record<string, string[]> = { module: ['example.ts'], mts: ['example.mts'], require: ['example.ts', 'top-level.ts'], import: ['example.ts'] };
  await Promise.all(Object.entries(inputs).map(async ([name, files]) => (compiled[name] = await tsc(projects[name]!, files))));
}, 300_000); // packing builds the package: slow on a busy machine
afterAll(async () => {
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the package from a new project', () => {
  it('npm init -y makes a CommonJS project, where the README example (top-level await) does not compile', () => {
    expect(JSON.parse(readFileSync(join(projects.require!, 'package.json'), 'utf8')).type).toBe('commonjs');
    // Only top-level.ts is refused, for its top-level await; example.ts beside it compiles.
    const errors = compiled.require!.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/^top-level\.ts\(\d+,\d+\): error TS1309: The current file is a CommonJS module and cannot use 'await' at the top level/);
  });

  it('"type": "module": the example as it is', async () => {
    expect(compiled.module).toBe('');
    const result = await runWith(process.execPath, projects.module!, 'out/example.js');
    expect(result).toEqual({ status: 200, commonjs: false, stderr: '' });
  });

  it('a .mts file in a CommonJS project: the example as it is', async () => {
    expect(compiled.mts).toBe('');
    const result = await runWith(process.execPath, projects.mts!, 'out/example.mjs');
    expect(result).toEqual({ status: 200, commonjs: false, stderr: '' });
  });

  it('CommonJS, require() of the ES module (tsc output and plain JavaScript), on every pinned Node line', async () => {
    expect(readFileSync(join(projects.require!, 'out/example.js'), 'utf8')).toContain('require("huaweicloud-vod-openapi")');
    for (const [name, node] of nodes()) {
      for (const file of ['out/example.js', 'example.cjs']) {
        const result = await runWith(node, projects.require!, file);
        // Not even a warning: these lines load an ES module from node_modules with require() as a stable feature.
        expect(result, `${name}: ${file}`).toEqual({ status: 200, commonjs: true, stderr: '' });
      }
    }
  });

  it('CommonJS, a dynamic import(), on every pinned Node line', async () => {
    expect(compiled.import).toBe('');
    expect(readFileSync(join(projects.import!, 'out/example.js'), 'utf8')).toContain("await import('huaweicloud-vod-openapi')");
    for (const [name, node] of nodes()) {
      const result = await runWith(node, projects.import!, 'out/example.js');
      expect(result, name).toEqual({ status: 200, commonjs: true, stderr: '' });
    }
  });

  it('the README says, where the example is, that the package is ES modules only and how to use it from CommonJS', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## The client'));
    const beforeExample = section.slice(0, section.indexOf('```ts'));
    expect(beforeExample).toMatch(/ES modules only/);
    for (const way of ['"type": "module"', '.mts', 'npm init -y', 'require(', 'import(', '20.19', '22.12', '"module": "nodenext"']) {
      expect(section.slice(0, section.indexOf('- **One method per operation**')), way).toContain(way);
    }
  });
});
