// Installing without the registry, as a user would: from a git URL (npm clones the repository at HEAD, installs the
// dev dependencies in its clone, runs `prepare`, and installs what `files` lists) and from a local checkout by path.
// The commit under test is HEAD: uncommitted changes are not in a clone. In CI, HEAD is the commit being tested.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { json, startServer } from '../helpers/server.js';
import { npmEnv } from './pack.js';

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
let head = '';
try {
  head = git('rev-parse', 'HEAD');
} catch {
  if (process.env.CI === 'true') throw new Error('CI must run test/package/install.test.ts from a git checkout');
  console.warn('test/package/install.test.ts skipped: not a git checkout');
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// An ES module consumer, in plain JavaScript as in most projects.
const consumer = `
import { createVodClient, VodValidationError } from 'huaweicloud-vod-openapi';
import spec from 'huaweicloud-vod-openapi/openapi.dereferenced.json' with { type: 'json' };
const vod = createVodClient({ projectId: 'p1', endpoint: process.argv[2], credentials: { token: 'installed-token' } });
const body = { video_type: 'MP4', title: 'Launch', input: { bucket: 'b', location: 'cn-north-4', object: 'o.mp4' } };
const { data, response } = await vod.publishAssetFromObs(body);
let rejected = '';
try { await vod.publishAssetFromObs({ ...body, video_type: 'MP5' }); } catch (e) { if (e instanceof VodValidationError) rejected = e.name; }
console.log(JSON.stringify({ status: response.status, assetId: data?.asset_id, rejected, specVersion: spec.info.version, refs: JSON.stringify(spec).includes('"$ref"') }));
`;

function project(dir: string, name: string) {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  writeFileSync(join(path, 'consumer.mjs'), consumer);
  return path;
}

const npmInstall = (cwd: string, spec: string) =>
  spawnSync('npm', ['install', spec], { cwd, encoding: 'utf8', env: npmEnv() });

describe.skipIf(!head)(`installing commit ${head.slice(0, 7)} without the registry`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-install-'));
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer((req, res) => json(res, 200, { asset_id: 'f488337c31c8e4622f1590735b134c65', token: req.headers['x-auth-token'] }));
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runConsumer(cwd: string) {
    const before = server.requests.length;
    const { stdout } = await promisify(execFile)(process.execPath, ['consumer.mjs', server.url], { cwd });
    const sent = server.requests.slice(before);
    // One request: the invalid body was refused before sending.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.headers['x-auth-token']).toBe('installed-token');
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  }

  it('npm install git+file://…#HEAD builds the package in npm\'s clone and it runs', async () => {
    const consumerDir = project(dir, 'from-git');
    const url = `git+file://${root}#${head}`;
    const install = npmInstall(consumerDir, url);
    expect(install.status, install.stderr).toBe(0);
    const installed = join(consumerDir, 'node_modules', 'huaweicloud-vod-openapi');
    for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'dist/package/src/index.js', 'dist/package/openapi.dereferenced.json']) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(installed, 'src')), 'sources are not installed').toBe(false);
    const lock = JSON.parse(readFileSync(join(consumerDir, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/huaweicloud-vod-openapi'].resolved).toContain(head);
    expect(await runConsumer(consumerDir)).toEqual({
      status: 200,
      assetId: 'f488337c31c8e4622f1590735b134c65',
      rejected: 'VodValidationError',
      specVersion: pkg.version,
      refs: false,
    });
  }, 240_000);

  it('npm install <path> links a checkout that has its dev dependencies, and fails saying so on one that has not', async () => {
    const checkout = join(dir, 'checkout');
    execFileSync('git', ['clone', '--quiet', '--no-checkout', root, checkout]);
    execFileSync('git', ['-C', checkout, 'checkout', '--quiet', head]);

    const bare = npmInstall(project(dir, 'from-bare-path'), checkout);
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toContain(`${checkout} is not built and has no dev dependencies to build it; run \`npm ci\` there first`);

    // As after `npm ci` in the checkout (its dev dependencies are this repository's).
    symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const consumerDir = project(dir, 'from-path');
    const install = npmInstall(consumerDir, checkout);
    expect(install.status, install.stderr).toBe(0);
    expect(existsSync(join(checkout, 'dist', 'package', 'src', 'index.js'))).toBe(true);
    expect(await runConsumer(consumerDir)).toMatchObject({ status: 200, rejected: 'VodValidationError', specVersion: pkg.version });
  }, 120_000);
});
