// The upload of the runtime matrix (test/upload/runtimes.test.ts), in plain JavaScript that Node, Deno, Bun and a
// browser (bundled by esbuild) run as it is: `vod` is the package's module, `source` a path, bytes or a Blob.
export async function probeUpload(vod, vodUrl, token, source, extra = {}) {
  const client = vod.createVodClient({ projectId: 'project', endpoint: vodUrl, credentials: { token } });
  let last;
  const result = await client.uploadAsset(source, {
    title: 'runtime matrix',
    partSize: 102400,
    multipartThreshold: 0,
    concurrency: 2,
    retryDelayMs: 5,
    progressIntervalMs: 0,
    onProgress: (p) => (last = p),
    ...extra,
  });
  return { ...result, last };
}
