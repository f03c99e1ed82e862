// Signing throughput, run by bench/run.mjs as its own process: our signRequest (WHATWG Request in, signed Request
// out), our signHeaders (the plain-object form the client itself uses) and the official SDK's AKSKSigner.sign, all
// on the same request (method, URL, headers, the PublishAssetFromObs body) with the signing time taken as now.
//
// Operations are awaited one after another (ours are async). Every batch gets freshly built inputs, made before the
// clock starts, so that no operation finds work left by an earlier one (signRequest tees its input's body stream).
// Variants are interleaved (rotated) in rounds, after a warm-up; a full GC runs before every batch. Results (operations per second per batch) go back to the parent over IPC.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BODY, rotate, signingFixture } from './lib.mjs';

const require = createRequire(import.meta.url);
const { signerEntry, rounds, warmupRounds, ops } = JSON.parse(process.argv[2]);
const { signRequest, signHeaders } = await import(pathToFileURL(signerEntry).href);
const { AKSKSigner, url, body, headers, ours, official } = signingFixture(require);

const variants = {
  signRequest: {
    input: () => new Request(url, { method: 'POST', headers: headers(), body }),
    run: (request) => signRequest(request, ours),
    check: async (signed) => signed.headers.get('authorization'),
  },
  signHeaders: {
    input: () => ({ method: 'POST', url, headers: new Headers(headers()), body }),
    run: async (request) => {
      await signHeaders(request, ours);
      return request;
    },
    check: async (signed) => signed.headers.get('authorization'),
  },
  official: {
    input: () => ({ method: 'POST', endpoint: url, headers: headers(), queryParams: {}, data: BODY }),
    run: (request) => AKSKSigner.sign(request, official),
    check: async (signed) => signed.Authorization,
  },
};
const names = Object.keys(variants);

// Same request, same time: both signers must produce the same signature (else the comparison means nothing).
{
  const date = '20250101T000000Z';
  const a = await signRequest(
    new Request(url, { method: 'POST', headers: { ...headers(), 'x-sdk-date': date }, body }),
    ours,
  );
  const b = AKSKSigner.sign(
    { method: 'POST', endpoint: url, headers: { ...headers(), 'X-Sdk-Date': date }, queryParams: {}, data: BODY },
    official,
  );
  const signature = (value) => /Signature=([0-9a-f]{64})/.exec(value ?? '')?.[1];
  if (!signature(a.headers.get('authorization')) || signature(a.headers.get('authorization')) !== signature(b.Authorization)) {
    throw new Error(`signatures differ: ours ${a.headers.get('authorization')} vs official ${b.Authorization}`);
  }
}

async function batch({ input, run, check }, n) {
  const inputs = Array.from({ length: n }, input);
  globalThis.gc?.();
  let last;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) last = await run(inputs[i]);
  const seconds = (performance.now() - t0) / 1000;
  if (!(await check(last))) throw new Error('no Authorization produced');
  return n / seconds;
}

const results = Object.fromEntries(names.map((name) => [name, []]));
for (let round = -warmupRounds; round < rounds; round++) {
  for (const name of rotate(names, ((round % names.length) + names.length) % names.length)) {
    const opsPerSec = await batch(variants[name], ops);
    if (round >= 0) results[name].push(opsPerSec);
  }
}
process.send({ type: 'results', results });
process.disconnect();
