// npm run bench: one run that measures, on this machine,
//   1. per-request latency, client CPU per request and throughput at concurrency 1 and 32 of raw fetch, our client
//      with a token, our client with AK/SK and the official SDK (AK/SK), against one local HTTP server on 127.0.0.1
//      in a separate process (bench/server.mjs; one client process per variant, bench/http.mjs);
//   2. signing operations per second: our signRequest / signHeaders vs the official AKSKSigner.sign (bench/sign.mjs);
//   3. cold import cost over bare `node -e 0`: our package vs the official SDK;
//   4. installed size of the runtime closure: our packed package (npm pack, npm install --omit=dev) vs the SDK.
// It prints a Markdown report, writes it to bench/results.md and puts its summary (the targets) into README.md's
// "Benchmarks" section (between marker comments, nothing else in the README is touched).
//
// Options: --fresh      reinstall the official SDK's closure instead of using the cached measurement
//          --quick      fewer rounds and requests (a smoke run; the report says so)
//          --no-readme  leave README.md alone
//          --rounds=N   measured rounds of the HTTP (default 15) and signing (default 9) benchmarks
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, fmt, interleavedWorkers, pairedRatio, startServer, worker } from './harness.mjs';
import { BODY, median, rotate } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const quick = flag('quick');
const fresh = flag('fresh');

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
};

