// Settings of every command: credentials and project from the environment variables Huawei's SDKs and CLI use
// (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID,
// HUAWEICLOUD_SDK_REGION), each overridable by a flag; `--endpoint` for a gateway or the simulator. The SK is never
// printed: errors name the setting, never its value.
import { createVodClient, type VodClient } from '../client.js';
import { pacedFetch, type WindowPacer } from './pacer.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface GlobalOptions {
  ak?: string;
  sk?: string;
  securityToken?: string;
  projectId?: string;
  region?: string;
  endpoint?: string;
  json?: boolean;
  timeScale?: string;
  rateLimit?: string[];
}

export interface Setup {
  client: VodClient;
  pacers: Map<string, WindowPacer>;
  timeScale: number;
  /** Whether the credentials expire (a security token: temporary AK/SK, at most 24 h). */
  expiring: boolean;
}

export function timeScaleOf(options: GlobalOptions): number {
  const raw = options.timeScale ?? process.env.HUAWEICLOUD_VOD_TIME_SCALE;
  if (raw === undefined || raw === '') return 1;
  const scale = Number(raw);
  if (!(scale > 0 && scale <= 10_000)) throw new UsageError(`--time-scale: must be a number above 0 (got "${raw}")`);
  return scale;
}

function rateLimits(options: GlobalOptions): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const entry of options.rateLimit ?? []) {
    const match = /^([a-z-]+)=(\d+)$/.exec(entry);
    if (!match || Number(match[2]) < 1) throw new UsageError(`--rate-limit: "${entry}" must be GROUP=CALLS_PER_MINUTE, e.g. upload=750`);
    limits[match[1]!] = Number(match[2]);
  }
  return limits;
}

/** AK, SK and security token from the flags or the environment; a usage error names what is missing. */
export function credentialsOf(options: GlobalOptions): { ak: string; sk: string; securityToken?: string } {
  const env = process.env;
  const ak = options.ak ?? env.HUAWEICLOUD_SDK_AK;
  const sk = options.sk ?? env.HUAWEICLOUD_SDK_SK;
  const securityToken = options.securityToken ?? env.HUAWEICLOUD_SDK_SECURITY_TOKEN;
  const missing = [!ak && 'HUAWEICLOUD_SDK_AK (or --ak)', !sk && 'HUAWEICLOUD_SDK_SK (or --sk)'].filter(Boolean);
  if (missing.length) throw new UsageError(`missing settings: ${missing.join(', ')}`);
  return { ak: ak!, sk: sk!, ...(securityToken ? { securityToken } : {}) };
}

export function setup(
  options: GlobalOptions,
  pacing: { history?: ReadonlyMap<string, readonly number[]>; onSend?: (group: string, at: number) => number; onAnswer?: (id: number, at: number) => void } = {},
): Setup {
  const env = process.env;
  const ak = options.ak ?? env.HUAWEICLOUD_SDK_AK;
  const sk = options.sk ?? env.HUAWEICLOUD_SDK_SK;
  const securityToken = options.securityToken ?? env.HUAWEICLOUD_SDK_SECURITY_TOKEN;
  const projectId = options.projectId ?? env.HUAWEICLOUD_SDK_PROJECT_ID;
  const region = options.region ?? env.HUAWEICLOUD_SDK_REGION;
  const missing = [
    !ak && 'HUAWEICLOUD_SDK_AK (or --ak)',
    !sk && 'HUAWEICLOUD_SDK_SK (or --sk)',
    !projectId && 'HUAWEICLOUD_SDK_PROJECT_ID (or --project-id)',
  ].filter(Boolean);
  if (missing.length) throw new UsageError(`missing settings: ${missing.join(', ')}`);
  const timeScale = timeScaleOf(options);
  const { fetch, pacers } = pacedFetch({
    timeScale,
    overrides: rateLimits(options),
    history: pacing.history ?? new Map(),
    onSend: pacing.onSend ?? (() => 0),
    onAnswer: pacing.onAnswer ?? (() => {}),
  });
  let client: VodClient;
  try {
    client = createVodClient({
      projectId: projectId!,
      credentials: { ak: ak!, sk: sk!, ...(securityToken ? { securityToken } : {}) },
      ...(options.endpoint ? { endpoint: options.endpoint } : { region: (region || 'cn-north-4') as never }),
      fetch,
    });
  } catch (error) {
    // VodConfigError: names the setting and the rule, never a credential's value.
    throw new UsageError((error as Error).message);
  }
  return { client, pacers, timeScale, expiring: Boolean(securityToken) };
}
