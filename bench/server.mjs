// The benchmark's HTTP server: a separate process on 127.0.0.1 (free port) that answers
// POST /v1.0/{project_id}/asset/reproduction with 200 {"asset_id": "<32 hex>"} (application/json, keep-alive), the
// same bytes for every client variant, after reading the whole request body. Anything else gets a 404.
//
// Started by bench/run.mjs with an IPC channel: it sends { port } once listening, and answers { type: 'stats' } with
// how many requests it saw per authentication kind, so run.mjs can check that every variant really reached it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const PATH = /^\/v1\.0\/[^/]+\/asset\/reproduction$/;
const body = Buffer.from(JSON.stringify({ asset_id: randomBytes(16).toString('hex') }));
const okHeaders = { 'content-type': 'application/json', 'content-length': String(body.length) };
const stats = { token: 0, aksk: 0, none: 0, notFound: 0, bodyBytes: 0 };

const server = createServer((req, res) => {
  let bytes = 0;
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => {
    if (req.method !== 'POST' || !PATH.test(req.url ?? '')) {
      stats.notFound++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error_code":"VOD.10000","error_msg":"not found"}');
      return;
    }
    stats.bodyBytes += bytes;
    if (req.headers['x-auth-token']) stats.token++;
    else if (String(req.headers.authorization ?? '').startsWith('SDK-HMAC-SHA256 ')) stats.aksk++;
    else stats.none++;
    res.writeHead(200, okHeaders);
    res.end(body);
  });
});
// Clients keep idle connections for 4-5 s; keep ours longer so that no variant pays for reconnecting.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.requestTimeout = 0;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  if (process.send) process.send({ type: 'listening', port });
  else console.log(`listening on http://127.0.0.1:${port}`);
});

process.on('message', (message) => {
  if (message?.type === 'stats') process.send({ type: 'stats', stats: { ...stats } });
});
// Exit with the parent: when the IPC channel closes, or on SIGTERM.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
