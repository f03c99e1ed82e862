// Starts Prism (mock or validating proxy) on 127.0.0.1 and resolves once it listens. Shared by npm run mock,
// npm run proxy, npm start and the test suites.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { root } from './paths.mjs';

export const bundledSpec = join(root, 'generated', 'openapi.json');

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `port` when it is free on 127.0.0.1, else a free one (Prism takes its port as an argument, so this is asked first). */
export async function portOrFree(port) {
  const probe = createServer();
  const free = await new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? port : freePort();
}

/**
 * @param {{ mode?: 'mock' | 'proxy', upstream?: string, port?: number, spec?: string, errors?: boolean,
 *           dynamic?: boolean, stdio?: 'inherit' | 'pipe', timeoutMs?: number }} options
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 */
export async function startPrism(options = {}) {
  const { mode = 'mock', upstream, spec = bundledSpec, errors = true, stdio = 'pipe', timeoutMs = 30_000 } = options;
  const port = options.port ?? (await freePort());
  const args = mode === 'proxy' ? ['proxy', spec, upstream] : ['mock', spec];
  args.push('-h', '127.0.0.1', '-p', String(port));
  if (errors) args.push('--errors');
  if (options.dynamic) args.push('--dynamic');
  const child = spawn(join(root, 'node_modules', '.bin', 'prism'), args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`Prism did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      child.kill();
      reject(error);
    }
    const onData = (chunk) => {
      const text = chunk.toString();
      log += text;
      if (stdio === 'inherit') process.stdout.write(text);
      if (text.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`Prism exited with code ${code}:\n${log}`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill();
    });
  return { url: `http://127.0.0.1:${port}`, port, stop, child };
}
