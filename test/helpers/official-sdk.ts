// The official Huawei SDK's signer, as an independent check. Fails loudly in CI when it cannot be loaded.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface OfficialSigner {
  sign(request: { method: string; endpoint: string; headers: Record<string, string>; queryParams?: Record<string, unknown>; data?: unknown }, credential: unknown): Record<string, string>;
}

export function loadOfficialSigner(): { AKSKSigner: OfficialSigner; credentials(ak: string, sk: string): unknown } | undefined {
  try {
    const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
    const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
    return { AKSKSigner, credentials: (ak, sk) => new BasicCredentials().withAk(ak).withSk(sk) };
  } catch (error) {
    if (process.env.CI) throw new Error(`the official SDK signer is required in CI: ${String(error)}`);
    return undefined;
  }
}
