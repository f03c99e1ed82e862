// The contract suite proves its own power: it is run (as `vitest run test/contract/`, in a subprocess, exactly as
// a user would point it at an implementation with VOD_BASE_URL) against a conforming server, which must pass, and
// against servers that each break one rule of the contract, which must all fail, naming the broken rule.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
// Plain .mjs, so that the servers also run with node by hand. Only the list is loaded here: the servers (and their
// Ajv) are loaded when the power test runs, not when it stands aside.
import { variants } from './variants.mjs';

type Variant = { conforming?: boolean; breaks: string; expect?: string };
const all = Object.entries(variants as Record<string, Variant>);

// Inside a run of the contract suite that this test started, it stands aside (the child runs `test/contract/`,
// whose trailing slash already keeps this file out; the variable makes sure).
const standAside = process.env.VOD_CONTRACT_POWER_CHILD === '1' ? 'inside a run of the contract suite started by the power test' : false;

const TOKEN = 'power-test-token-7d1f0c';
const CONCURRENCY = 2;

interface Run {
  url: string;
  code: number | null;
  output: string;
  ms: number;
}

function runSuite(url: string): Promise<Omit<Run, 'url'>> {
  // The parent's environment without what vitest set for its worker (TEST, VITEST_*, MODE, FORCE_TTY, …), so that
  // the child runs as one started from a shell (it also ran markedly slower with them), and without the caller's
  // VOD_* (their credentials must not reach, nor their target replace, the local servers).
  const vitestSet = ['TEST', 'VITEST', 'NODE_ENV', 'PROD', 'DEV', 'BASE_URL', 'MODE', 'SSR', 'FORCE_TTY', 'COLOR'];
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|VOD_)/.test(key) && !vitestSet.includes(key) && key !== 'npm_lifecycle_event') env[key] = value;
  }
  Object.assign(env, {
    VOD_BASE_URL: url,
    VOD_PROJECT_ID: '0123456789abcdef0123456789abcdef',
    VOD_AUTH_TOKEN: TOKEN,
    VOD_CONTRACT_WRITES: '1',
    VOD_CONTRACT_POWER_CHILD: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  });
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // The trailing slash keeps vitest's substring filter off test/contract-power.
    const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/contract/'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

const runs = new Map<string, Run>();
const servers: { close: () => Promise<void> }[] = [];

describe('the contract suite catches every broken server and passes the conforming ones', () => {
  if (standAside) {
    it.skip(`power test [skipped: ${standAside}]`, () => {});
    return;
  }

  beforeAll(async () => {
    const { startVodServer } = await import('./servers.mjs');
    const queue = [...all];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [name] = next;
        const server = await startVodServer(name);
        servers.push(server);
        try {
          runs.set(name, { url: server.url, ...(await runSuite(server.url)) });
        } finally {
          await server.close();
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }, 180_000);
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  for (const [name, variant] of all) {
    const title = variant.conforming
      ? `${name} (${variant.breaks}): the suite passes, nothing skipped`
      : `${name} (${variant.breaks}): the suite fails, naming "${variant.expect}"`;
    it(title, () => {
      const run = runs.get(name)!;
      const tail = `\n--- contract suite against ${name} (${run.url}), exit ${run.code}, ${run.ms} ms ---\n${run.output.slice(-6000)}`;
      expect(run.output.includes(TOKEN), `the output must never show the token${tail}`).toBe(false);
      if (variant.conforming) {
        expect(run.code, `a conforming server must pass${tail}`).toBe(0);
        expect(run.output, `every test must run against a non-mock target with writes${tail}`).toMatch(/Tests\s+\d+ passed \(\d+\)/);
        expect(run.output, `nothing skipped${tail}`).not.toMatch(/skipped/);
      } else {
        expect(run.code, `the suite must fail against ${name}${tail}`).not.toBe(0);
        expect(run.output.includes(variant.expect!), `the failure must name the broken rule "${variant.expect}"${tail}`).toBe(true);
      }
    });
  }
});
