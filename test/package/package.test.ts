// The package as users get it: npm pack, install the tarball into a fresh project, run a consumer against a local
// server, type-check it (a wrong body must be a type error), lint the package, and weigh its runtime closure.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgets, readmeExample } from '../../bench/budgets.mjs';
import { root } from '../../scripts/paths.mjs';
import { json, startServer } from '../helpers/server.js';
import { npmEnv, packInto, sourceCopy } from './pack.js';

// Steps that run tsc or npm: seconds on an idle machine, much longer on a busy one.
const slow = 120_000;
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: npmEnv() });

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Link targets of a Markdown document: inline links and images, reference definitions, HTML href/src. */
function readmeLinks(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [
    ...[...text.matchAll(/!?\[[^\]]*\]\(\s*(?:<([^>]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => (m[1] ?? m[2])!),
    ...[...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]!),
  ];
}

const consumerTs = `
import { createVodClient, signRequest, VodValidationError, type PublishAssetFromObsBody } from 'huaweicloud-vod-openapi';
import { signRequest as signAlone } from 'huaweicloud-vod-openapi/signer';

declare const process: { argv: string[] }; // no @types/node in this project: the package needs none

const vod = createVodClient({ projectId: 'p1', endpoint: process.argv[2] ?? 'http://127.0.0.1:1', credentials: { ak: 'AK', sk: 'SK' } });
const body: PublishAssetFromObsBody = { video_type: 'MP4', title: 'Launch', input: { bucket: 'b', location: 'cn-north-4', object: 'o.mp4' } };
const { data, error, response } = await vod.publishAssetFromObs(body);
const assetId: string | undefined = data?.asset_id;
const code: string | undefined = error?.error_code;
let rejected = '';
try {
  await vod.publishAssetFromObs({ ...body, title: '视'.repeat(43) });
} catch (e) {
  if (e instanceof VodValidationError) rejected = e.message;
}
const signed = await signAlone(new Request('https://vod.cn-north-4.myhuaweicloud.com/x'), { ak: 'AK', sk: 'SK' });
console.log(JSON.stringify({ status: response.status, assetId, code, rejected, same: signRequest === signAlone, auth: signed.headers.get('authorization') }));
`;

const wrongBodyTs = `
import { createVodClient } from 'huaweicloud-vod-openapi';
const vod = createVodClient({ projectId: 'p1', credentials: { token: 't' } });
await vod.publishAssetFromObs({ video_type: 'MP5', title: 'x', input: { bucket: 'b', location: 'l', object: 'o' } });
await vod.publishAssetFromObs({ video_type: 'MP4', title: 'x', input: { bucket: 'b', location: 'l', object: 'o' }, bucket: 'b' });
await vod.publishAssetFromObs({ video_type: 'MP4', title: 'x' });
await vod.createSmartCover({ asset: 'x' });
createVodClient({ projectId: 'p1', credentials: { token: 't', ak: 'a', sk: 's' } });
`;

describe('the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-package-'));
  let tarball = '';
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer((req, res) => json(res, 200, { asset_id: 'f488337c31c8e4622f1590735b134c65', seen: req.headers.authorization?.slice(0, 15) }));
    tarball = packInto(dir);
    mkdirSync(join(dir, 'extracted'));
    run('tar', ['-xzf', tarball, '-C', join(dir, 'extracted')], dir);
    const project = join(dir, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    writeFileSync(join(project, 'consumer.ts'), consumerTs);
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong-body.ts'] }));
    writeFileSync(join(project, 'wrong-body.ts'), wrongBodyTs);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        files: ['consumer.ts'],
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, types: [], skipLibCheck: false },
      }),
    );
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const project = () => join(dir, 'consumer');

  const packed = () => run('tar', ['-tzf', tarball], dir).trim().split('\n').map((f) => f.replace(/^package\//, ''));

  it('ships only what consumers need', () => {
    const files = packed();
    // The documents beside the code: licence, readme, changelog, the benchmark report and the two guides the readme
    // links to; and the command line's launcher.
    expect(files.filter((f) => !f.startsWith('dist/package/') && !f.startsWith('bin/')).sort()).toEqual(
      ['CHANGELOG.md', 'LICENSE', 'README.md', 'bench/results.md', 'docs/simulator-guide.md', 'docs/upload-guide.md', 'generated/openapi.json', 'package.json'],
    );
    expect(files).toContain('dist/package/index.node.js');
    expect(files).toContain('dist/package/src/index.js');
    expect(files).toContain('dist/package/src/index.d.ts');
    expect(files).toContain('dist/package/openapi.dereferenced.json');
    expect(files).toContain('dist/package/vendor/openapi-fetch/LICENSE');
    // Compiled code and declarations only: no TypeScript sources, maps or test files.
    // (validators.cjs: the validators that the Node entry loads on first use.)
    expect(files.filter((f) => f.startsWith('dist/package/') && !/(\.js|\.d\.ts|\/LICENSE|\/VERSION|\/openapi\.dereferenced\.json|\/validators\.cjs)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|spec|scripts)\//.test(f))).toEqual([]);
  });

  it('ships the MIT licence and the changelog, with the version of this package in both the spec and the changelog', () => {
    const pkg = join(dir, 'extracted', 'package');
    const { version, license } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(license).toBe('MIT');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(readFileSync(join(pkg, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${version.replaceAll('.', '\\.')}\\b`, 'm'));
    expect(JSON.parse(readFileSync(join(pkg, 'generated', 'openapi.json'), 'utf8')).info.version).toBe(version);
  });

  it('every relative link in the packed README resolves to a file in the package', () => {
    const files = new Set(packed());
    const readme = readFileSync(join(dir, 'extracted', 'package', 'README.md'), 'utf8');
    const links = readmeLinks(readme);
    expect(links.length).toBeGreaterThan(0);
    const relative = links.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l) && !l.startsWith('#'));
    const broken = relative.filter((l) => !files.has(posix.normalize(decodeURI(l.split('#')[0]!))));
    expect(broken, 'relative links to files the package does not ship (make them absolute URLs or remove them)').toEqual([]);
    // The link finder itself: it must see a relative link, and skip code.
    const sample = '[a](test/x.md) ![i](<b c.png>)\n[r]: ./d.md\n<a href="e.md">e</a> `[no](f.md)` [w](https://x.y/z "t")\n```\n[g](g.md)\n```';
    expect(readmeLinks(sample)).toEqual(['test/x.md', 'b c.png', 'https://x.y/z', './d.md', 'e.md']);
  });

  it('npm publish --dry-run is clean', () => {
    const copy = sourceCopy(join(dir, 'publish'));
    const result = spawnSync('npm', ['publish', '--dry-run'], { cwd: copy, encoding: 'utf8', env: npmEnv({ npm_config_loglevel: 'notice' }) });
    expect(result.status, result.stderr).toBe(0);
    // Not about the package: the warning a dry run gives when not logged in to the registry, and the machine's own
    // npm configuration (~/.npmrc, npm_config_* variables). A project .npmrc would still count.
    const machine = /requires you to be logged in|Unknown (user|env|global) config/;
    const warnings = result.stderr.split('\n').filter((l) => /^npm (warn|error)/i.test(l) && !machine.test(l));
    expect(warnings).toEqual([]);
    expect(result.stderr).toMatch(/npm notice total files: \d+/);
  }, slow);

  // The budget is the whole installed package, code and shipped spec documents: at most 8 MB (the official SDK:
  // 14.4 MB in 47 packages). The code a runtime loads and the documents beside it are weighed and reported apart.
  it('installs alone (openapi-fetch is vendored), within 8 MB with its spec documents', () => {
    const modules = join(project(), 'node_modules');
    const installed = readdirSync(modules).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual(['huaweicloud-vod-openapi']);
    const pkg = join(modules, 'huaweicloud-vod-openapi');
    const code = ['dist/package/src', 'dist/package/generated', 'dist/package/vendor'].reduce((n, d) => n + bytesUnder(join(pkg, d)), 0)
      + statSync(join(pkg, 'dist/package/index.node.js')).size + statSync(join(pkg, 'package.json')).size;
    const total = bytesUnder(modules);
    console.info(`installed: ${(total / 1e6).toFixed(2)} MB, of which code ${(code / 1e6).toFixed(2)} MB and documents ${((total - code) / 1e6).toFixed(2)} MB`);
    expect(total).toBeLessThanOrEqual(8_000_000);
  });

  // The bundle budgets of the README's "Keeping bundles small", bundled as they stand from the installed package (as
  // npm run bench:budgets does): sizes are deterministic, so they are checked here, unlike times.
  it("the README's examples bundle within their budgets: the job ≤ 25 KB, one operation ≤ 85 % of it, every operation ≤ 80 KB (gzip)", async () => {
    const { build } = await import('esbuild');
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const gzipOf = async (name: string, code: string) => {
      const entry = join(project(), `${name}.ts`);
      writeFileSync(entry, code);
      const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, logLevel: 'error' });
      return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
    };
    const job = await gzipOf('budget-job', readmeExample(readme, 'job'));
    const one = await gzipOf('budget-one', readmeExample(readme, 'one-operation'));
    const all = await gzipOf('budget-all', readmeExample(readme, 'job').replace(/createVodCore\(\{([\s\S]*?)operations: \[[^\]]*\],\n\}\)/, 'createVodClient({$1})').replace('import { createVodCore,', 'import { createVodClient, createVodCore,'));
    console.info(`bundles (gzip): job ${job} B, one operation ${one} B, every operation ${all} B`);
    expect(job).toBeLessThanOrEqual(budgets.job);
    expect(one).toBeLessThanOrEqual(job * budgets.oneOperationShare);
    expect(all).toBeGreaterThan(job * 2); // the createVodClient variant really carries every operation
    expect(all).toBeLessThanOrEqual(budgets.allOperations);
  }, slow);

  it('runs from the temporary project: signs, sends, validates', async () => {
    // The consumer compiled by tsc to plain JavaScript, so that node runs it as a user's project would.
    run(bin('tsc'), ['-p', '.', '--noEmit', 'false', '--outDir', 'out', '--rootDir', '.'], project());
    // Asynchronously: the local server answering it lives in this process.
    const { stdout: output } = await promisify(execFile)('node', [join('out', 'consumer.js'), server.url], { cwd: project() });
    const result = JSON.parse(output.trim().split('\n').at(-1)!);
    expect(result).toMatchObject({ status: 200, assetId: 'f488337c31c8e4622f1590735b134c65', same: true });
    expect(result.rejected).toBe('Invalid PublishAssetFromObs request body: title: exceeds 128 UTF-8 bytes');
    expect(result.auth).toMatch(/^SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=AK, /);
  }, slow);

  it('type-checks a correct consumer, and a wrong body is a type error', () => {
    const ok = spawnSync(bin('tsc'), ['-p', '.', '--noEmit'], { cwd: project(), encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    const wrong = spawnSync(bin('tsc'), ['-p', 'tsconfig.wrong.json'], { cwd: project(), encoding: 'utf8' });
    const errorLines = [...wrong.stdout.matchAll(/wrong-body\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => Number(m[1]));
    // One error per wrong call: an unknown enum value, an unknown field, a missing required field, a wrong field
    // name, and credentials that mix a token with AK/SK.
    expect([...new Set(errorLines)].sort((a, b) => a - b), wrong.stdout).toEqual([4, 5, 6, 7, 8]);
  }, slow);

  it('passes publint and are-the-types-wrong (ESM-only profile)', () => {
    const publint = spawnSync(bin('publint'), ['--strict'], { cwd: root, encoding: 'utf8' });
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = spawnSync(bin('attw'), [tarball, '--profile', 'esm-only'], { cwd: root, encoding: 'utf8' });
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
  }, slow);
});
