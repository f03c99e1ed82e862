// Used by bench/run.mjs: starting the server and the workers (under the Node binary being measured), and formatting
// numbers.
import { execFileSync, fork } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Forks a benchmark worker under `execPath` (a Node binary), returns its { type: 'results' } message; its stdout is
 * kept (the SDK may print).
 */
export function worker(script, config, env = process.env, execPath = process.execPath) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, script), [JSON.stringify(config)], {
      execPath,
      execArgv: ['--expose-gc'],
      env,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    let stdout = '';
    let result;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('message', (message) => {
      if (message?.type === 'results') result = message;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result) resolve({ ...result, stdout });
      else reject(new Error(`${script} exited with ${code}${stdout ? `; its stdout:\n${stdout}` : ''}`));
    });
  });
}

export async function startServer() {
  const child = fork(join(here, 'server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.on('message', (m) => m?.type === 'listening' && resolve(m.port));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`bench/server.mjs exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m.stats));
        child.send({ type: 'stats' });
      }),
    stop: () => child.kill('SIGTERM'),
  };
}

export const fmt = {
  us: (v) => (Number.isFinite(v) ? `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} µs` : 'n/a'),
  ms: (v) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a'),
  rate: (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')}/s` : 'n/a'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : 'n/a'),
  bytes: (v) =>
    !Number.isFinite(v)
      ? 'n/a'
      : v >= 1e6
        ? `${(v / 1e6).toFixed(1)} MB`
        : `${(v / 1e3).toFixed(0)} KB`,
};
export const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
};
/** Per-round ratios a[i]/b[i] of two interleaved series: median and interquartile range. */
export function pairedRatio(a, b) {
  const ratios = a.map((x, i) => x / b[i]);
  return { median: median(ratios), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

/**
 * Runs `npm run build:package` and copies the result, with what `npm pack` takes from the repository, into
 * `dest` (a stand-in package directory). The benchmarks then use that copy: others may rebuild dist/ meanwhile.
 * The copy must load (its entry points imported in a child process), else the build is retried.
 */
export function buildSnapshot(root, dest, attempts = 3) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('npm', ['run', 'build:package'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      rmSync(dest, { recursive: true, force: true });
      mkdirSync(dest, { recursive: true });
      for (const entry of [...pkg.files, 'package.json', ...readdirSync(root).filter((f) => /^(readme|licen[cs]e)/i.test(f))]) {
        if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dest, entry), { recursive: true });
      }
      const entries = Object.values(pkg.exports)
        .map((e) => (typeof e === 'string' ? e : e.default))
        .filter((e) => e.endsWith('.js'));
      const imports = entries.map((e) => `await import(${JSON.stringify(pathToFileURL(join(dest, e)).href)});`).join('');
      execFileSync(process.execPath, ['--input-type=module', '-e', imports], { stdio: ['ignore', 'pipe', 'pipe'] });
      return { entries: Object.fromEntries(Object.entries(pkg.exports).map(([k, e]) => [k, join(dest, typeof e === 'string' ? e : e.default)])) };
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * Starts bench/http.mjs once per variant, under `execPath` (each its own process: its own heap, GC and JIT), then runs rounds: in
 * every round, at each concurrency, each variant runs one batch, one process at a time, in an order rotated per
 * round so that each goes first equally often. `warmupRounds` rounds come first and are not recorded.
 * Returns { results: { [concurrency]: { [variant]: [batch result per round] } }, stdout: { [variant]: text } }.
 */
export async function interleavedWorkers(
  variants,
  workerConfig,
  { rounds, warmupRounds, requests, concurrencies },
  env = process.env,
  execPath = process.execPath,
) {
  const workers = {};
  const stdout = {};
  try {
    for (const variant of variants) {
      const child = fork(join(here, 'http.mjs'), [JSON.stringify({ ...workerConfig, variant })], {
        execPath,
        execArgv: ['--expose-gc'],
        env,
        stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      });
      stdout[variant] = '';
      child.stdout.on('data', (chunk) => {
        stdout[variant] += chunk;
      });
      // Messages in arrival order; next() takes the first (or waits for it). An early exit fails the waiter.
      const queue = [];
      let waiter;
      let exited;
      child.on('message', (message) => (waiter ? (waiter.resolve(message), (waiter = undefined)) : queue.push(message)));
      child.on('exit', (code) => {
        exited = new Error(`bench/http.mjs (${variant}) exited with ${code}${stdout[variant] ? `: ${stdout[variant]}` : ''}`);
        waiter?.reject(exited);
      });
      const next = () =>
        queue.length ? Promise.resolve(queue.shift()) : exited ? Promise.reject(exited) : new Promise((resolve, reject) => (waiter = { resolve, reject }));
      workers[variant] = { child, next };
    }
    // Each worker answers { type: 'ready' } once its client is built and one request has succeeded.
    for (const variant of variants) await workers[variant].next();
    const results = Object.fromEntries(concurrencies.map((c) => [c, Object.fromEntries(variants.map((v) => [v, []]))]));
    for (let round = -warmupRounds; round < rounds; round++) {
      for (const concurrency of concurrencies) {
        const order = variants.map((_, i) => variants[(i + ((round % variants.length) + variants.length)) % variants.length]);
        for (const variant of order) {
          const answer = workers[variant].next();
          workers[variant].child.send({ type: 'batch', requests: requests[concurrency], concurrency });
          const { result } = await answer;
          if (round >= 0) results[concurrency][variant].push(result);
        }
      }
    }
    return { results, stdout };
  } finally {
    for (const { child } of Object.values(workers)) {
      if (child.connected) child.send({ type: 'exit' });
      setTimeout(() => child.kill(), 2000).unref();
    }
  }
}
