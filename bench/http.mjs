// Client side of the HTTP benchmark: one process per variant, as an application would use one client. bench/run.mjs
// starts one per variant (harness.mjs: interleavedWorkers), under the Node binary being measured, and asks each in
// turn, over IPC, to run a batch; only one runs at a time. Separate processes keep each variant's heap, GC and JIT
// feedback its own: in a shared process the official SDK's module graph would slow every GC, and undici's call sites
// would turn polymorphic from the other variants' calls.
//
// Processes get --expose-gc and a temporary HOME (the official SDK writes ~/.huaweicloud/application_id), and their
// stdout is captured (the SDK's log4js). Every variant sends the same PublishAssetFromObs body to the same server
// and reads the JSON answer; a send throws unless it got the expected 200.
//
// With `stub: true` (run.mjs --diagnose), fetch is replaced by a function that returns a ready Response: no network,
// only the client's own work per call.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Agent, request as httpRequest } from 'node:http';
import { pathToFileURL } from 'node:url';
import { AK, BODY, PROJECT_ID, SK, TOKEN, batch, reproductionPath } from './lib.mjs';

const require = createRequire(import.meta.url);
const config = JSON.parse(process.argv[2]);
const { variant, build, stub } = config;

const answer = JSON.stringify({ asset_id: '0123456789abcdef0123456789abcdef' });
const answerHeaders = { 'content-type': 'application/json', 'content-length': String(answer.length) };
const stubFetch = async () => new Response(answer, { status: 200, headers: answerHeaders });
const baseUrl = stub ? 'http://127.0.0.1:9' : config.baseUrl;
const url = `${baseUrl}${reproductionPath()}`;

const check = (assetId) => {
  if (typeof assetId !== 'string' || assetId.length !== 32) throw new Error(`${variant}: unexpected answer ${assetId}`);
};

// Raw fetch with the headers and body our client sends with a token.
function rawFetch() {
  const fetchImpl = stub ? stubFetch : globalThis.fetch;
  const headers = { 'content-type': 'application/json', 'x-auth-token': TOKEN };
  return async () => {
    const res = await fetchImpl(url, { method: 'POST', headers, body: JSON.stringify(BODY) });
    if (res.status !== 200) throw new Error(`${variant}: HTTP ${res.status}`);
    check((await res.json()).asset_id);
  };
}

// Raw node:http on a keep-alive agent, the same request: the floor that our node:http transport builds on.
function rawHttp() {
  const agent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000 });
  const target = new URL(url);
  return () =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(BODY);
      const headers = { 'content-type': 'application/json', 'x-auth-token': TOKEN, 'content-length': Buffer.byteLength(body) };
      const req = httpRequest(target, { method: 'POST', headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          try {
            if (res.statusCode !== 200) throw new Error(`${variant}: HTTP ${res.statusCode}`);
            check(JSON.parse(text).asset_id);
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

// Our createVodClient from the build (dist/package) with its defaults unless `options` says otherwise. `transport`:
// 'default' is the build's defaultTransport() (node:http on Node) given as `fetch`, 'fetch' is globalThis.fetch.
async function ours(credentials, transport, options = {}) {
  const { createVodClient } = await import(pathToFileURL(`${build}/src/index.js`).href);
  // src/internal/ since 0.3.0; the baselines before it have the transport in src/.
  const transportFile = [`${build}/src/internal/transport-node.js`, `${build}/src/transport-node.js`].find((f) => existsSync(f));
  const { defaultTransport } = await import(pathToFileURL(transportFile).href);
  const fetch = stub ? stubFetch : transport === 'fetch' ? globalThis.fetch : defaultTransport();
  const client = createVodClient({ projectId: PROJECT_ID, endpoint: baseUrl, credentials, fetch, ...options });
  return async () => {
    const { data, error, response } = await client.publishAssetFromObs(BODY);
    if (error || response.status !== 200) throw new Error(`${variant}: HTTP ${response.status}`);
    check(data.asset_id);
  };
}

// The official SDK pointed at the local server; its own models, built once like our BODY, the request wrapper per
// call as users do.
function officialSdk() {
  const { VodClient, PublishAssetFromObsRequest, PublishAssetFromObsReq, FileAddr } = require('@huaweicloud/huaweicloud-sdk-vod');
  const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
  const credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT_ID);
  const client = VodClient.newBuilder().withCredential(credentials).withEndpoint(baseUrl).build();
  const body = Object.assign(new PublishAssetFromObsReq(), BODY, { input: Object.assign(new FileAddr(), BODY.input) });
  return async () => {
    const result = await client.publishAssetFromObs(new PublishAssetFromObsRequest().withBody(body));
    if (result.httpStatusCode !== 200) throw new Error(`${variant}: HTTP ${result.httpStatusCode}`);
    check(result.asset_id);
  };
}

const token = { token: TOKEN };
const aksk = { ak: AK, sk: SK };
// The names are the keys of `variants` in bench/run.mjs.
const variants = {
  fetch: () => rawFetch(),
  http: () => rawHttp(),
  token: () => ours(token, 'default'),
  aksk: () => ours(aksk, 'default'),
  sdk: () => officialSdk(),
  // --diagnose: the layers of our client
  'token-fetch': () => ours(token, 'fetch'),
  'aksk-fetch': () => ours(aksk, 'fetch'),
  'token-bare': () => ours(token, 'default', { timeoutMs: 0, validate: false }),
  'aksk-bare': () => ours(aksk, 'default', { timeoutMs: 0, validate: false }),
};
if (!variants[variant]) throw new Error(`unknown variant ${variant}`);
const send = await variants[variant]();
await send();
process.on('message', async (message) => {
  if (message?.type === 'batch') {
    process.send({ type: 'batch', result: await batch(send, message.requests, message.concurrency) });
  } else if (message?.type === 'exit') {
    process.disconnect();
  }
});
// Leave with the parent, whatever happens to it.
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