const cacheDir = join(root, 'node_modules', '.cache', 'huaweicloud-vod-openapi-bench');
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
const started = new Date();
const loadAtStart = loadavg();
const wallStart = performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function run(command, argv, options = {}) {
  return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Wall time of one process from spawn to exit, in ms. */
function timeSpawn(argv, options) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
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

const spread = (r) => `${fmt.ratio(r.median)} (IQR ${r.q1.toFixed(2)}–${r.q3.toFixed(2)})`;

// ---------------------------------------------------------------------------------------------------------------
// 0. Build

log('building the package (npm run build:package) …');
// The benchmarks use a copy of the build (and pack that copy): others may rebuild dist/ while this runs.
const packageDir = join(scratch, 'package');
const { entries } = buildSnapshot(root, packageDir);
const packageEntry = entries['.'];
const signerEntry = entries['./signer'];

// ---------------------------------------------------------------------------------------------------------------
// 1. HTTP

log(
  `HTTP: ${settings.rounds} rounds (+${settings.warmupRounds} warm-up) × 4 variants × ` +
    `(${settings.requests[1]} requests at concurrency 1 + ${settings.requests[32]} at 32) …`,
);
const server = await startServer();
let http;
let serverStats;
try {
  // One process per variant (bench/http.mjs), asked in turn to run each batch.
  http = await interleavedWorkers(
    ['fetch', 'token', 'aksk', 'sdk'],
    { baseUrl: server.baseUrl, builds: { current: join(packageDir, 'dist', 'package') } },
    settings,
    sdkEnv,
  );
  serverStats = await server.stats();
} finally {
  server.stop();
}
const sdkWroteHome = existsSync(join(sdkHome, '.huaweicloud'));

const variantLabels = {
  fetch: 'raw `fetch` (token header)',
  token: 'ours, token',
  aksk: 'ours, AK/SK',
  sdk: 'official SDK, AK/SK',
};
const httpRows = {};
for (const c of settings.concurrencies) {
  const rounds = http.results[c];
  httpRows[c] = {};
  for (const [name, series] of Object.entries(rounds)) {
    const pick = (key) => series.map((r) => r[key]);
    httpRows[c][name] = {
      latencyUs: median(pick('latencyUs')),
      cpuUs: median(pick('cpuUsPerReq')),
      reqPerSec: median(pick('reqPerSec')),
      latencyVsFetch: pairedRatio(pick('latencyUs'), rounds.fetch.map((r) => r.latencyUs)),
      cpuVsFetch: pairedRatio(pick('cpuUsPerReq'), rounds.fetch.map((r) => r.cpuUsPerReq)),
      rpsVsFetch: pairedRatio(pick('reqPerSec'), rounds.fetch.map((r) => r.reqPerSec)),
      rpsVsSdk: pairedRatio(pick('reqPerSec'), rounds.sdk.map((r) => r.reqPerSec)),
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Signing

log(`signing: ${settings.signRounds} rounds (+3 warm-up) × 3 signers × ${settings.signOps} operations …`);
const sign = await worker(
  'sign.mjs',
  { signerEntry, rounds: settings.signRounds, warmupRounds: 3, ops: settings.signOps },
  sdkEnv,
);
const signRows = Object.fromEntries(
  Object.entries(sign.results).map(([name, series]) => [
    name,
    { opsPerSec: median(series), vsOfficial: pairedRatio(series, sign.results.official) },
  ]),
);

// ---------------------------------------------------------------------------------------------------------------
// 3. Cold import

log(`cold import: ${settings.importRounds} rounds × 4 processes …`);
const importVariants = {
  bare: ['-e', '0'],
  // For reference: what evaluating ES module code costs before any of our modules loads.
  bareEsm: ['--input-type=module', '-e', '0'],
  ours: ['--input-type=module', '-e', `await import(${JSON.stringify(packageEntry)})`],
  sdk: ['-e', "require('@huaweicloud/huaweicloud-sdk-vod')"],
};
const importTimes = Object.fromEntries(Object.keys(importVariants).map((name) => [name, []]));
for (let round = -1; round < settings.importRounds; round++) {
  for (const name of rotate(Object.keys(importVariants), Math.max(round, 0) % Object.keys(importVariants).length)) {
    const ms = await timeSpawn(importVariants[name], { cwd: root, env: sdkEnv });
    if (round >= 0) importTimes[name].push(ms);
  }
}
const importRows = {
  bare: { ms: median(importTimes.bare) },
  bareEsm: { ms: median(importTimes.bareEsm), over: median(importTimes.bareEsm.map((t, i) => t - importTimes.bare[i])) },
  ours: { ms: median(importTimes.ours), over: median(importTimes.ours.map((t, i) => t - importTimes.bare[i])) },
  sdk: { ms: median(importTimes.sdk), over: median(importTimes.sdk.map((t, i) => t - importTimes.bare[i])) },
};

// ---------------------------------------------------------------------------------------------------------------
// 4. Installed size of the runtime closures

log('runtime closures: npm pack + npm install --omit=dev …');
const closures = {};
{
  // Ours: pack the build's copy (with package.json, README and the `files` of package.json, as `npm publish` would;
  // already built, so prepack is skipped) and install the tarball.
  const packDir = join(scratch, 'pack');
  mkdirSync(packDir);
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: packageDir }),
  )[0];
  const tarball = join(packDir, packed.filename);
  const project = join(scratch, 'ours');
  npmInstall(project, [tarball]);
  // It must load from there, by its package name.
  run(process.execPath, ['--input-type=module', '-e', `await import('${pkg.name}')`], { cwd: project });
  closures.ours = {
    ...treeSize(join(project, 'node_modules')),
    packages: countPackages(join(project, 'node_modules')),
    tarball: packed.size,
    measured: new Date().toISOString(),
    cached: false,
  };
}
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
      closures.sdk.cached = false;
    } catch (error) {
      log(`could not install the SDK's closure: ${String(error.message ?? error).split('\n')[0]}`);
      closures.sdk = { bytes: NaN, disk: NaN, files: NaN, packages: NaN, error: true };
    }
  }
}
// ---------------------------------------------------------------------------------------------------------------
// Report

