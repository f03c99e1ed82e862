// Canaries: the SK and the token never appear in an error message, a log line, JSON.stringify or util.inspect of
// the client; and the client prints nothing and writes nothing to disk.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { homedir, tmpdir } from 'node:os';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVodClient, type Credentials } from '../../src/index.js';
import { freePort } from '../../scripts/prism.mjs';
import { minimalPublish } from '../cases/request-bodies.js';
import { json, startServer } from '../helpers/server.js';

const SK = 'SK-CANARY-7f3a9c1e5b';
const TOKEN = 'TOKEN-CANARY-4d2e8b6a0c';
const SECURITY_TOKEN = 'STS-CANARY-1b9d7f5e3a';
const canaries = [SK, TOKEN, SECURITY_TOKEN];

let server: Awaited<ReturnType<typeof startServer>>;
let status = 200;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (status === 0) return; // hang
    if (status === 502) return res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    json(res, status, status === 200 ? { asset_id: 'a' } : { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information.' });
  });
});
afterAll(() => server.close());

// Everything a client can produce as text: its own representations, and every error's message, stack and cause.
async function everythingSaid(credentials: Credentials): Promise<string> {
  const said: string[] = [];
  const vod = createVodClient({ projectId: 'p', endpoint: server.url, credentials, timeoutMs: 150 });
  said.push(JSON.stringify(vod), inspect(vod, { depth: Infinity, showHidden: true }), String(vod));
  const describe = (e: unknown) => {
    said.push(String(e), (e as Error)?.stack ?? '', inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e));
  };
  for (const s of [200, 401, 502, 0]) {
    status = s;
    const result = await vod.publishAssetFromObs(minimalPublish).catch((e: unknown) => (describe(e), undefined));
    if (result) said.push(JSON.stringify(result.error ?? result.data ?? null));
  }
  await vod.publishAssetFromObs({ ...minimalPublish, title: 42 } as never).catch(describe);
  const dead = createVodClient({ projectId: 'p', endpoint: `http://127.0.0.1:${await freePort()}`, credentials });
  await dead.createSmartCover({ asset_id: 'x' }).catch(describe);
  for (const bad of [{ ...credentials, ak: '' }, { token: 5, sk: SK }]) {
    try {
      createVodClient({ projectId: 'p', endpoint: server.url, credentials: bad as never });
    } catch (e) {
      describe(e);
    }
  }
  return said.join('\n');
}

describe('secrets and side effects', () => {
  it.each([
    ['token', { token: TOKEN }],
    ['AK/SK with a security token', { ak: 'AK-PUBLIC', sk: SK, securityToken: SECURITY_TOKEN }],
  ] as const)('never reveals the %s, and prints nothing', async (_, credentials) => {
    const printed: string[] = [];
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true)),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true)),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
        vi.spyOn(console, m).mockImplementation((...args) => void printed.push(args.join(' '))),
      ),
    ];
    let said: string;
    try {
      said = await everythingSaid(credentials);
    } finally {
      spies.forEach((s) => s.mockRestore());
    }
    expect(said.length).toBeGreaterThan(1000); // it did produce errors to look at
    expect(said).toMatch(/VodValidationError|VodTimeoutError|VodNetworkError/);
    for (const canary of canaries) expect(said).not.toContain(canary);
    expect(printed).toEqual([]);
  });

  it('writes nothing to the home or temp directory (unlike the official SDK, which writes ~/.huaweicloud)', async () => {
    // Fresh, empty HOME and TMPDIR for this worker process only: anything written through os.homedir() or
    // os.tmpdir() while the client works would land there.
    const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
    const home = mkdtempSync(join(tmpdir(), 'vod-home-'));
    const temp = mkdtempSync(join(tmpdir(), 'vod-tmp-'));
    process.env.HOME = home;
    process.env.TMPDIR = temp;
    try {
      expect([homedir(), tmpdir()]).toEqual([home, temp]);
      await everythingSaid({ ak: 'AK', sk: SK });
      await everythingSaid({ token: TOKEN });
      expect([readdirSync(home), readdirSync(temp)]).toEqual([[], []]);
    } finally {
      Object.assign(process.env, saved);
      rmSync(home, { recursive: true });
      rmSync(temp, { recursive: true });
    }
  });
});
