// huaweicloud-vod-openapi: a typed, validating client for Huawei Cloud VOD's asset APIs, generated from the
// OpenAPI 3.1 description in spec/.
export { createVodClient } from './client.js';
export type {
  CallOptions,
  DeleteAssetsQuery,
  PublishAssetFromObsBody,
  PublishAssetsBody,
  ShowAssetDetailQuery,
  ShowAssetMetaQuery,
  SmartCoverBody,
  UnpublishAssetsBody,
  UpdateBucketAuthorizedBody,
  VodClient,
  VodClientOptions,
  VodResult,
} from './client.js';
export type { OperationBody, OperationInput, OperationMethod, OperationQuery, OperationResult } from './operation-types.js';
export type { AssetInfo, WaitForAssetOptions, WaitProgress } from './wait.js';
export type { Credentials, TokenCredentials } from './auth.js';
export { signRequest, signHeaders, type AkSkCredentials, type SignOptions } from './signer.js';
export {
  VodValidationError,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  VodApiError,
  lookupErrorCode,
  retryAfterSeconds,
  type ErrorResponse,
  type ValidationIssue,
} from './errors.js';
export { validateRequestBody, validateQuery, type ValidatedOperation } from './validate.js';
export { regions, defaultRegion, type Region } from './endpoint.js';
export {
  failedAssetStatuses,
  operationTable,
  transientAssetStatuses,
  type OperationId,
  type OperationMethods,
} from '../generated/operations.js';
export { errorCodes, type ErrorCodeInfo, type KnownErrorCode } from '../generated/error-codes.js';
export type { components, operations, paths } from '../generated/types.js';
