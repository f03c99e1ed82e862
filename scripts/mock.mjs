// npm run mock: a Prism mock of generated/openapi.json with --errors (invalid requests get the declared 4xx, a
// request without credentials 401), on 127.0.0.1, port $PORT or 4010 (a free port when that one is taken, saying
// which). Stops Prism on SIGINT, SIGTERM and SIGHUP, and when the command that started it is gone
// (scripts/lifecycle.mjs).
import { fileURLToPath } from 'node:url';
import { stopTogether } from './lifecycle.mjs';
import { portOrFree, startPrism } from './prism.mjs';

export function portFromEnv(value = process.env.PORT) {
  if (value === undefined || value === '') return 4010;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be an integer in 1..65535, got "${value}"`);
    process.exit(2);
  }
  return port;
}

/**
 * Runs Prism until the command is asked to stop (see scripts/lifecycle.mjs) or Prism itself exits. Pass the
 * `lifecycle` that tracked Prism's start, so that a stop asked for during the start stops it too.
 */
export function runUntilSignal(prism, lifecycle) {
  if (!lifecycle) {
    lifecycle = stopTogether();
    lifecycle.track(prism);
  }
  prism.child.once('exit', (code, signal) => {
    if (lifecycle.stopping) return;
    // Ctrl+C reaches Prism too (same process group), possibly before this process handles it: not a failure.
    if (signal) void lifecycle.stop(`Prism stopped (${signal})`);
    else void lifecycle.stop(`Prism exited unexpectedly (code ${code})`, code || 1);
  });
}

/** Starts Prism on `wanted`, or on a free port when that one is busy, saying so in one line; on failure, one line. */
export async function startPrismOnce(lifecycle, wanted, options, what = 'the mock') {
  const port = await portOrFree(wanted);
  if (port !== wanted) console.warn(`port ${wanted} is busy; starting ${what} on port ${port} instead`);
  try {
    return await lifecycle.track(startPrism({ ...options, port }));
  } catch (error) {
    // Prism's own output (usage text and all) is on the console already; its message would repeat it.
    const busy = /EADDRINUSE/.test(error.message) ? `port ${port} is busy` : error.message.split('\n')[0];
    console.error(`Prism did not start: ${busy}`);
    process.exit(1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const lifecycle = stopTogether();
  const prism = await startPrismOnce(lifecycle, portFromEnv(), { mode: 'mock', errors: true, stdio: 'inherit' });
  console.log(`Prism mock of generated/openapi.json (--errors) listening on ${prism.url}`);
  console.log(`  e.g. curl -i -X POST ${prism.url}/v1.0/0123456789abcdef/asset/smart_cover -H 'content-type: application/json' -H 'x-auth-token: t' -d '{"asset_id":"3e1cd21131a94525be55acf65888bf46"}'`);
  runUntilSignal(prism, lifecycle);
}
