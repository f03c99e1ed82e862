// The implementation the contract suite runs against: by default a Prism mock of generated/openapi.json that the
// suite starts itself on a free port; with VOD_BASE_URL, any implementation, with VOD_PROJECT_ID and either
// VOD_AUTH_TOKEN or VOD_AK/VOD_SK (optionally VOD_SECURITY_TOKEN). Requests that create an asset are sent to a
// non-mock target only with VOD_CONTRACT_WRITES=1.
import { createVodClient, type Credentials } from '../../src/index.js';
import { startPrism } from '../../scripts/prism.mjs';

export interface Target {
  /** true: the suite's own Prism mock. */
  mock: boolean;
  /** Requests that create an asset may be sent. */
  writes: boolean;
  projectId: string;
  credentials: Credentials;
  /** Which credentials are used, for messages (never their values). */
  authLabel: string;
  /** What the suite runs against, for the suite's title. */
  label: string;
  /** The base URL (for the mock: once started). */
  baseUrl: () => string;
  /** Replaces every credential value in `text`. */
  redact: (text: string) => string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

export const WRITES_REASON = 'creates an asset: on a non-mock target only with VOD_CONTRACT_WRITES=1';
export const UNAUTHENTICATED_WRITES_REASON =
  'a target that wrongly accepted this valid body would create an asset: on a non-mock target only with VOD_CONTRACT_WRITES=1';

function redactor(secrets: (string | undefined)[]) {
  const values = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text: string) => values.reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const baseUrl = env.VOD_BASE_URL?.trim();
  if (!baseUrl) {
    const credentials = { token: 'contract-suite-token' };
    let prism: Awaited<ReturnType<typeof startPrism>> | undefined;
    return {
      mock: true,
      writes: true,
      projectId: '0123456789abcdef0123456789abcdef',
      credentials,
      authLabel: 'X-Auth-Token',
      label: 'Prism mock of generated/openapi.json',
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

  const problems: string[] = [];
  const projectId = env.VOD_PROJECT_ID?.trim();
  if (!projectId) problems.push('VOD_PROJECT_ID is required with VOD_BASE_URL');
  const token = env.VOD_AUTH_TOKEN;
  const { VOD_AK: ak, VOD_SK: sk, VOD_SECURITY_TOKEN: securityToken } = env;
  let credentials: Credentials | undefined;
  let authLabel = '';
  if (token) {
    credentials = { token };
    authLabel = 'X-Auth-Token';
  } else if (ak && sk) {
    credentials = { ak, sk, ...(securityToken ? { securityToken } : {}) };
    authLabel = `AK/SK signed (Authorization, X-Sdk-Date${securityToken ? ', X-Security-Token' : ''})`;
  } else {
    problems.push('VOD_AUTH_TOKEN, or VOD_AK and VOD_SK, are required with VOD_BASE_URL');
  }
  if (!problems.length) {
    try {
      createVodClient({ projectId: projectId!, endpoint: baseUrl, credentials: credentials!, validate: false });
    } catch (error) {
      problems.push(`VOD_BASE_URL: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`contract suite: ${problems.join('; ')}`);
  return {
    mock: false,
    writes: env.VOD_CONTRACT_WRITES === '1',
    projectId: projectId!,
    credentials: credentials!,
    authLabel,
    label: baseUrl,
    baseUrl: () => baseUrl.replace(/\/+$/, ''),
    redact: redactor([token, sk, securityToken]),
    start: async () => {},
    stop: async () => {},
  };
}
