// npm run mock: a Prism mock of generated/openapi.json with --errors (invalid requests get the declared 4xx, a
// request without credentials 401), on 127.0.0.1, port $PORT or 4010. Stops on SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { startPrism } from './prism.mjs';

export function portFromEnv(value = process.env.PORT) {
  if (value === undefined || value === '') return 4010;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`PORT must be an integer in 1..65535, got "${value}"`);
    process.exit(2);
  }
  return port;
}

/** Runs a started Prism until SIGINT/SIGTERM (or until Prism itself exits, with its exit code). */
export function runUntilSignal(prism) {
  let stopping = false;
  prism.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`Prism exited unexpectedly (code ${code})`);
    process.exit(code || 1);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      stopping = true;
      console.log(`\n${signal}: stopping Prism`);
      await prism.stop();
      process.exit(0);
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = portFromEnv();
  const prism = await startPrism({ mode: 'mock', port, errors: true, stdio: 'inherit' });
  console.log(`Prism mock of generated/openapi.json (--errors) listening on ${prism.url}`);
  console.log(`  e.g. curl -i -X POST ${prism.url}/v1.0/0123456789abcdef/asset/smart_cover -H 'content-type: application/json' -H 'x-auth-token: t' -d '{"asset_id":"3e1cd21131a94525be55acf65888bf46"}'`);
  runUntilSignal(prism);
}
