// The upload benchmark (part of `npm run bench`; alone: `npm run bench -- --only upload`, or `node bench/upload.mjs`):
// a 1 GiB file of random bytes (generated in a temporary directory) uploaded to a local OBS-compatible server
// (bench/upload-server.mjs, its own process, parts streamed to disk) by our uploadAsset and by @aws-sdk/lib-storage's
// Upload, with the same part size (16 MiB, our default) and concurrency (4), each upload in a process of its own
// (bench/upload-worker.mjs), the two taking turns over the rounds. It prints the throughput of each, the ratio, the
// peak RSS of each process and its growth during the upload against the bound concurrency × partSize + 64 MB, and
// checks every object's ETag (MD5 of the part MD5s) against the file's. Options: --upload-size=<MiB> (default 1024),
// --upload-rounds=N (default 5; --quick: 1), --upload-disk (the server's parts on disk rather than /dev/shm). The
// figures go to bench/results/upload.json (report.mjs does not read it).
import { execFile, spawn } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const MiB = 1024 * 1024;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Writes `size` random bytes to `path` and returns the multipart ETag of the file in parts of `partSize`. */
function randomFile(path, size, partSize) {
  const fd = openSync(path, 'w');
  const chunk = Buffer.allocUnsafe(partSize);
  const digests = [];
  try {
    for (let offset = 0; offset < size; offset += partSize) {
      const piece = chunk.subarray(0, Math.min(partSize, size - offset));
      randomFillSync(piece);
      writeSync(fd, piece);
      digests.push(createHash('md5').update(piece).digest());
    }
  } finally {
    closeSync(fd);
  }
  return `${createHash('md5').update(Buffer.concat(digests)).digest('hex')}-${digests.length}`;
}

function startServer(partsDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'upload-server.mjs'), partsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.once('data', (data) => resolve({ child, port: JSON.parse(String(data).split('\n')[0]).port }));
  });
}

async function stats(base) {
  return (await fetch(`${base}/stats`)).json();
}

export async function runUploadBench({ quick = false, log = (m) => console.error(`[bench] ${m}`), args = process.argv.slice(2) } = {}) {
  const option = (name, fallback) => {
    const arg = args.find((a) => a.startsWith(`--${name}=`));
    return arg ? Number(arg.slice(name.length + 3)) : fallback;
  };
  const size = option('upload-size', 1024) * MiB;
  const rounds = option('upload-rounds', quick ? 1 : 5);
  const partSize = 16 * MiB;
  const concurrency = 4;
  const scratch = mkdtempSync(join(tmpdir(), 'vod-upload-bench-'));
  const cleanup = [];
  let server;
  try {
    // Our package, bundled from src/ as an application's bundler would (the benchmark does not depend on dist/).
    const ours = join(scratch, 'ours.mjs');
    await build({ entryPoints: [join(root, 'src', 'index.ts')], bundle: true, platform: 'node', format: 'esm', outfile: ours, logLevel: 'silent' });
    const path = join(scratch, 'video.mp4');
    log(`upload: writing a ${size / MiB} MiB file …`);
    const expected = randomFile(path, size, partSize);
    // The server's parts go to a memory-backed file system when there is one (/dev/shm), so that the disk does not
    // set the pace for both clients alike and hide the difference between them; --upload-disk keeps them on disk.
    const shm = !args.includes('--upload-disk') && existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'vod-upload-bench-')) : undefined;
    const partsDir = shm ?? join(scratch, 'parts');
    if (!shm) mkdirSync(partsDir);
    cleanup.push(() => shm && rmSync(shm, { recursive: true, force: true }));
    server = await startServer(partsDir);
    const base = `http://127.0.0.1:${server.port}`;
    const config = JSON.stringify({ base, path, size, partSize, concurrency, ours: pathToFileURL(ours).href });

    const results = { ours: [], lib: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['lib', 'ours'] : ['ours', 'lib'];
      for (const variant of order) {
        const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', join(here, 'upload-worker.mjs'), variant, config], {
          cwd: root,
          maxBuffer: 1 << 20,
        });
        const result = JSON.parse(stdout.trim().split('\n').at(-1));
        // The object the server assembled must be the file: its multipart ETag is MD5 of the part MD5s.
        const { objects } = await stats(base);
        const etag = Object.values(objects).at(-1)?.etag;
        if (etag !== expected) throw new Error(`${variant}: the server holds an object with ETag ${etag}, the file's is ${expected}`);
        results[variant].push(result);
        log(`upload round ${round + 1}/${rounds} ${variant}: ${(size / MiB / (result.ms / 1000)).toFixed(0)} MiB/s, peak RSS ${(Math.max(result.peak, result.maxRss) / MiB).toFixed(0)} MiB`);
      }
    }
    const summary = (variant) => {
      const list = results[variant];
      return {
        mibPerSecond: median(list.map((r) => size / MiB / (r.ms / 1000))),
        peakRssMiB: median(list.map((r) => Math.max(r.peak, r.maxRss) / MiB)),
        growthMiB: median(list.map((r) => (Math.max(r.peak, r.maxRss) - r.before) / MiB)),
      };
    };
    const report = {
      date: new Date().toISOString(),
      node: process.versions.node,
      sizeMiB: size / MiB,
      partSizeMiB: partSize / MiB,
      concurrency,
      rounds,
      boundMiB: (concurrency * partSize) / MiB + 64,
      ours: summary('ours'),
      lib: summary('lib'),
      serverStats: await stats(base).then(({ objects, ...rest }) => rest),
    };
    // Ratios per round (the two ran seconds apart, under the same load), then their median.
    report.throughputRatio = median(results.ours.map((r, i) => results.lib[i].ms / r.ms));
    report.peakRssRatio = median(results.ours.map((r, i) => Math.max(r.peak, r.maxRss) / Math.max(results.lib[i].peak, results.lib[i].maxRss)));
    report.partsOn = shm ? 'tmpfs (/dev/shm)' : 'disk';
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(join(here, 'results', 'upload.json'), `${JSON.stringify(report, null, 2)}\n`);
    const row = (name, s) => `| ${name} | ${s.mibPerSecond.toFixed(0)} MiB/s | ${s.peakRssMiB.toFixed(0)} MiB | ${s.growthMiB.toFixed(0)} MiB |`;
    const table = [
      `Upload of ${size / MiB} MiB, parts of ${partSize / MiB} MiB, ${concurrency} in flight, Node ${process.versions.node}, server parts on ${report.partsOn}, median of ${rounds} round(s):`,
      '',
      '| | throughput | peak RSS | RSS growth during the upload |',
      '|---|--:|--:|--:|',
      row('uploadAsset (ours)', report.ours),
      row('@aws-sdk/lib-storage Upload', report.lib),
      '',
      `throughput ratio ours / lib-storage (median of the per-round ratios): ${report.throughputRatio.toFixed(2)}×; ` +
        `peak RSS ours / lib-storage: ${report.peakRssRatio.toFixed(2)}×; ` +
        `our RSS growth ${report.ours.growthMiB.toFixed(0)} MiB vs the bound concurrency × partSize + 64 MB = ${report.boundMiB} MiB ` +
        `(${report.ours.growthMiB <= report.boundMiB ? 'within' : 'OVER'})`,
    ].join('\n');
    console.log(table);
    return report;
  } finally {
    server?.child.kill();
    for (const step of cleanup) step();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runUploadBench({ quick: process.argv.includes('--quick') });
}
