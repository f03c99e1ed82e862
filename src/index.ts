// huaweicloud-vod-openapi: a typed, validating client for Huawei Cloud VOD, generated from the OpenAPI 3.1
// description in spec/. Everything is exported from here and free of side effects, so a bundler keeps only what an
// application uses: createVodClient offers every operation; createVodCore with the operations you import (e.g.
// `createVodCore({ …, operations: [ShowAssetMeta] })`) carries only those.
export { createVodClient } from './client.js';
export { createVodCore, type MethodsOf, type VodCore } from './core.js';
export type {
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
} from './client.js';
export type {
  CallOptions,
  OperationBody,
  OperationInput,
  OperationMethod,
  OperationQuery,
  OperationResult,
  VodResult,
} from './operation-types.js';
export type { OperationDef, Pagination, RateLimit } from './internal/operation-def.js';
export { waitForAsset, type AssetInfo, type WaitForAssetOptions, type WaitProgress } from './helpers/wait.js';
export { paginate, type PageItem, type PaginatedMethodName, type PaginateOptions } from './helpers/paginate.js';
export {
  uploadAsset,
  videoTypeOf,
  type CheckpointStore,
  type UploadAssetOptions,
  type UploadAssetResult,
  type UploadProgress,
  type UploadSourceInput,
  type UploadState,
  type VideoType,
} from './helpers/upload.js';
export type { Credentials, TokenCredentials } from './internal/auth.js';
export { signRequest, signHeaders, type AkSkCredentials, type SignOptions } from './signer.js';
export {
  isVodError,
  VodError,
  VodValidationError,
  VodConfigError,
  VodNetworkError,
  VodTimeoutError,
  VodApiError,
  VodWaitTimeoutError,
  VodAssetNotFoundError,
  VodUploadError,
  retryAfterSeconds,
  type ErrorResponse,
  type ValidationIssue,
} from './errors.js';
export { lookupErrorCode, errorCodes, type ErrorCodeInfo, type KnownErrorCode } from './error-codes.js';
export { validateRequestBody, validateQuery, type ValidatedOperation } from './validation.js';
export { regions, defaultRegion, type Region } from './internal/endpoint.js';
export { failedAssetStatuses, transientAssetStatuses } from '../generated/asset-status.js';
export { operationTable } from './operation-table.js';
export type { OperationId, OperationMethods, PaginatedMethods } from '../generated/operations.js';
export * from '../generated/operations/index.js';
export type { components, operations, paths } from '../generated/types.js';
