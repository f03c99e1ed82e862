// The runtime matrix: the packed package, installed into a temporary project, on every pinned runtime
// (scripts/runtimes.mjs: Node 20/22/24/26, Deno, Bun) and in headless Chromium (an esbuild bundle served from
// 127.0.0.1). Each runs test/runtimes/probe.mjs: a call with a token and one with AK/SK against a local server that
// checks the signature, a bad body refused before sending, a typed network error, and the signatures of fixed
// requests at fixed dates, which must equal Huawei's published vector and this process's own signer.
// Runtimes come from `npm run runtimes` (.ci/run runs it). In CI a missing one fails; elsewhere it is skipped, saying so.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { freePort } from '../../scripts/prism.mjs';
import { binaryOf, chromiumPath, runtimes, runtimesTable, unsupportedPlatform } from '../../scripts/runtimes.mjs';
import { signHeaders } from '../../src/signer.js';
import { json, startServer, type Recorded } from '../helpers/server.js';
import { npmEnv, packInto } from '../package/pack.js';

const ci = process.env.CI === 'true';
const platform = unsupportedPlatform();
const assetId = 'f488337c31c8e4622f1590735b134c65';
const credentials = { ak: 'MATRIXAK', sk: 'matrix-sk' };

/** Why a runtime cannot run here (undefined when it can); in CI that is a failure, not a skip. */
function missing(id: string): string | undefined {
  if (id === 'chromium') return existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath} (apt-get install chromium)`;
  if (platform) return platform;
  const runtime = runtimes.find((r) => r.id === id)!;
  return binaryOf(runtime) ? undefined : `${runtime.package}@${runtime.version} is not installed (npm run runtimes)`;
}
const matrix = [...runtimes.map((r) => ({ id: r.id, name: `${r.name} ${r.version}` })), { id: 'chromium', name: 'Chromium (headless)' }];
for (const { id, name } of matrix) {
  const reason = missing(id);
  if (reason && ci) throw new Error(`test/runtimes: ${name}: ${reason}; CI must run every runtime`);
  if (reason) console.warn(`test/runtimes: ${name} skipped: ${reason}`);
}

/** Does the request's Authorization match a signature of what arrived, by this process's signer? */
async function signatureVerifies(req: Recorded, origin: string): Promise<boolean> {
  const signed = /SignedHeaders=([^,]+), Signature=/.exec(String(req.headers.authorization))?.[1];
  if (!signed) return false;
  const headers = new Headers();
  for (const name of signed.split(';')) {
    const value = req.headers[name];
    if (typeof value === 'string' && name !== 'host') headers.set(name, value);
  }
  await signHeaders({ method: req.method, url: `${origin}${req.path}`, headers, body: req.body }, credentials);
  return headers.get('authorization') === req.headers.authorization;
}

async function fixedSignature(request: { method: string; url: string; headers?: Record<string, string>; body: string | Uint8Array }, creds: typeof credentials & { securityToken?: string }, date: Date) {
  const headers = new Headers(request.headers ?? {});
  await signHeaders({ ...request, headers }, creds, { date });
  return headers.get('authorization');
}

describe.skipIf(!!platform && !ci)('the packed package on every runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-runtimes-'));
  const project = join(dir, 'project');
  let server: Awaited<ReturnType<typeof startServer>>;
  let closedUrl = '';
  let bundle = '';
  let expected: Record<string, unknown>;

  beforeAll(async () => {
    const tarball = packInto(dir);
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'matrix', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--omit=dev', tarball], { cwd: project, env: npmEnv(), stdio: 'ignore' });
    for (const file of ['probe.mjs', 'probe-cli.mjs']) copyFileSync(join(import.meta.dirname, file), join(project, file));
    // For the browser: the probe and the installed package in one script, resolved as a bundler would.
    const built = await build({
      entryPoints: [join(project, 'probe.mjs')],
      absWorkingDir: project,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'matrix',
      write: false,
      logLevel: 'silent',
    });
    bundle = built.outputFiles[0]!.text;

    server = await startServer(async (req, res) => {
      if (req.method === 'GET' && req.path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><script src="/probe.js"></script>');
        return;
      }
      if (req.method === 'GET' && req.path === '/probe.js') {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(bundle);
        return;
      }
      if (req.headers['x-auth-token'] === 'matrix-token') return json(res, 200, { asset_id: assetId });
      if (req.headers.authorization && (await signatureVerifies(req, server.url))) return json(res, 200, { asset_id: assetId });
      return json(res, 401, { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information' });
    });
    closedUrl = `http://127.0.0.1:${await freePort()}`;

    // What every runtime must answer: this is Node (the machine's) running the package's source.
    expected = {
      token: { status: 200, assetId },
      aksk: { status: 200, assetId, error: null },
      validation: { instance: true, name: 'VodValidationError', message: 'Invalid PublishAssetFromObs request body: title: exceeds 128 UTF-8 bytes' },
      network: { instance: true, name: 'VodNetworkError' },
      signatures: {
        // Huawei's published vector 1 (POST with a body).
        vector: 'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
        vod: await fixedSignature(
          {
            method: 'POST',
            url: 'https://vod.cn-north-4.myhuaweicloud.com/v1.0/0123456789abcdef/asset/reproduction',
            headers: { 'content-type': 'application/json', 'x-project-id': '0123456789abcdef', 'x-security-token': 'matrix-security-token' },
            body: JSON.stringify({ video_type: 'MP4', title: '新品发布会', input: { bucket: 'b', location: 'cn-north-4', object: 'videos/launch.mp4' } }),
          },
          { ...credentials, securityToken: 'matrix-security-token' },
          new Date(Date.UTC(2026, 10, 23, 12, 0, 0)),
        ),
      },
    };
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The probe's requests as the server saw them: the token call and the signed one, nothing else. */
  function expectTwoRequests(projectId: string) {
    const seen = server.requests.filter((r) => r.path.startsWith(`/v1.0/${projectId}/`));
    expect(seen.map((r) => (r.headers['x-auth-token'] ? 'token' : String(r.headers.authorization).split(' ')[0]))).toEqual(['token', 'SDK-HMAC-SHA256']);
    expect(seen[1]!.headers['x-project-id']).toBe(projectId);
  }

  // Deno gets the network (127.0.0.1 only) and reading the project: no environment, no writes, no subprocesses.
  const argsFor = (id: string) =>
    id === 'deno' ? ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${project}`, 'probe-cli.mjs'] : ['probe-cli.mjs'];

  for (const runtime of runtimes) {
    it.skipIf(!!missing(runtime.id) && !ci)(`${runtime.name} ${runtime.version}`, async () => {
      const bin = binaryOf(runtime);
      if (!bin) throw new Error(missing(runtime.id));
      const args = [...argsFor(runtime.id), server.url, closedUrl, runtime.id];
      const env = { PATH: process.env.PATH, HOME: dir, DENO_DIR: join(dir, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
      const { stdout } = await promisify(execFile)(bin, args, { cwd: project, env, timeout: 60_000 });
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(expected);
      expectTwoRequests(runtime.id);
    }, 90_000);
  }

  it.skipIf(!!missing('chromium') && !ci)('Chromium (headless), the package bundled by esbuild', async () => {
    if (missing('chromium')) throw new Error(missing('chromium'));
    expect(bundle).not.toMatch(/\brequire\(|from ['"]node:/);
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}/`);
      const result = await page.evaluate(
        ([base, closed]) => (globalThis as unknown as { matrix: { probe: (...a: string[]) => Promise<unknown> } }).matrix.probe(base!, closed!, 'chromium'),
        [server.url, closedUrl],
      );
      expect(result).toEqual(expected);
      expect(errors).toEqual([]);
      expectTwoRequests('chromium');
    } finally {
      await browser.close();
    }
  }, 90_000);
});

it("the README's supported-runtimes table lists exactly the runtimes tested here (node scripts/runtimes.mjs --readme)", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  expect(readme.includes(runtimesTable()), 'README.md is out of date: run node scripts/runtimes.mjs --readme').toBe(true);
});
