// npm run simulator: the stateful VOD simulator (src/simulator/) on 127.0.0.1, its URL and credentials printed, until
// SIGINT/SIGTERM/SIGHUP. Settings from the environment, so that any tool can drive it:
//   VOD_SIMULATOR_PORT (else PORT, else 4020; a busy port is replaced by a free one, saying so)
//   VOD_SIMULATOR_PROJECT_ID, VOD_SIMULATOR_DOMAIN_ID   the project (and account, for the {domain_id} paths)
//   VOD_SIMULATOR_TOKEN                                 the one X-Auth-Token it accepts
//   VOD_SIMULATOR_AK, VOD_SIMULATOR_SK                  the one key pair whose signatures it accepts
//   VOD_SIMULATOR_TIME_SCALE                            simulated time per real time (asset clock, rate limits)
//   VOD_SIMULATOR_PROCESSING_MS                         simulated ms a transfer or transcoding takes
// Unset credentials get fixed defaults (printed), so that scripts can rely on them. Control over HTTP under
// /_simulator/ (state, reset, faults, clock, obs/objects): see docs/simulator-guide.md.
//
// Node cannot run the TypeScript sources, so the simulator is bundled with esbuild (a dev dependency) in memory
// first; from an installed package, import 'huaweicloud-vod-openapi/simulator' instead.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './paths.mjs';

export const DEFAULTS = {
  port: 4020,
  projectId: '0123456789abcdef0123456789abcdef',
  domainId: 'fedcba9876543210fedcba9876543210',
  token: 'simulator-token',
  ak: 'SIMULATORAK0000000001',
  sk: 'simulator-sk-0000000000000000000001',
};

/**
 * Bundles src/simulator/index.ts in memory and imports it (nothing is written, so that two runs never race on a
 * file); returns the module (startVodSimulator, …). Give it `specPath` (specFile below): a bundle imported from a
 * data: URL cannot find generated/openapi.json beside itself.
 */
export async function loadSimulator() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'src', 'simulator', 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString('base64')}`);
}

/** The spec the simulator serves. */
export const specFile = join(root, 'generated', 'openapi.json');

function number(env, name, { integer = false, min = 0, max = Infinity } = {}) {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    throw new Error(`${name}=${text} is not ${integer ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return value;
}

/** The simulator's options from the environment (throws naming the variable on a bad value). */
export function optionsFromEnv(env = process.env) {
  const port = number(env, 'VOD_SIMULATOR_PORT', { integer: true, max: 65535 }) ?? number(env, 'PORT', { integer: true, max: 65535 }) ?? DEFAULTS.port;
  const ak = env.VOD_SIMULATOR_AK || undefined;
  const sk = env.VOD_SIMULATOR_SK || undefined;
  if (Boolean(ak) !== Boolean(sk)) throw new Error('VOD_SIMULATOR_AK and VOD_SIMULATOR_SK go together');
  const timeScale = number(env, 'VOD_SIMULATOR_TIME_SCALE'); // 0 freezes the clock (moved by POST /_simulator/clock)
  const processingMs = number(env, 'VOD_SIMULATOR_PROCESSING_MS', { integer: true });
  return {
    port,
    projectId: env.VOD_SIMULATOR_PROJECT_ID || DEFAULTS.projectId,
    domainId: env.VOD_SIMULATOR_DOMAIN_ID || DEFAULTS.domainId,
    token: env.VOD_SIMULATOR_TOKEN || DEFAULTS.token,
    ak: ak ?? DEFAULTS.ak,
    sk: sk ?? DEFAULTS.sk,
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(processingMs !== undefined ? { processingMs } : {}),
    anyObjectExists: true,
  };
}

async function portIsFree(port) {
  if (port === 0) return true;
  const probe = createServer();
  return new Promise((done) => {
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

/** Starts it as npm run simulator does; returns the handle. */
export async function startFromEnv(env = process.env) {
  const options = optionsFromEnv(env);
  if (!(await portIsFree(options.port))) {
    console.warn(`port ${options.port} is busy; starting the simulator on a free port instead`);
    options.port = 0;
  }
  const { startVodSimulator } = await loadSimulator();
  return startVodSimulator({ ...options, specPath: specFile });
}

/** What npm run simulator prints: where it is and how to call it. */
export function simulatorMessage(sim) {
  return [
    `VOD simulator: ${sim.url}`,
    `  project ${sim.projectId}, account (domain) ${sim.domainId}, time scale ${sim.clock.timeScale}`,
    `  X-Auth-Token: ${sim.token}   AK: ${sim.ak}   SK: ${sim.sk}`,
    `  e.g. curl -i '${sim.url}/v1.0/${sim.projectId}/asset/list' -H 'x-auth-token: ${sim.token}'`,
    `  control: ${sim.url}/_simulator/state, /_simulator/reset, /_simulator/faults, /_simulator/clock`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let sim;
  const stop = async (signal) => {
    await sim?.close();
    console.log(`\nVOD simulator stopped (${signal})`);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => void stop(signal));
  try {
    sim = await startFromEnv();
    console.log(simulatorMessage(sim));
  } catch (error) {
    console.error(`npm run simulator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
