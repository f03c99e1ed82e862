// The upload in the runtime matrix: uploadAsset, bundled from src/ by esbuild (as an application's bundler would),
// uploads a file in parts against the fake VOD + OBS (test/helpers/fake-obs.ts, checking signatures, Content-MD5,
// ETags and contiguity) on every pinned runtime of scripts/runtimes.mjs (Node 20/22/24/26 with a path, Deno and Bun
// with a path and with bytes) and in headless Chromium with a Blob (the fake answers CORS as an OBS bucket must:
// ETag exposed). Runtimes come from `npm run runtimes`; in CI a missing one fails, elsewhere it is skipped, saying so.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryOf, chromiumPath, runtimes, unsupportedPlatform } from '../../scripts/runtimes.mjs';
import { startFakeVodObs, TOKEN, type FakeVodObs } from '../helpers/fake-obs.js';

const ci = process.env.CI === 'true';
const platform = unsupportedPlatform();
const SIZE = 5 * 102_400 + 1234; // six parts

function missing(id: string): string | undefined {
  if (id === 'chromium') return existsSync(chromiumPath) ? undefined : `no Chromium at ${chromiumPath} (apt-get install chromium)`;
  if (platform) return platform;
  const runtime = runtimes.find((r) => r.id === id)!;
  return binaryOf(runtime) ? undefined : `${runtime.package}@${runtime.version} is not installed (npm run runtimes)`;
}
for (const id of [...runtimes.map((r) => r.id), 'chromium']) {
  const reason = missing(id);
  if (reason && ci) throw new Error(`test/upload/runtimes: ${id}: ${reason}; CI must run every runtime`);
  if (reason) console.warn(`test/upload/runtimes: ${id} skipped: ${reason}`);
}

describe('uploadAsset on every runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vod-upload-matrix-'));
  const data = randomBytes(SIZE);
  const path = join(dir, 'matrix.mp4');
  let fake: FakeVodObs;
  let browserBundle = '';

  beforeAll(async () => {
    writeFileSync(path, data);
    await build({ entryPoints: [join(import.meta.dirname, '../../src/index.ts')], bundle: true, platform: 'neutral', format: 'esm', outfile: join(dir, 'vod.mjs'), logLevel: 'silent' });
    for (const file of ['probe-upload.mjs', 'probe-upload-cli.mjs']) copyFileSync(join(import.meta.dirname, file), join(dir, file));
    const built = await build({
      stdin: {
        contents: `import * as vod from './vod.mjs'; import { probeUpload } from './probe-upload.mjs'; export { vod, probeUpload };`,
        resolveDir: dir,
        loader: 'js',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'matrix',
      write: false,
      logLevel: 'silent',
    });
    browserBundle = built.outputFiles[0]!.text;
    fake = await startFakeVodObs({ cors: true });
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The asset the run created: its object byte-identical, confirmed once, nothing left over. */
  function expectOneUpload(result: { assetId: string; bytes: number; parts: number; last: { bytesSent: number; partsDone: number } }) {
    expect(result).toMatchObject({ bytes: SIZE, parts: 6, last: { bytesSent: SIZE, partsDone: 6 } });
    const object = fake.objectOf(result.assetId);
    expect(object && Buffer.compare(object.data, data)).toBe(0);
    expect(fake.assets.get(result.assetId)!.confirmations).toEqual(['CREATED']);
    expect(fake.uploads.size).toBe(0);
    expect(fake.violations).toEqual([]);
  }

  const runs = runtimes.flatMap((r) => (r.id === 'deno' || r.id === 'bun' ? [[r, 'path'], [r, 'bytes']] as const : [[r, 'path']] as const));
  for (const [runtime, mode] of runs) {
    it.skipIf(!!missing(runtime.id) && !ci)(`${runtime.name} ${runtime.version} (${mode})`, async () => {
      const bin = binaryOf(runtime);
      if (!bin) throw new Error(missing(runtime.id));
      // Deno gets the loopback network and reading the directory only.
      const args = runtime.id === 'deno'
        ? ['run', '--no-prompt', '--allow-net=127.0.0.1', `--allow-read=${dir}`, 'probe-upload-cli.mjs']
        : ['probe-upload-cli.mjs'];
      const env = { PATH: process.env.PATH, HOME: dir, DENO_DIR: join(dir, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
      const { stdout } = await promisify(execFile)(bin, [...args, fake.vodUrl, TOKEN, path, mode], { cwd: dir, env, timeout: 60_000 });
      expectOneUpload(JSON.parse(stdout.trim().split('\n').at(-1)!));
    }, 90_000);
  }

  it.skipIf(!!missing('chromium') && !ci)('Chromium (headless) with a Blob', async () => {
    if (missing('chromium')) throw new Error(missing('chromium'));
    expect(browserBundle).not.toMatch(/\brequire\(|from ['"]node:/);
    // The page comes from the fake's VOD origin's sibling: a third origin, so every request is cross-origin (CORS).
    const page$ = await import('node:http').then(({ createServer }) => {
      const server = createServer((req, res) => {
        if (req.url === '/matrix.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(browserBundle);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script src="/matrix.js"></script>');
      });
      return new Promise<{ url: string; close: () => void }>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => server.close() })),
      );
    });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(page$.url);
      const result = await page.evaluate(
        async ([vodUrl, token, bytes]) => {
          const m = (globalThis as unknown as { matrix: { vod: unknown; probeUpload: (...a: unknown[]) => Promise<unknown> } }).matrix;
          const file = new File([Uint8Array.from(atob(bytes as string), (c) => c.charCodeAt(0))], 'browser.mp4', { type: 'video/mp4' });
          return m.probeUpload(m.vod, vodUrl, token, file);
        },
        [fake.vodUrl, TOKEN, data.toString('base64')],
      );
      expectOneUpload(result as never);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      page$.close();
    }
  }, 90_000);
});
