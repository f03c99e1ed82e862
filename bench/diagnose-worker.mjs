// Worker of bench/diagnose.mjs (the request variants run in bench/http.mjs). Modes:
//   sign  signing operations per second: both builds (current, and proposed when bench/proposed.patch applies) and
//         the official signer
//   timers  the cost of one kind of per-call timeout signal (one process per kind)
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { BODY, rotate, signingFixture } from './lib.mjs';

const require = createRequire(import.meta.url);
const config = JSON.parse(process.argv[2]);
const { mode, builds } = config; // builds: { current: dir, proposed?: dir } (each a dist/package)
const load = async (dir, file) => import(pathToFileURL(`${dir}/src/${file}`).href);

if (mode === 'timers') {
  // One kind of per-call timeout signal, created (and, where it can be, cleared) call after call in a process of its
  // own: what AbortSignal.timeout leaves behind (a live timer and a weak reference per call, for the whole timeout)
  // slows every later call and the GC, so it must not share a heap with the others.
  const make = {
    'AbortSignal.timeout(30 s)': () => AbortSignal.timeout(30_000),
    'AbortController + setTimeout, cleared': () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      clearTimeout(timer);
      return controller.signal;
    },
    'AbortController alone': () => new AbortController().signal,
  }[config.variant];
  const cpuPerCall = [];
  for (let round = 0; round < config.rounds; round++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < config.calls; i++) {
      make();
      if (i % 100 === 0) await null;
    }
    globalThis.gc?.();
    const cpu = process.cpuUsage(cpu0);
    cpuPerCall.push((cpu.user + cpu.system) / config.calls);
  }
  process.send({ type: 'results', results: { cpuPerCall, rssBytes: process.memoryUsage().rss } });
} else if (mode === 'sign') {
  const { AKSKSigner, url, body, headers, ours: credentials, official } = signingFixture(require);
  const variants = {
    'official AKSKSigner.sign': [
      () => ({ method: 'POST', endpoint: url, headers: headers(), queryParams: {}, data: BODY }),
      (r) => AKSKSigner.sign(r, official),
    ],
  };
  for (const [name, dir] of Object.entries(builds)) {
    if (!dir) continue;
    const signer = await load(dir, 'signer.js');
    variants[`${name} signHeaders`] = [
      () => ({ method: 'POST', url, headers: new Headers(headers()), body }),
      (r) => signer.signHeaders(r, credentials),
    ];
    variants[`${name} signRequest`] = [
      () => new Request(url, { method: 'POST', headers: headers(), body }),
      (r) => signer.signRequest(r, credentials),
    ];
  }
  // The parts of signRequest that are not signing: WHATWG Request and body handling.
  variants['Request clone + arrayBuffer'] = [() => new Request(url, { method: 'POST', headers: headers(), body }), (r) => r.clone().arrayBuffer()];
  variants['new Request(request, { headers, body })'] = [
    () => new Request(url, { method: 'POST', headers: headers(), body }),
    (r) => new Request(r, { headers: new Headers(r.headers), body }),
  ];
  const names = Object.keys(variants);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -config.warmupRounds; round < config.rounds; round++) {
    for (const name of rotate(names, Math.max(round, 0) % names.length)) {
      const [input, run] = variants[name];
      const inputs = Array.from({ length: config.ops }, input);
      globalThis.gc?.();
      const t0 = performance.now();
      for (let i = 0; i < inputs.length; i++) await run(inputs[i]);
      if (round >= 0) results[name].push(inputs.length / ((performance.now() - t0) / 1000));
    }
  }
  process.send({ type: 'results', results });
}
process.disconnect();
