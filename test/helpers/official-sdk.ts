// The official Huawei SDK's signer (a devDependency), as an independent check of ours. Loading only AKSKSigner and
// BasicCredentials writes nothing to disk; building an SDK client would write ~/.huaweicloud/application_id.
// In CI (process.env.CI) a missing SDK is an error, never a silent skip.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface OfficialRequest {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  queryParams?: Record<string, string | string[]>;
  data?: unknown;
}

export interface OfficialSigner {
  /** The Authorization header that AKSKSigner.sign produces for `request`. */
  sign(request: OfficialRequest, ak: string, sk: string): string;
}

export function loadOfficialSigner(): { signer: OfficialSigner } | { reason: string } {
  let loaded: { signer: OfficialSigner } | { reason: string };
  try {
    const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
    const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
    if (typeof AKSKSigner?.sign !== 'function' || typeof BasicCredentials !== 'function') {
      throw new Error('AKSKSigner.sign or BasicCredentials is missing from the installed SDK');
    }
    loaded = {
      signer: {
        sign: (request, ak, sk) => AKSKSigner.sign(request, new BasicCredentials().withAk(ak).withSk(sk)).Authorization,
      },
    };
  } catch (error) {
    loaded = { reason: error instanceof Error ? error.message : String(error) };
  }
  if ('reason' in loaded && process.env.CI) {
    throw new Error(`the official SDK signer (@huaweicloud/huaweicloud-sdk-core) is required in CI: ${loaded.reason}`);
  }
  return loaded;
}
