// VOD_TARGET=simulator for the contract suite (test/contract/target.ts): the suite starts the VOD simulator
// (src/simulator/) itself on a free port, with writes on and both credential kinds (the token for every request,
// the AK/SK pair for the signature checks), and stops it at the end. Simulated time runs 600 times faster, so that
// the rate-limit windows (one simulated minute = 0.1 s) never hold the suite up while a burst still meets them, and
// an OBS transfer ends within milliseconds.
import { startVodSimulator, type VodSimulator } from '../../src/simulator/index.js';
import type { Target } from '../contract/target.js';
import { spec, type Json } from '../helpers/spec.js';

/**
 * The OBS buckets the suite's transfer requests name: the spec's examples (the suite builds its valid requests from
 * them). They start authorised, as the bucket of VOD_OBS_BUCKET is on a real account: the suite checks the
 * operations, and the simulator's own tests check that a bucket that is not authorised is refused.
 */
export function exampleBuckets(document: Json = spec): string[] {
  const found = new Set<string>();
  const walk = (node: Json, key?: string) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, key));
    if (node && typeof node === 'object') return Object.entries(node).forEach(([k, v]) => walk(v, k === 'examples' || k === 'example' || k === 'value' ? key : k));
    if (key === 'bucket' && typeof node === 'string' && !node.startsWith('$')) found.add(node);
  };
  walk(document);
  return [...found];
}

const SIMULATOR = {
  projectId: '5c0a9e21d7f84a0bb3c61f2e8d4a7b90',
  domainId: '7e3b5d1c9a2f48e6b0d4c8a1f5e9b3d7',
  token: 'contract-suite-simulator-token',
  ak: 'CONTRACTSUITESIMULATORAK',
  sk: 'contract-suite-simulator-sk-4f1e',
};

export function simulatorTarget(reportDir: string, env: NodeJS.ProcessEnv = process.env): Target {
  let sim: VodSimulator | undefined;
  const timeScale = Number(env.VOD_SIMULATOR_TIME_SCALE) || 600;
  return {
    ownMock: false,
    prism: false,
    loopback: true,
    writes: true,
    projectId: SIMULATOR.projectId,
    pathValues: { domain_id: SIMULATOR.domainId },
    token: SIMULATOR.token,
    aksk: { ak: SIMULATOR.ak, sk: SIMULATOR.sk },
    label: 'the VOD simulator (src/simulator)',
    reportDir,
    baseUrl: () => {
      if (!sim) throw new Error('the VOD simulator is not started');
      return sim.url;
    },
    redact: (text) => text,
    start: async () => {
      sim = await startVodSimulator({ ...SIMULATOR, timeScale, authorisedBuckets: exampleBuckets() });
    },
    stop: async () => {
      await sim?.close();
    },
  };
}