const c1 = httpRows[1];
const c32 = httpRows[32];
const targets = [
  {
    name: 'ours (token) per request ≤ 1.15× raw fetch (median latency, concurrency 1)',
    value: c1.token.latencyVsFetch,
    cpu: c1.token.cpuVsFetch,
    met: c1.token.latencyVsFetch.median <= 1.15,
  },
  {
    name: 'ours (AK/SK) per request ≤ 1.25× raw fetch (median latency, concurrency 1)',
    value: c1.aksk.latencyVsFetch,
    cpu: c1.aksk.cpuVsFetch,
    met: c1.aksk.latencyVsFetch.median <= 1.25,
  },
  {
    name: 'ours (AK/SK) throughput ≥ 1.4× the official SDK at concurrency 1',
    value: c1.aksk.rpsVsSdk,
    met: c1.aksk.rpsVsSdk.median >= 1.4,
  },
  {
    name: 'ours (AK/SK) throughput ahead of the official SDK at concurrency 32',
    value: c32.aksk.rpsVsSdk,
    met: c32.aksk.rpsVsSdk.median > 1,
  },
  {
    name: 'our signRequest ops/s ≥ the official AKSKSigner.sign',
    value: signRows.signRequest.vsOfficial,
    met: signRows.signRequest.vsOfficial.median >= 1,
  },
  {
    name: 'our import ≤ 20 ms over bare node',
    text: fmt.ms(importRows.ours.over),
    met: importRows.ours.over <= 20,
  },
  {
    name: 'our runtime closure ≤ 300 KB',
    text: `${fmt.bytes(closures.ours.bytes)} (${closures.ours.bytes.toLocaleString('en-US')} bytes)`,
    met: closures.ours.bytes <= 300_000,
  },
];

const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown CPU';
const load = (l) => l.map((x) => x.toFixed(2)).join(' / ');
const elapsed = (performance.now() - wallStart) / 1000;

const httpTable = (c) => {
  const rows = httpRows[c];
  const lines = [
    `| concurrency ${c} | latency (median) | × fetch | client CPU / request | × fetch | throughput | × fetch | × SDK |`,
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const name of Object.keys(variantLabels)) {
    const r = rows[name];
    lines.push(
      `| ${variantLabels[name]} | ${fmt.us(r.latencyUs)} | ${fmt.ratio(r.latencyVsFetch.median)} | ${fmt.us(r.cpuUs)} | ` +
        `${fmt.ratio(r.cpuVsFetch.median)} | ${fmt.rate(r.reqPerSec)} | ${fmt.ratio(r.rpsVsFetch.median)} | ${fmt.ratio(r.rpsVsSdk.median)} |`,
    );
  }
  return lines.join('\n');
};

const tables = `\
Measured by \`npm run bench\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: Node ${process.version}, \
${cpus().length} cores (${cpuModel}), ${process.platform} ${process.arch}; load average ${load(loadAtStart)} at the start, \
${load(loadavg())} at the end.${quick ? ' **Quick run (--quick): too few rounds to rely on.**' : ''}

**Requests** (\`PublishAssetFromObs\`, the same body and the same 200 answer for every variant, from a server in \
a separate process on 127.0.0.1, keep-alive). Each variant runs in its own client process (its own heap, GC and JIT, \
as in an application that uses one client); ${settings.rounds} rounds after a warm-up, the processes taking turns; each round \
sends ${settings.requests[1]} requests at concurrency 1 and ${settings.requests[32]} at concurrency 32 per variant. Medians \
over rounds; ratios are medians of the per-round ratios. Latency: median time from call to parsed answer; client \
CPU: user + system time of the variant's process (\`process.cpuUsage\`) per request; throughput: requests per second of \
wall time. Our client runs with its defaults (body validation on, 30 s timeout).

${httpTable(1)}

${httpTable(32)}

**Signing** the same request (POST, 2 headers, the ${Buffer.byteLength(JSON.stringify(BODY))}-byte body), one operation after another, ${settings.signRounds} interleaved rounds of ${settings.signOps} after 3 warm-up rounds. \
\`signRequest\` takes and returns a WHATWG \`Request\`; \`signHeaders\` is the plain form our client uses.

| signer | operations / s (median) | × official |
|---|--:|--:|
| ours, \`signRequest(Request)\` | ${fmt.rate(signRows.signRequest.opsPerSec)} | ${fmt.ratio(signRows.signRequest.vsOfficial.median)} |
| ours, \`signHeaders({ method, url, headers, body })\` | ${fmt.rate(signRows.signHeaders.opsPerSec)} | ${fmt.ratio(signRows.signHeaders.vsOfficial.median)} |
| official \`AKSKSigner.sign\` | ${fmt.rate(signRows.official.opsPerSec)} | 1.00× |

**Cold import**: wall time of a fresh \`node\` process, median of ${settings.importRounds} interleaved spawns each; \
cost = median of the per-round differences to bare \`node -e 0\` (${fmt.ms(importRows.bare.ms)}).

| | process (median) | cost over bare node |
|---|--:|--:|
| ours: \`node --input-type=module -e "await import('…/dist/package/src/index.js')"\` (the build) | ${fmt.ms(importRows.ours.ms)} | ${fmt.ms(importRows.ours.over)} |
| official: \`node -e "require('@huaweicloud/huaweicloud-sdk-vod')"\` | ${fmt.ms(importRows.sdk.ms)} | ${fmt.ms(importRows.sdk.over)} |
| for reference, no import: \`node --input-type=module -e 0\` (ES module evaluation alone) | ${fmt.ms(importRows.bareEsm.ms)} | ${fmt.ms(importRows.bareEsm.over)} |

**Installed runtime closure**: \`npm install --omit=dev\` into an empty project; size = sum of the sizes of all files \
under its node_modules (apparent bytes, as \`du --apparent-size -b\`; on-disk blocks beside it).

| | packages | files | bytes | on disk |
|---|--:|--:|--:|--:|
| ours: the \`npm pack\` tarball (${fmt.bytes(closures.ours.tarball)}) | ${closures.ours.packages} | ${closures.ours.files} | ${fmt.bytes(closures.ours.bytes)} | ${fmt.bytes(closures.ours.disk)} |
| official: ${sdkPackages.map((s) => `\`${s}\``).join(' + ')}${closures.sdk.cached ? ` (cached measurement of ${closures.sdk.measured.slice(0, 10)}; \`--fresh\` to redo)` : ''} | ${closures.sdk.packages} | ${closures.sdk.files} | ${fmt.bytes(closures.sdk.bytes)} | ${fmt.bytes(closures.sdk.disk)} |

