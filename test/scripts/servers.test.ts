// The commands that start servers do not outlive themselves. `kill <npm's pid>` (SIGTERM) reaches only npm, which
// ends the shell it runs the script in; the script notices its parent going and stops Prism and the docs server, so
// the ports are free again within seconds. SIGINT, SIGTERM and SIGHUP sent to the script itself stop it the same way.
// A busy port is one line, not Prism's usage text. And npm start's hint is a request the mock answers (with the auth
// header it needs: without, 401).
// Each command runs in its own process group (detached), so that what it leaves behind can be found and is cleaned up.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from '../../scripts/paths.mjs';
import { freePort } from '../../scripts/prism.mjs';
import { json, startServer } from '../helpers/server.js';
import { npmEnv } from '../package/pack.js';

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}
const groups: number[] = [];
const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  // Whatever a failed test left running.
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Starts `command` in a process group of its own and resolves once its output matches `ready`. */
async function launch(command: string, args: string[], options: { cwd?: string; env?: Record<string, string>; ready: RegExp }): Promise<Launched> {
  const child = spawn(command, args, { cwd: options.cwd ?? root, env: npmEnv(options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.push(child.pid!);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} ${args.join(' ')} did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}

/** The processes of a group that are still running (zombies hold no ports), as "pid command line". Linux's /proc. */
function running(group: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== group || state === 'Z') continue;
      found.push(`${entry} ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // the process ended while being read
    }
  }
  return found;
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe: Server = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** Waits up to `ms` for every process of the group to end and every port to be free; returns what is still held. */
async function leftBehind(group: number, ports: number[], ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const processes = existsSync('/proc') ? running(group) : [];
    const busy: number[] = [];
    for (const port of ports) if (!(await portIsFree(port))) busy.push(port);
    if ((processes.length === 0 && busy.length === 0) || Date.now() > deadline) return { processes, busy };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const portOf = (url: string) => Number(new URL(url).port);

describe('npm start', () => {
  it("prints a request the mock answers, and `kill <npm's pid>` frees both ports", async () => {
    // In a copy of the working tree: npm start rewrites generated/ (and what build.mjs generates) and dist/docs,
    // which are not this test's to touch in the repository.
    const copy = mkdtempSync(join(tmpdir(), 'vod-start-'));
    cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
    for (const path of readdirSync(root)) {
      if (!['node_modules', '.git', '.runtimes', 'dist'].includes(path)) cpSync(join(root, path), join(copy, path), { recursive: true });
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const [docsPort, mockPort] = [await freePort(), await freePort()];
    const npm = await launch('npm', ['start'], { cwd: copy, env: { DOCS_PORT: String(docsPort), PORT: String(mockPort) }, ready: /Ctrl\+C stops all three/ });

    const out = npm.output();
    const docsUrl = /API docs: +(http:\/\/\S+)/.exec(out)?.[1];
    const mockUrl = /Prism mock: +(http:\/\/\S+)/.exec(out)?.[1];
    const simulatorUrl = /VOD simulator: +(http:\/\/\S+)/.exec(out)?.[1];
    expect([portOf(docsUrl!), portOf(mockUrl!)]).toEqual([docsPort, mockPort]);
    expect(simulatorUrl, out).toBeDefined();
    expect((await fetch(docsUrl!)).status).toBe(200);
    // The hint: a curl command with its header. As printed it gets 200; without the header, 401.
    const hint = /curl -i '(\S+)' -H '([^:]+): ([^']+)'/.exec(out.slice(out.indexOf('Prism mock:')));
    expect(hint, out).not.toBeNull();
    const [, url, header, value] = hint!;
    expect(url!.startsWith(`${mockUrl}/v1.0/`)).toBe(true);
    const answered = await fetch(url!, { headers: { [header!]: value! } });
    expect(answered.status, await answered.text()).toBe(200);
    const refused = await fetch(url!);
    await refused.text();
    expect(refused.status).toBe(401);

    expect(running(npm.child.pid!).some((p) => p.includes('prism'))).toBe(true);
    process.kill(npm.child.pid!, 'SIGTERM');
    expect(await leftBehind(npm.child.pid!, [docsPort, mockPort, portOf(simulatorUrl!)])).toEqual({ processes: [], busy: [] });
    expect(npm.output()).toMatch(/is gone: stopping/);
  }, 150_000);
});

describe('npm run mock', () => {
  it("on a busy port says so in one line and takes a free one; `kill <npm's pid>` frees it", async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => holder.close(resolve)));
    const taken = (holder.address() as { port: number }).port;
    const npm = await launch('npm', ['run', 'mock'], { env: { PORT: String(taken) }, ready: /listening on http:\/\/127\.0\.0\.1:\d+\n/ });
    const out = npm.output();
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
    expect(port).not.toBe(taken);
    // Prism's own log lines are marked [CLI]; of the rest, one line is about the port, and nothing is an error.
    const ours = out.split('\n').filter((line) => line.trim() && !line.includes('[CLI]'));
    expect(ours.filter((line) => /busy/.test(line))).toEqual([`port ${taken} is busy; starting the mock on port ${port} instead`]);
    expect(out).not.toMatch(/EADDRINUSE|Options:|\n\s+at /);

    process.kill(npm.child.pid!, 'SIGTERM');
    expect(await leftBehind(npm.child.pid!, [port])).toEqual({ processes: [], busy: [] });
  }, 120_000);

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} to the script stops Prism and exits 0`, async () => {
      const port = await freePort();
      const script = await launch(process.execPath, [join(root, 'scripts', 'mock.mjs')], { env: { PORT: String(port) }, ready: /listening on http:\/\/127\.0\.0\.1:\d+\n/ });
      expect(await portIsFree(port)).toBe(false);
      // To the script alone: Prism, a child in the same group, must be stopped by it.
      process.kill(script.child.pid!, signal);
      expect(await script.exited).toBe(0);
      expect(await leftBehind(script.child.pid!, [port])).toEqual({ processes: [], busy: [] });
      expect(script.output()).toContain(`${signal}: stopping`);
    }, 120_000);
  }
});

describe('npm run proxy', () => {
  it("`kill <npm's pid>` frees its port", async () => {
    const upstream = await startServer((_, res) => json(res, 200, {}));
    cleanups.push(() => upstream.close());
    const port = await freePort();
    const npm = await launch('npm', ['run', 'proxy', '--', upstream.url], { env: { PORT: String(port) }, ready: /validating proxy .* listening on/ });
    expect(await portIsFree(port)).toBe(false);
    process.kill(npm.child.pid!, 'SIGTERM');
    expect(await leftBehind(npm.child.pid!, [port])).toEqual({ processes: [], busy: [] });
  }, 120_000);
});
