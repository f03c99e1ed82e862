// node bench/diagnose.mjs [--quick] [--rounds=N] [--only=http,stub,sign,timers] [--variants=<regexp>]
//
// Where our client's time goes, and what the changes in bench/proposed.patch would save. Not part of `npm run bench`
// (it takes a few minutes). It builds the package, and, when bench/proposed.patch applies to the current src/,
// a second build with the patch applied (in a temporary directory: src/ is not touched), then measures:
//   http  raw fetch with and without a timeout signal, our client layer by layer (timeout off, validation off),
//         the proposed build and the official SDK, against bench/server.mjs at concurrency 1 and 32;
//   stub  the same client variants with fetch replaced by a function that returns a ready Response: the client's
//         own CPU per call, without the network's noise;
//   sign  signHeaders and signRequest of both builds, the official signer, and the Request handling that
//         signRequest needs;
//   timers  AbortSignal.timeout per call (what the client does today) vs a cleared timer, each in its own process.
// Prints Markdown tables (ratios are medians of per-round ratios against the first row) and writes them to
// bench/diagnosis.md.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSnapshot, fmt, interleavedWorkers, pairedRatio, startServer, worker } from './harness.mjs';
import { median } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const variantFilter = args.find((a) => a.startsWith('--variants='))?.slice(11);
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? (quick ? 3 : 7));
const only = (args.find((a) => a.startsWith('--only='))?.slice(7) ?? 'http,stub,sign,timers').split(',');
const log = (message) => process.stderr.write(`${message}\n`);
const run = (command, argv, options = {}) =>
  execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

