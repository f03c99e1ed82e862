// Client side of the HTTP benchmark: one process per variant, as an application would use one client. bench/run.mjs
// and bench/diagnose.mjs start one per variant (harness.mjs: interleavedWorkers) and ask each in turn, over IPC, to
// run a batch; only one runs at a time. Separate processes keep each variant's heap, GC and JIT feedback its own:
// in a shared process the official SDK's module graph would slow every GC, and undici's call sites would turn
// polymorphic from the other variants' calls.
//
// Processes get --expose-gc and a temporary HOME (the official SDK writes ~/.huaweicloud/application_id), and their
// stdout is captured (the SDK's log4js). Every variant sends the same PublishAssetFromObs body to the same server
// and reads the JSON answer; a send throws unless it got the expected 200.
//
// With `stub: true`, fetch is replaced by a function that returns a ready Response: no network, only the client's own
// work (diagnose.mjs).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AK, BODY, PROJECT_ID, SK, TOKEN, batch, reproductionPath } from './lib.mjs';

const require = createRequire(import.meta.url);
const config = JSON.parse(process.argv[2]);
const { variant, builds, stub } = config;

const answer = JSON.stringify({ asset_id: '0123456789abcdef0123456789abcdef' });
const answerHeaders = { 'content-type': 'application/json', 'content-length': String(answer.length) };
const stubFetch = async () => new Response(answer, { status: 200, headers: answerHeaders });
const baseUrl = stub ? 'http://127.0.0.1:9' : config.baseUrl;
const fetchImpl = stub ? stubFetch : globalThis.fetch;
const url = `${baseUrl}${reproductionPath()}`;

const check = (assetId) => {
  if (typeof assetId !== 'string' || assetId.length !== 32) throw new Error(`${variant}: unexpected answer ${assetId}`);
};

// Raw fetch with the headers and body our client sends with a token; optionally with a per-call timeout signal.
function raw(signal) {
  const headers = { 'content-type': 'application/json', 'x-auth-token': TOKEN };
  return async () => {
    const init = { method: 'POST', headers, body: JSON.stringify(BODY) };
    let done;
    if (signal === 'AbortSignal.timeout') init.signal = AbortSignal.timeout(30_000);
    if (signal === 'cleared timer') {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      init.signal = controller.signal;
      done = () => clearTimeout(timer);
    }
    try {
      const res = await fetchImpl(url, init);
      if (res.status !== 200) throw new Error(`${variant}: HTTP ${res.status}`);
      check((await res.json()).asset_id);
    } finally {
      done?.();
    }
  };
}

// Our createVodClient from a build directory (dist/package), defaults unless `options` says otherwise.
async function ours(build, credentials, options = {}) {
  if (!build) throw new Error(`${variant}: no such build`);
  const { createVodClient } = await import(pathToFileURL(`${build}/src/index.js`).href);
  const client = createVodClient({ projectId: PROJECT_ID, endpoint: baseUrl, credentials, ...(stub ? { fetch: stubFetch } : {}), ...options });
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
const variants = {
  // npm run bench
  fetch: () => raw(),
  token: () => ours(builds.current, token),
  aksk: () => ours(builds.current, aksk),
  sdk: () => officialSdk(),
  // bench/diagnose.mjs
  'raw fetch': () => raw(),
  'raw fetch + AbortSignal.timeout(30 s)': () => raw('AbortSignal.timeout'),
  'raw fetch + cleared 30 s timer': () => raw('cleared timer'),
  'ours, token': () => ours(builds.current, token),
  'ours, token, timeoutMs 0': () => ours(builds.current, token, { timeoutMs: 0 }),
  'ours, token, timeoutMs 0, validate false': () => ours(builds.current, token, { timeoutMs: 0, validate: false }),
  'ours, AK/SK': () => ours(builds.current, aksk),
  'ours, AK/SK, timeoutMs 0': () => ours(builds.current, aksk, { timeoutMs: 0 }),
  'proposed, token': () => ours(builds.proposed, token),
  'proposed, AK/SK': () => ours(builds.proposed, aksk),
  'official SDK, AK/SK': () => officialSdk(),
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
