// npm start: regenerates generated/ from the spec, builds the docs, then serves dist/docs and the Prism mock on
// 127.0.0.1 until SIGINT, SIGTERM or SIGHUP, or until the command that started it is gone (scripts/lifecycle.mjs:
// `kill <npm's pid>` does not reach this process). Ports: $DOCS_PORT (default 8080) and $PORT (default 4010); a busy
// port is replaced by a free one, so that a second checkout can run next to the first.
import { execFileSync } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocs, docsDir } from './docs.mjs';
import { stopTogether } from './lifecycle.mjs';
import { root } from './paths.mjs';
import { freePort, startPrism } from './prism.mjs';

const host = '127.0.0.1';
const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The file under `dir` that a URL path names (index.html for a directory), or undefined when there is none. */
function fileFor(dir, urlPath) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(urlPath, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  // URL parsing removes literal ../ segments, but an encoded slash (..%2F) only becomes one after decoding.
  let file = resolve(dir, `.${pathname}`);
  if (pathname.includes('\0') || (file !== dir && !file.startsWith(dir + sep))) return undefined;
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** A request handler that serves the files under `dir` (GET and HEAD only). */
export function staticFiles(dir) {
  const base = resolve(dir);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const file = fileFor(base, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}

/** Serves `dir` on 127.0.0.1:`port`, or on a free port when that one is taken. */
export async function serveDocs({ dir = docsDir, port = 8080 } = {}) {
  const server = createServer(staticFiles(dir));
  const listen = (p) =>
    new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(p, host, () => {
        server.off('error', fail);
        done();
      });
    });
  try {
    await listen(port);
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.warn(`port ${port} is busy; serving the docs on a free port instead`);
    await listen(0);
  }
  const actual = server.address().port;
  // closeAllConnections: an open browser tab keeps idle keep-alive connections that would hold close() up.
  const close = () =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  return { url: `http://${host}:${actual}/`, port: actual, close, server };
}

// Prism takes its port as an argument, so a busy one is found out beforehand.
async function prismPort(port) {
  const probe = createServer();
  const free = await new Promise((done) => {
    probe.once('error', () => done(false));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
  if (free) return port;
  console.warn(`port ${port} is busy; starting Prism on a free port instead`);
  return freePort();
}

function portFromEnv(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name}=${value} is not a port number`);
  return port;
}

/** What `npm start` prints once both servers listen: where they are, and a request the mock answers. */
export function startedMessage(docsUrl, mockUrl) {
  // The mock requires credentials as the spec declares them (any X-Auth-Token will do): without, it answers 401.
  const example = `${mockUrl}/v1.0/0123456789abcdef/asset/info?asset_id=3e1cd21131a94525be55acf65888bf46`;
  return [
    '',
    `API docs:   ${docsUrl}`,
    `Prism mock: ${mockUrl}  (every request needs credentials, e.g. the header X-Auth-Token: t; without, 401)`,
    `  e.g. curl -i '${example}' -H 'x-auth-token: t'`,
    'Ctrl+C stops all three (the docs, the mock and the simulator).',
  ].join('\n');
}

async function main(lifecycle) {
  const docsPort = portFromEnv('DOCS_PORT', 8080);
  const mockPort = portFromEnv('PORT', 4010);
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  buildDocs();

  const docs = await lifecycle.track(serveDocs({ port: docsPort }));
  const prism = await lifecycle.track(startPrism({ port: await prismPort(mockPort), stdio: 'inherit' }));
  // The stateful VOD simulator beside them (as npm run simulator: VOD_SIMULATOR_* settings, port 4020 by default;
  // PORT is the mock's here). Printed before the message above, whose last line says that everything is up.
  const { startFromEnv, simulatorMessage } = await import('./simulator.mjs');
  const simulator = await lifecycle.track(startFromEnv({ ...process.env, PORT: '' }));
  console.log(`\n${simulatorMessage(simulator)}`);
  console.log(startedMessage(docs.url, prism.url));
  // Without Prism the mock URL printed above is dead, so stop serving the docs too.
  prism.child.once('exit', (code, signal) => {
    if (lifecycle.stopping) return;
    // Ctrl+C reaches Prism too (same process group), possibly before this process handles it: not a failure.
    if (signal) void lifecycle.stop(`Prism stopped (${signal}); stopping`);
    else void lifecycle.stop(`Prism exited (code ${code}); stopping`, 1);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Before anything starts: a stop asked for while the servers start waits for them, then stops them.
  const lifecycle = stopTogether();
  main(lifecycle).catch((error) => lifecycle.stop(error instanceof Error ? error.message : String(error), 1));
}
