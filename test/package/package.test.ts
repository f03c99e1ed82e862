// The package as users get it: npm pack, install the tarball into a fresh project, run a consumer against a local
// server, type-check it (a wrong body must be a type error), lint the package, and weigh its runtime closure.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { json, startServer } from '../helpers/server.js';

const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
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
`;

describe('the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-package-'));
  let tarball = '';
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer((req, res) => json(res, 200, { asset_id: 'f488337c31c8e4622f1590735b134c65', seen: req.headers.authorization?.slice(0, 15) }));
    run('npm', ['run', '--silent', 'build:package'], root);
    tarball = join(dir, run('npm', ['pack', '--silent', '--pack-destination', dir], root).trim().split('\n').at(-1)!);
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

  it('ships only what consumers need', () => {
    const files = run('tar', ['-tzf', tarball], dir).trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('dist/package/src/index.js');
    expect(files).toContain('dist/package/src/index.d.ts');
    expect(files).toContain('generated/openapi.json');
    expect(files).toContain('dist/package/vendor/openapi-fetch/LICENSE');
    expect(files.filter((f) => /^(src|test|spec|scripts|bench)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('installs alone (openapi-fetch is vendored), in at most 300 KB', () => {
    const modules = join(project(), 'node_modules');
    const installed = readdirSync(modules).filter((n) => !n.startsWith('.'));
    expect(installed).toEqual(['huaweicloud-vod-openapi']);
    const bytes = bytesUnder(modules);
    console.info(`runtime closure: ${(bytes / 1024).toFixed(1)} KiB`);
    expect(bytes).toBeLessThanOrEqual(300 * 1024);
  });

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
  });

  it('type-checks a correct consumer, and a wrong body is a type error', () => {
    const ok = spawnSync(bin('tsc'), ['-p', '.', '--noEmit'], { cwd: project(), encoding: 'utf8' });
    expect(ok.stdout + ok.stderr).toBe('');
    const wrong = spawnSync(bin('tsc'), ['-p', 'tsconfig.wrong.json'], { cwd: project(), encoding: 'utf8' });
    const errorLines = [...wrong.stdout.matchAll(/wrong-body\.ts\((\d+),\d+\): error (TS\d+)/g)].map((m) => Number(m[1]));
    // One error per wrong call: an unknown enum value, an unknown field, a missing required field, a wrong field name.
    expect([...new Set(errorLines)].sort((a, b) => a - b), wrong.stdout).toEqual([4, 5, 6, 7]);
  });

  it('passes publint and are-the-types-wrong (ESM-only profile)', () => {
    const publint = spawnSync(bin('publint'), ['--strict'], { cwd: root, encoding: 'utf8' });
    expect(publint.status, publint.stdout + publint.stderr).toBe(0);
    expect(publint.stdout).toContain('All good!');
    const attw = spawnSync(bin('attw'), [tarball, '--profile', 'esm-only'], { cwd: root, encoding: 'utf8' });
    expect(attw.status, attw.stdout + attw.stderr).toBe(0);
  });
});