**Targets** (IQR: spread of the per-round ratios)

| target | measured | |
|---|--:|---|
${targets.map((t) => `| ${t.name} | ${t.text ?? spread(t.value)}${t.cpu ? `; client CPU ${fmt.ratio(t.cpu.median)}` : ''} | ${t.met ? '✅ met' : '❌ not met'} |`).join('\n')}

For reference: raw fetch is ${fmt.ratio(c1.fetch.rpsVsSdk.median)} the official SDK's throughput at concurrency 1 and \
${fmt.ratio(c32.fetch.rpsVsSdk.median)} at 32 on this run (the issue measured about 1.6× and 1.35× elsewhere). The server \
answered ${serverStats.token} token and ${serverStats.aksk} AK/SK requests (${serverStats.none} unauthenticated, ${serverStats.notFound} not found).${
  sdkWroteHome ? ' The SDK wrote its `.huaweicloud/application_id` into a temporary HOME, not into yours.' : ''
}${http.stdout.sdk ? ` The SDK printed ${http.stdout.sdk.length} bytes to stdout (captured, not shown).` : ''}`;

const report = `# Benchmarks\n\n${tables}\n\nWhole run: ${elapsed.toFixed(0)} s. Where our client's time goes, layer by layer: \
\`node bench/diagnose.mjs\` (see [README.md](README.md)).\n`;
writeFileSync(join(here, 'results.md'), report);
console.log(report);

if (!flag('no-readme')) {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start (generated by npm run bench; do not edit by hand) -->';
  const end = '<!-- bench:end -->';
  // The README gets the summary (when and where it ran, the targets); bench/results.md has every table.
  const summary = `${tables.slice(0, tables.indexOf('\n\n'))}\n\n${tables.slice(tables.indexOf('**Targets**'))}`;
  const block = `${start}\n${summary}\n${end}`;
  const at = readme.indexOf(start.slice(0, 17));
  const to = readme.indexOf(end);
  const next =
    at >= 0 && to > at
      ? `${readme.slice(0, at)}${block}${readme.slice(to + end.length)}`
      : `${readme.replace(/\s*$/, '\n')}\n## Benchmarks\n\nThe latest \`npm run bench\` (full report in [bench/results.md](bench/results.md)).\n\n${block}\n`;
  writeFileSync(readmePath, next);
  log(`README.md: Benchmarks section updated; report in ${relative(root, join(here, 'results.md'))}`);
}
