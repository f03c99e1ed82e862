// The implementation the contract suite runs against:
// - default: a Prism mock of generated/openapi.json that the suite starts itself on a free port;
// - VOD_TARGET=prism: a Prism mock started elsewhere (`npm run mock`), at VOD_BASE_URL or http://127.0.0.1:4010;
// - VOD_BASE_URL: any implementation, with VOD_PROJECT_ID and VOD_AUTH_TOKEN and/or VOD_AK + VOD_SK (optionally
//   VOD_SECURITY_TOKEN). With both, requests carry the token and the AK/SK checks use the pair.
// Requests that write (every operation whose method is not GET: each creates, changes or deletes something) go to
// a non-Prism target only with VOD_CONTRACT_WRITES=1; with VOD_OBS_BUCKET, VOD_OBS_LOCATION and VOD_OBS_OBJECT as
// well, the suite runs the whole OBS chain on that object. Path parameters other than the project ID come from
// VOD_<NAME> (VOD_DOMAIN_ID for {domain_id}); without one, that operation's checks are skipped on a real target.
import { join } from 'node:path';
import { startPrism } from '../../scripts/prism.mjs';
import { root } from '../../scripts/paths.mjs';
import { operations } from './cases/operations.js';
// VOD_TARGET=simulator: the suite starts src/simulator itself (test/simulator/contract-target.ts).
import { simulatorTarget } from '../simulator/contract-target.js';

export interface AkSk {
  ak: string;
  sk: string;
  securityToken?: string;
}

export interface Target {
  /** The suite's own Prism mock. */
  ownMock: boolean;
  /** A Prism mock (own, or VOD_TARGET=prism): cases Prism cannot judge are skipped with the reason. */
  prism: boolean;
  /** On 127.0.0.1/localhost: no request spacing for rate limits. */
  loopback: boolean;
  /** Requests that write may be sent. */
  writes: boolean;
  projectId: string;
  /** Values of path parameters other than project_id (VOD_DOMAIN_ID → domain_id). */
  pathValues: Record<string, string>;
  token?: string;
  aksk?: AkSk;
  /** A real OBS object for the transfer chain. */
  obs?: { bucket: string; location: string; object: string };
  /** What the suite runs against, for titles and the report. */
  label: string;
  /** Where the JSON and Markdown reports go. */
  reportDir: string;
  baseUrl: () => string;
  /** Replaces every credential value in `text`. */
  redact: (text: string) => string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

export const WRITES_REASON =
  'a write (every operation whose method is not GET changes state): on a non-Prism target only with VOD_CONTRACT_WRITES=1';
export const UNAUTHENTICATED_WRITES_REASON =
  'a target that wrongly accepted this valid request would write: on a non-Prism target only with VOD_CONTRACT_WRITES=1';

function redactor(secrets: (string | undefined)[]) {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text: string) => values.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname);

/** The Prism mock's credentials: Prism checks that the security headers are there, not what they say. */
const MOCK = {
  projectId: '0123456789abcdef0123456789abcdef',
  token: 'contract-suite-token',
  aksk: { ak: 'CONTRACTSUITEAK', sk: 'contract-suite-sk' },
};

/** Where the reports go: VOD_CONTRACT_REPORT, else dist/contract-report/ (the console reporter reads it there). */
export const reportDirFromEnv = (env: NodeJS.ProcessEnv = process.env) => env.VOD_CONTRACT_REPORT?.trim() || join(root, 'dist', 'contract-report');

/** The path parameters of the spec other than project_id, each from VOD_<NAME> when set. */
function pathValuesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const names = new Set(operations().flatMap((op) => op.parameters.filter((p) => p.in === 'path' && p.name !== 'project_id').map((p) => p.name)));
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[`VOD_${name.toUpperCase()}`]?.trim();
    if (value) out[name] = value;
  }
  return out;
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const reportDir = reportDirFromEnv(env);
  const baseUrl = env.VOD_BASE_URL?.trim();
  const prismElsewhere = env.VOD_TARGET?.trim().toLowerCase() === 'prism';
  if (env.VOD_TARGET?.trim().toLowerCase() === 'simulator') return simulatorTarget(reportDir, env);
  if (env.VOD_TARGET && !prismElsewhere) throw new Error(`contract suite: VOD_TARGET must be "prism", "simulator" (or unset), got "${env.VOD_TARGET}"`);

  if (!baseUrl && !prismElsewhere) {
    let prism: Awaited<ReturnType<typeof startPrism>> | undefined;
    return {
      ownMock: true,
      prism: true,
      loopback: true,
      writes: true,
      ...MOCK,
      pathValues: {},
      label: 'Prism mock of generated/openapi.json',
      reportDir,
      baseUrl: () => {
        if (!prism) throw new Error('the Prism mock is not started');
        return prism.url;
      },
      redact: (text) => text,
      start: async () => {
        prism = await startPrism({ mode: 'mock', errors: true });
      },
      stop: async () => {
        await prism?.stop();
      },
    };
  }

  const url = (baseUrl || 'http://127.0.0.1:4010').replace(/\/+$/, '');
  const problems: string[] = [];
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed))) {
      problems.push('VOD_BASE_URL: https:// is required (http:// only on loopback)');
    }
  } catch {
    problems.push(`VOD_BASE_URL is not a URL: ${url}`);
  }
  const projectId = env.VOD_PROJECT_ID?.trim() || (prismElsewhere ? MOCK.projectId : undefined);
  if (!projectId) problems.push('VOD_PROJECT_ID is required with VOD_BASE_URL');
  const token = env.VOD_AUTH_TOKEN || (prismElsewhere && !env.VOD_AK ? MOCK.token : undefined);
  const { VOD_AK: ak, VOD_SK: sk, VOD_SECURITY_TOKEN: securityToken } = env;
  let aksk: AkSk | undefined;
  if (ak && sk) aksk = { ak, sk, ...(securityToken ? { securityToken } : {}) };
  else if (ak || sk) problems.push('VOD_AK and VOD_SK go together');
  else if (prismElsewhere) aksk = MOCK.aksk;
  if (!token && !aksk) problems.push('VOD_AUTH_TOKEN, or VOD_AK and VOD_SK, are required with VOD_BASE_URL');
  const { VOD_OBS_BUCKET: bucket, VOD_OBS_LOCATION: location, VOD_OBS_OBJECT: object } = env;
  if ((bucket || location || object) && !(bucket && location && object)) {
    problems.push('VOD_OBS_BUCKET, VOD_OBS_LOCATION and VOD_OBS_OBJECT go together');
  }
  if (problems.length) throw new Error(`contract suite: ${problems.join('; ')}`);
  return {
    ownMock: false,
    prism: prismElsewhere,
    loopback: isLoopback(parsed!),
    writes: prismElsewhere || env.VOD_CONTRACT_WRITES === '1',
    projectId: projectId!,
    pathValues: pathValuesFromEnv(env),
    ...(token ? { token } : {}),
    ...(aksk ? { aksk } : {}),
    ...(bucket && location && object ? { obs: { bucket, location, object } } : {}),
    label: prismElsewhere ? `Prism mock at ${url}` : url,
    reportDir,
    baseUrl: () => url,
    redact: redactor([token, sk, securityToken]),
    start: async () => {},
    stop: async () => {},
  };
}
