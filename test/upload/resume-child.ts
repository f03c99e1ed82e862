// A separate process that uploads a file with a checkpoint (bundled by esbuild in upload.test.ts and run with node):
// the test kills it with SIGKILL in the middle of the upload, then runs it again to resume. Prints one JSON line.
import { createVodClient, uploadAsset, type UploadProgress } from '../../src/index.js';

const [vodUrl, path, checkpoint, partSize, token] = process.argv.slice(2);
const client = createVodClient({ projectId: 'project', endpoint: vodUrl!, credentials: { token: token! } });
let last: UploadProgress | undefined;
try {
  const result = await uploadAsset(client, path!, {
    title: 'resume test',
    checkpoint: checkpoint!,
    partSize: Number(partSize),
    multipartThreshold: 0,
    concurrency: 2,
    retryDelayMs: 10,
    progressIntervalMs: 0,
    onProgress: (p) => (last = p),
  });
  console.log(JSON.stringify({ ok: true, result, last }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, name: (error as Error).name, message: (error as Error).message }));
  process.exitCode = 1;
}
