// createVodClient: the client with every operation of the spec (one method each, generated/operations/) and the
// helpers as methods. It is createVodCore given allOperations: an application that calls a few operations and cares
// about its bundle uses createVodCore with those instead (see the README's "Keeping bundles small").
import { allOperations } from '../generated/operations/index.js';
import type { OperationMethods } from '../generated/operations.js';
import type { OperationBody, OperationQuery } from './operation-types.js';
import { CORE, createVodCore, type VodClientOptions, type VodCore } from './core.js';
import { paginate, type PageItem, type PaginatedMethodName, type PaginateOptions } from './helpers/paginate.js';
import { waitForAsset, type AssetInfo, type WaitForAssetOptions } from './helpers/wait.js';
import { uploadAsset, type UploadAssetOptions, type UploadAssetResult, type UploadSourceInput } from './helpers/upload.js';

export type { VodClientOptions } from './core.js';
export type { CallOptions, VodResult } from './operation-types.js';
export type PublishAssetFromObsBody = OperationBody<'PublishAssetFromObs'>;
export type SmartCoverBody = OperationBody<'CreateSmartCover'>;
export type UpdateBucketAuthorizedBody = OperationBody<'UpdateBucketAuthorized'>;
export type PublishAssetsBody = OperationBody<'PublishAssets'>;
export type UnpublishAssetsBody = OperationBody<'UnpublishAssets'>;
export type ShowAssetMetaQuery = OperationQuery<'ShowAssetMeta'>;
export type ShowAssetDetailQuery = OperationQuery<'ShowAssetDetail'>;
export type DeleteAssetsQuery = OperationQuery<'DeleteAssets'>;

export interface VodClient extends VodCore, OperationMethods {
  /**
   * Polls ShowAssetMeta until the asset's status is no longer transient and resolves with its AssetInfo (a failed
   * status is a result); rejects with VodAssetNotFoundError when the asset does not exist, VodWaitTimeoutError after
   * `timeoutMs`. See waitForAsset.
   */
  waitForAsset(assetId: string, options?: WaitForAssetOptions): Promise<AssetInfo>;
  /** Every item of a paged list operation, page after page (see paginate). */
  paginate<M extends PaginatedMethodName>(
    method: M,
    query?: Parameters<typeof paginate<M>>[2],
    options?: PaginateOptions,
  ): AsyncGenerator<PageItem<M>, void, undefined>;
  /** Uploads a file path, Blob/File or bytes as a new asset (multipart, parallel, resumable, verified). See uploadAsset. */
  uploadAsset(source: UploadSourceInput, options: UploadAssetOptions): Promise<UploadAssetResult>;
}

/** A client with one method per operation of the spec, and the helpers waitForAsset and paginate. */
export function createVodClient(options: VodClientOptions): VodClient {
  const core = createVodCore({ ...options, operations: allOperations });
  const client = {
    ...core,
    waitForAsset: (assetId: string, waitOptions?: WaitForAssetOptions) => waitForAsset(core, assetId, waitOptions),
    paginate: (method: PaginatedMethodName, query?: Record<string, unknown>, paginateOptions?: PaginateOptions) =>
      paginate(core, method, query as never, paginateOptions),
    uploadAsset: (source: UploadSourceInput, uploadOptions: UploadAssetOptions) => uploadAsset(core, source, uploadOptions),
  };
  Object.defineProperty(client, CORE, { value: core[CORE] });
  return Object.freeze(client) as unknown as VodClient;
}
