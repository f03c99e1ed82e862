// Shared by the benchmark scripts: the request every variant sends, credentials, and small statistics helpers.

export const PROJECT_ID = '0123456789abcdef0123456789abcdef';
export const AK = 'BENCHAKEXAMPLE000001';
export const SK = 'benchSecretKeyExample0000000000000000000';
// IAM tokens are long; 1 KiB of base64url stands in for one. Raw fetch sends the very same header.
export const TOKEN = `MIIbench${'A1b2C3d4E5f6G7h8'.repeat(64)}`.slice(0, 1024);

/** A valid PublishAssetFromObs body (passes the client's validation), the same for every variant. */
export const BODY = Object.freeze({
  video_type: 'MP4',
  title: 'Product launch keynote',
  description: 'Keynote of the spring product launch, 1080p master.',
  category_id: -1,
  tags: 'launch,keynote',
  auto_publish: 0,
  input: Object.freeze({ bucket: 'my-media-bucket', location: 'cn-north-4', object: 'videos/launch/keynote.mp4' }),
});

export const reproductionPath = (projectId = PROJECT_ID) => `/v1.0/${projectId}/asset/reproduction`;

export function median(values) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (!n) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Rotates `items` left by `k`: round r runs the variants starting at r, so that each goes first equally often. */
export const rotate = (items, k) => items.map((_, i) => items[(i + k) % items.length]);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One batch: `n` calls of `send` with `concurrency` in flight, after a full GC (when exposed). Returns the median
 * call latency (µs), client CPU per call (µs: user + system of this process, so including its threads) and calls/s.
 */
export async function batch(send, n, concurrency) {
  const latencies = new Float64Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const start = performance.now();
      await send();
      latencies[i] = performance.now() - start;
    }
  };
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    latencyUs: median(latencies) * 1000,
    cpuUsPerReq: (cpu.user + cpu.system) / n,
    reqPerSec: n / (wallMs / 1000),
  };
}

/**
 * The request both signing benchmarks sign (bench/sign.mjs, bench/diagnose-worker.mjs): URL, body, headers, and the
 * credentials in our form and in the official SDK's. `require` is the caller's, for the SDK's CommonJS modules.
 */
export function signingFixture(require) {
  const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
  const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
  return {
    AKSKSigner,
    url: `https://vod.cn-north-4.myhuaweicloud.com${reproductionPath()}`,
    body: JSON.stringify(BODY),
    headers: () => ({ 'content-type': 'application/json', 'x-project-id': PROJECT_ID }),
    ours: { ak: AK, sk: SK },
    official: new BasicCredentials().withAk(AK).withSk(SK),
  };
}
