// npm start's docs server: serves the built docs on 127.0.0.1, nothing outside its folder, and moves to a free port
// when the asked one is busy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/prism.mjs';
import { serveDocs } from '../../scripts/start.mjs';

describe('docs server', () => {
  const parent = mkdtempSync(join(tmpdir(), 'vod-docs-serve-'));
  const dir = join(parent, 'docs');
  let docs: Awaited<ReturnType<typeof serveDocs>>;

  beforeAll(async () => {
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>视频点播</title>');
    writeFileSync(join(dir, 'openapi.json'), '{}');
    writeFileSync(join(parent, 'secret.txt'), 'outside the docs folder');
    docs = await serveDocs({ dir, port: await freePort() });
  });

  afterAll(async () => {
    await docs?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens on loopback and serves index.html for / with its type', async () => {
    expect(docs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(docs.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('视频点播');
    const spec = await fetch(`${docs.url}openapi.json`);
    expect(spec.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('serves nothing outside its folder, and only GET and HEAD', async () => {
    for (const path of ['secret.txt', '..%2Fsecret.txt', '%2e%2e%2fsecret.txt', 'missing.html', '%E0%A4%A']) {
      const res = await fetch(`${docs.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('outside the docs folder');
    }
    expect((await fetch(docs.url, { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await fetch(docs.url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
  });

  it('moves to a free port when the asked one is busy', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((done) => busy.listen(0, '127.0.0.1', () => done((busy.address() as { port: number }).port)));
    try {
      const other = await serveDocs({ dir, port });
      try {
        expect(other.port).not.toBe(port);
        expect((await fetch(other.url)).status).toBe(200);
      } finally {
        await other.close();
      }
    } finally {
      busy.close();
    }
  });
});