// The proposed build: src/ and generated/ copied, the patch applied, compiled with the package's tsconfig, and
// openapi-fetch imports pointed at the vendored copy, as scripts/package.mjs does.
const scratch = mkdtempSync(join(tmpdir(), 'vod-diagnose-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
log('building the package (npm run build:package) …');
buildSnapshot(root, join(scratch, 'package'));
const builds = { current: join(scratch, 'package', 'dist', 'package') };
const patch = join(here, 'proposed.patch');
let patchState = 'absent';
if (existsSync(patch)) {
  const tree = join(scratch, 'proposed');
  for (const part of ['src', 'generated', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
    cpSync(join(root, part), join(tree, part), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'), 'dir');
  try {
    run('git', ['apply', '--check', patch], { cwd: tree });
    run('git', ['apply', patch], { cwd: tree });
    const out = join(tree, 'dist');
    run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(tree, 'tsconfig.build.json'), '--outDir', out], { cwd: tree });
    cpSync(join(builds.current, 'vendor'), join(out, 'vendor'), { recursive: true });
    for (const dir of ['src', 'generated']) {
      for (const file of readdirSync(join(out, dir)).filter((f) => f.endsWith('.js'))) {
        const path = join(out, dir, file);
        const text = readFileSync(path, 'utf8');
        writeFileSync(path, text.replace(/(from\s+|import\()(['"])openapi-fetch\2/g, '$1$2../vendor/openapi-fetch/index.js$2'));
      }
    }
    builds.proposed = out;
    patchState = 'measured';
  } catch (error) {
    let applied = false;
    try {
      run('git', ['apply', '--reverse', '--check', patch], { cwd: tree });
      applied = true;
    } catch {}
    patchState = applied ? 'already applied to src/' : `does not apply: ${String(error.stderr || error.message).split('\n')[0]}`;
  }
}
log(`bench/proposed.patch: ${patchState}`);

const sections = [];
sections.push(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model?.trim()}), load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ')} at the start. bench/proposed.patch: ${patchState}.`,
);

function requestTable(title, results, concurrency) {
  const series = results[concurrency];
  const names = Object.keys(series);
  const base = series[names[0]];
  const lines = [
    `**${title}, concurrency ${concurrency}**`,
    '',
    '| variant | latency | × first | CPU / call | × first | calls/s | × first |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const name of names) {
    const s = series[name];
    const pick = (rows, key) => rows.map((r) => r[key]);
    lines.push(
      `| ${name} | ${fmt.us(median(pick(s, 'latencyUs')))} | ${fmt.ratio(pairedRatio(pick(s, 'latencyUs'), pick(base, 'latencyUs')).median)} | ` +
        `${fmt.us(median(pick(s, 'cpuUsPerReq')))} | ${fmt.ratio(pairedRatio(pick(s, 'cpuUsPerReq'), pick(base, 'cpuUsPerReq')).median)} | ` +
        `${fmt.rate(median(pick(s, 'reqPerSec')))} | ${fmt.ratio(pairedRatio(pick(s, 'reqPerSec'), pick(base, 'reqPerSec')).median)} |`,
    );
  }
  return lines.join('\n');
}

const sdkHome = join(scratch, 'home');
const env = { ...process.env, HOME: sdkHome, USERPROFILE: sdkHome };
try {
  // The request variants of bench/http.mjs, each in its own process; --variants=<regexp> keeps the matching ones
  // (raw fetch, the baseline, always stays). The proposed ones need the patch to apply.
  const requestVariants = [
    'raw fetch',
    'raw fetch + AbortSignal.timeout(30 s)',
    'raw fetch + cleared 30 s timer',
    'ours, token',
    'ours, token, timeoutMs 0',
    'ours, token, timeoutMs 0, validate false',
    'ours, AK/SK',
    'ours, AK/SK, timeoutMs 0',
    ...(builds.proposed ? ['proposed, token', 'proposed, AK/SK'] : []),
  ].filter((v, i) => i === 0 || !variantFilter || new RegExp(variantFilter).test(v));
  if (only.includes('http')) {
    const variants = [...requestVariants, ...(!variantFilter || new RegExp(variantFilter).test('official SDK, AK/SK') ? ['official SDK, AK/SK'] : [])];
    log(`http: ${variants.length} variants, ${rounds} rounds …`);
    const server = await startServer();
    try {
      const { results } = await interleavedWorkers(
        variants,
        { builds, baseUrl: server.baseUrl },
        { rounds, warmupRounds: 1, requests: { 1: quick ? 100 : 250, 32: quick ? 400 : 1000 }, concurrencies: [1, 32] },
        env,
      );
      sections.push(requestTable('HTTP, local server', results, 1), requestTable('HTTP, local server', results, 32));
    } finally {
      server.stop();
    }
  }
  if (only.includes('stub')) {
    log(`stub: ${requestVariants.length} variants, ${rounds} rounds …`);
    const { results } = await interleavedWorkers(
      requestVariants,
      { builds, stub: true },
      { rounds, warmupRounds: 2, requests: { 1: quick ? 1000 : 3000 }, concurrencies: [1] },
      env,
    );
    sections.push(requestTable('fetch stubbed (no network; the client’s own work)', results, 1));
  }
  if (only.includes('sign')) {
    log(`sign: ${rounds} rounds …`);
    const { results } = await worker('diagnose-worker.mjs', { mode: 'sign', builds, rounds, warmupRounds: 3, ops: quick ? 500 : 2000 }, env);
    const names = Object.keys(results);
    sections.push(
      [
        '**Signing, one operation after another**',
        '',
        '| operation | ops/s | µs / op | × official |',
        '|---|--:|--:|--:|',
        ...names.map(
          (n) =>
            `| ${n} | ${fmt.rate(median(results[n]))} | ${fmt.us(1e6 / median(results[n]))} | ${fmt.ratio(pairedRatio(results[n], results[names[0]]).median)} |`,
        ),
      ].join('\n'),
    );
  }
  if (only.includes('timers')) {
    const calls = quick ? 20_000 : 50_000;
    const roundsPerProcess = 8;
    log(`timers: 3 kinds × 2 processes × ${roundsPerProcess} rounds of ${calls} calls …`);
    const kinds = ['AbortSignal.timeout(30 s)', 'AbortController + setTimeout, cleared', 'AbortController alone'];
    const runs = Object.fromEntries(kinds.map((k) => [k, []]));
    for (let repeat = 0; repeat < 2; repeat++) {
      for (const variant of kinds) {
        const { results } = await worker('diagnose-worker.mjs', { mode: 'timers', variant, rounds: roundsPerProcess, calls });
        runs[variant].push(results);
      }
    }
    sections.push(
      [
        `**Per-call timeout signals, ${roundsPerProcess} × ${calls} calls in one process** (CPU per call in the first and last round, median of 2 processes; RSS at the end)`,
        '',
        '| signal | CPU / call, first round | CPU / call, last round | RSS |',
        '|---|--:|--:|--:|',
        ...kinds.map((k) => {
          const first = median(runs[k].map((r) => r.cpuPerCall[0]));
          const last = median(runs[k].map((r) => r.cpuPerCall.at(-1)));
          return `| ${k} | ${fmt.us(first)} | ${fmt.us(last)} | ${fmt.bytes(median(runs[k].map((r) => r.rssBytes)))} |`;
        }),
      ].join('\n'),
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const report = `# Diagnosis\n\nWritten by \`node bench/diagnose.mjs${args.length ? ` ${args.join(' ')}` : ''}\` on ${new Date()
  .toISOString()
  .slice(0, 16)
  .replace('T', ' ')} UTC. Ratios are medians of per-round ratios against the first row of each table.\n\n${sections.join('\n\n')}\n`;
writeFileSync(join(here, 'diagnosis.md'), report);
console.log(report);
