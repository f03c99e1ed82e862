// huaweicloud-vod-openapi: a typed, validating client for Huawei Cloud VOD's asset APIs, generated from the
// OpenAPI 3.1 description in spec/.
export { createVodClient } from './client.js';
export type { CallOptions, PublishAssetFromObsBody, SmartCoverBody, VodClient, VodClientOptions, VodResult } from './client.js';
export type { Credentials, TokenCredentials } from './auth.js';
export { signRequest, signHeaders, type AkSkCredentials, type SignOptions } from './signer.js';
export {
  VodValidationError,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  lookupErrorCode,
  retryAfterSeconds,
  type ErrorResponse,
  type ValidationIssue,
} from './errors.js';
export { validateRequestBody, type ValidatedOperation } from './validate.js';
export { regions, defaultRegion, type Region } from './endpoint.js';
export { errorCodes, type ErrorCodeInfo, type KnownErrorCode } from '../generated/error-codes.js';
export type { components, operations, paths } from '../generated/types.js';
