// One upload of the upload benchmark, in a process of its own (bench/upload.mjs starts one per variant and round, so
// that each has its own heap and its peak RSS is its own): `ours` (uploadAsset from the bundled package) or `lib`
// (@aws-sdk/lib-storage's Upload with @aws-sdk/client-s3), the same file, part size and concurrency. Prints one line
// of JSON: elapsed ms, RSS before the upload (after the imports and a GC), peak RSS during it (sampled every 10 ms,
// and the kernel's maxRSS), and the ETag the server gave the object.
import { createReadStream } from 'node:fs';

const [variant, configJson] = process.argv.slice(2);
const { base, path, size, partSize, concurrency, ours } = JSON.parse(configJson);

let run;
if (variant === 'ours') {
  const { createVodClient, uploadAsset } = await import(ours);
  const client = createVodClient({ projectId: 'bench', endpoint: base, credentials: { token: 'bench-token' } });
  run = async () => {
    const result = await uploadAsset(client, path, { title: 'bench', partSize, concurrency, maxRetries: 0 });
    if (result.bytes !== size) throw new Error(`uploaded ${result.bytes} bytes, not ${size}`);
    return undefined;
  };
} else if (variant === 'lib') {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const s3 = new S3Client({
    endpoint: base,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'BENCHAK', secretAccessKey: 'bench-secret' },
    // No extra checksums: lib-storage's default way of working, as it was before flexible checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  run = async () => {
    const upload = new Upload({
      client: s3,
      params: { Bucket: 'bench-bucket', Key: `lib/${Date.now()}.mp4`, Body: createReadStream(path), ContentType: 'video/mp4' },
      partSize,
      queueSize: concurrency,
      leavePartsOnError: false,
    });
    const result = await upload.done();
    return result.ETag;
  };
} else {
  throw new Error(`unknown variant ${variant}`);
}

globalThis.gc?.();
await new Promise((r) => setTimeout(r, 100));
const before = process.memoryUsage.rss();
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
const started = performance.now();
const etag = await run();
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
const maxRss = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ variant, ms, before, peak, maxRss, etag }));
