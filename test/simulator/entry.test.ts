// How the simulator is reached: `npm run simulator` (settings from the environment, URL printed, stopped by a
// signal), the package's "./simulator" subpath, and the client bundle, which must never pull it in.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { optionsFromEnv } from '../../scripts/simulator.mjs';
import { root } from '../helpers/spec.js';

describe('npm run simulator', () => {
  it('takes its settings from the environment, PORT when VOD_SIMULATOR_PORT is unset, and names a bad value', () => {
    expect(optionsFromEnv({ PORT: '4555', VOD_SIMULATOR_TOKEN: 'tok', VOD_SIMULATOR_TIME_SCALE: '60' })).toMatchObject({ port: 4555, token: 'tok', timeScale: 60 });
    expect(optionsFromEnv({ PORT: '4555', VOD_SIMULATOR_PORT: '4556' }).port).toBe(4556);
    expect(() => optionsFromEnv({ VOD_SIMULATOR_PORT: 'x' })).toThrow(/VOD_SIMULATOR_PORT=x is not an integer/);
    expect(() => optionsFromEnv({ VOD_SIMULATOR_AK: 'a' })).toThrow(/VOD_SIMULATOR_AK and VOD_SIMULATOR_SK go together/);
    expect(() => optionsFromEnv({ VOD_SIMULATOR_TIME_SCALE: '-1' })).toThrow(/VOD_SIMULATOR_TIME_SCALE/);
  });

  it('prints its URL, answers with the configured project, token and key pair, and stops on SIGTERM', async () => {
    const env = {
      ...process.env,
      VOD_SIMULATOR_PORT: '0',
      VOD_SIMULATOR_PROJECT_ID: 'abcdefabcdefabcdefabcdefabcdef12',
      VOD_SIMULATOR_TOKEN: 'entry-test-token',
      VOD_SIMULATOR_AK: 'ENTRYTESTAK',
      VOD_SIMULATOR_SK: 'entry-test-sk',
    };
    const child = spawn(process.execPath, [join(root, 'scripts', 'simulator.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /VOD simulator: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) (clearTimeout(timer), resolve(m[1]!));
      });
    });
    expect(out).toContain('X-Auth-Token: entry-test-token');
    const ok = await fetch(`${url}/v1.0/abcdefabcdefabcdefabcdefabcdef12/asset/list`, { headers: { 'x-auth-token': 'entry-test-token' } });
    expect(ok.status).toBe(200);
    const wrong = await fetch(`${url}/v1.0/abcdefabcdefabcdefabcdefabcdef12/asset/list`, { headers: { 'x-auth-token': 'other' } });
    expect(wrong.status).toBe(401);
    expect((await (await fetch(`${url}/_simulator/info`)).json()).ak).toBe('ENTRYTESTAK');
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 60_000);
});

describe('the package subpath', () => {
  it('package.json exports ./simulator from the compiled src/simulator, and runs it with `npm run simulator`', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./simulator']).toEqual({ types: './dist/package/src/simulator/index.d.ts', default: './dist/package/src/simulator/index.js' });
    expect(pkg.scripts.simulator).toBe('node scripts/simulator.mjs');
  });

  it('the client entry never pulls the simulator (nor node:http) into a bundle', async () => {
    const result = await build({
      entryPoints: [join(root, 'src', 'index.ts')],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => i.includes('simulator'))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith('node:'))).toEqual([]);
    expect(inputs.length).toBeGreaterThan(10);
  });
});

describe('docs/simulator-guide.md', () => {
  it('names exactly the operations that keep state (STATEFUL)', async () => {
    const { STATEFUL } = await import('../../src/simulator/index.js');
    const guide = readFileSync(join(root, 'docs', 'simulator-guide.md'), 'utf8');
    const block = /<!-- stateful:start -->([\s\S]*?)<!-- stateful:end -->/.exec(guide)?.[1] ?? '';
    const named = [...block.matchAll(/`([A-Z][A-Za-z0-9]+)`/g)].map((m) => m[1]);
    expect([...new Set(named)].sort()).toEqual([...STATEFUL].sort());
  });
});
