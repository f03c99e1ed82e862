// Rough edges a new user hits first: credentials that are ambiguous or incomplete, and `npm run proxy` on a port
// that `npm run mock` already holds.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { createVodClient, VodConfigError } from '../../src/index.js';
import { json, startServer } from '../helpers/server.js';

const canaries = { token: 'TOKEN-CANARY-1', ak: 'AK-CANARY-2', sk: 'SK-CANARY-3', securityToken: 'ST-CANARY-4' };

/** The VodConfigError that `credentials` gives (it must give one), checked for never echoing a value. */
function configError(credentials: unknown): string {
  let error: unknown;
  try {
    createVodClient({ projectId: 'p1', credentials: credentials as never });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(VodConfigError);
  const message = (error as Error).message;
  for (const value of Object.values(canaries)) expect(message).not.toContain(value);
  return message;
}

describe('credentials', () => {
  it('a token mixed with AK/SK is refused as ambiguous, naming the keys', () => {
    expect(configError({ token: canaries.token, ak: canaries.ak, sk: canaries.sk })).toBe(
      'credentials: ambiguous, both token and ak, sk are set; pass either { token } or { ak, sk, securityToken? }',
    );
    expect(configError({ token: canaries.token, securityToken: canaries.securityToken })).toMatch(/^credentials: ambiguous, both token and securityToken are set/);
    // An empty AK is still a value that was set.
    expect(configError({ token: canaries.token, ak: '' })).toMatch(/ambiguous, both token and ak are set/);
  });

  it.each([
    ['an unset SK (an unset environment variable)', { ak: canaries.ak, sk: undefined }, 'credentials.sk: must be a non-empty string (missing)'],
    ['an empty AK', { ak: '', sk: canaries.sk }, 'credentials.ak: must be a non-empty string (empty)'],
    ['both keys unusable', { ak: 42, sk: '' }, 'credentials.ak: must be a non-empty string (got number); credentials.sk: must be a non-empty string (empty)'],
    ['an empty security token', { ak: canaries.ak, sk: canaries.sk, securityToken: '' }, 'credentials.securityToken: must be a non-empty string when given (empty)'],
    ['an empty token', { token: '' }, 'credentials.token: must be a non-empty string (empty)'],
    ['a null token', { token: null }, 'credentials.token: must be a non-empty string (got null)'],
    ['nothing set', { token: undefined, ak: undefined, sk: undefined }, 'credentials: pass { token } or { ak, sk, securityToken? } (token, ak and sk are all missing)'],
    ['no object at all', undefined, 'credentials: pass { token } or { ak, sk, securityToken? }'],
  ])('%s: the error names the key and what is wrong with it', (_, credentials, message) => {
    expect(configError(credentials)).toBe(message);
  });

  it('accepts each form alone, with unset keys of the other form', () => {
    expect(() => createVodClient({ projectId: 'p1', credentials: { token: canaries.token } })).not.toThrow();
    expect(() => createVodClient({ projectId: 'p1', credentials: { ak: canaries.ak, sk: canaries.sk, token: undefined } })).not.toThrow();
    expect(() => createVodClient({ projectId: 'p1', credentials: { ...canaries, token: undefined } })).not.toThrow();
  });
});

describe('npm run proxy', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('takes a free port when its port is taken, says which, and proxies there', async () => {
    const upstream = await startServer((_, res) => json(res, 200, { asset_id: 'f488337c31c8e4622f1590735b134c65' }));
    cleanups.push(() => upstream.close());
    // Someone else (npm run mock, say) holds the port the proxy is told to use.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const taken = (holder.address() as { port: number }).port;

    const proxy = spawn(process.execPath, [join(root, 'scripts', 'proxy.mjs'), upstream.url], {
      cwd: root,
      env: { ...process.env, PORT: String(taken) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => proxy.once('exit', resolve));
    cleanups.push(async () => {
      if (proxy.exitCode === null) proxy.kill('SIGINT');
      await exited;
    });
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /validating proxy of generated\/openapi\.json listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      proxy.stdout.on('data', onData);
      proxy.stderr.on('data', onData);
      void exited.then((code) => reject(new Error(`the proxy exited (${code}):\n${output}`)));
    });
    const port = Number(new URL(url).port);
    expect(port).not.toBe(taken);
    expect(output).toContain(`port ${taken} is busy; starting the proxy on port ${port} instead`);
    expect(output).not.toMatch(/EADDRINUSE|Options:/);

    const response = await fetch(`${url}/v1.0/0123456789abcdef/asset/smart_cover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': 't' },
      body: JSON.stringify({ asset_id: '3e1cd21131a94525be55acf65888bf46' }),
    });
    await response.text();
    expect(upstream.requests.map((r) => r.path)).toEqual(['/v1.0/0123456789abcdef/asset/smart_cover']);

    proxy.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
