// Query strings that follow or break one documented rule each, from the vod-pages (查询媒资信息,
// 查询指定媒资的详细信息, 删除媒资). Shared by the spec tests (Ajv and Prism) and, once they call these operations, the
// client's validation tests and the contract suite.
// `query` holds typed values (arrays as arrays, numbers as numbers), as a caller passes them; how an array travels
// in the URL (repeated keys or comma-separated) is the parameter's `style`/`explode` in the spec.
// `bytesOnly`: breaks a UTF-8 byte limit only, which JSON Schema (and so Prism) cannot see.

export type QueryOperation = 'ShowAssetMeta' | 'ShowAssetDetail' | 'DeleteAssets';

export interface QueryCase {
  operation: QueryOperation;
  name: string;
  /** The documented rule the query follows or breaks, e.g. `size in [1, 100]`. */
  rule: string;
  query: Record<string, unknown>;
  valid: boolean;
  /** The parameter the client's error names for an invalid query. */
  field?: string;
  bytesOnly?: boolean;
}

const id = (n: number) => n.toString(16).padStart(32, '0');
const ids = (n: number) => Array.from({ length: n }, (_, i) => id(i + 1));
const han = (n: number) => '视'.repeat(n); // 3 UTF-8 bytes each

type Row = [name: string, rule: string, query: Record<string, unknown>, valid: boolean, field?: string, bytesOnly?: boolean];

const metaRows: Row[] = [
  ['no parameters (the newest 10)', 'every parameter is optional', {}, true],
  ['one asset', 'asset_id: at most 10', { asset_id: ids(1) }, true],
  ['ten assets', 'asset_id: at most 10', { asset_id: ids(10) }, true],
  ['eleven assets', 'asset_id: at most 10', { asset_id: ids(11) }, false, 'asset_id'],
  ['status PUBLISHED and CREATED', 'status filter enum (the page\'s 11 values)', { status: ['PUBLISHED', 'CREATED'] }, true],
  ['status SERVER_ERROR', 'status filter enum (the page\'s 11 values)', { status: ['SERVER_ERROR'] }, true],
  ['status OBS_CREATING', 'status filter enum (the page\'s 11 values)', { status: ['OBS_CREATING'] }, false, 'status.0'],
  ['status WAITING_TRANSCODE (SDK only)', 'status filter enum (the page\'s 11 values)', { status: ['WAITING_TRANSCODE'] }, false, 'status.0'],
  ['status lower case', 'status filter enum (the page\'s 11 values)', { status: ['published'] }, false, 'status.0'],
  ['transcodeStatus WAITING_TRANSCODE', 'transcodeStatus enum', { transcodeStatus: ['WAITING_TRANSCODE'] }, true],
  ['transcodeStatus UN_TRANSCODE and TRANSCODING', 'transcodeStatus enum', { transcodeStatus: ['UN_TRANSCODE', 'TRANSCODING'] }, true],
  ['transcodeStatus CREATED', 'transcodeStatus enum', { transcodeStatus: ['CREATED'] }, false, 'transcodeStatus.0'],
  ['assetStatus PUBLISHED', 'assetStatus in {PUBLISHED, CREATED}', { assetStatus: ['PUBLISHED'] }, true],
  ['assetStatus TRANSCODING', 'assetStatus in {PUBLISHED, CREATED}', { assetStatus: ['TRANSCODING'] }, false, 'assetStatus.0'],
  ['time window', 'start_time/end_time are yyyymmddhhmmss', { start_time: '20240701000000', end_time: '20240731235959' }, true],
  ['start_time ISO 8601', 'start_time/end_time are yyyymmddhhmmss', { start_time: '2024-07-01T00:00:00Z' }, false, 'start_time'],
  ['start_time 13 digits', 'start_time/end_time are yyyymmddhhmmss', { start_time: '2024070100000' }, false, 'start_time'],
  ['end_time 15 digits', 'start_time/end_time are yyyymmddhhmmss', { end_time: '202407312359590' }, false, 'end_time'],
  ['category_id -1', 'category_id is an integer', { category_id: -1 }, true],
  ['category_id 1.5', 'category_id is an integer', { category_id: 1.5 }, false, 'category_id'],
  ['category_id text', 'category_id is an integer', { category_id: 'films' }, false, 'category_id'],
  ['two tags', 'at most 16 tags', { tags: 'launch,product' }, true],
  ['16 tags', 'at most 16 tags', { tags: Array(16).fill('t').join(',') }, true],
  ['17 tags', 'at most 16 tags', { tags: Array(17).fill('t').join(',') }, false, 'tags'],
  ['tag of 17 ASCII', 'each tag <= 16 UTF-8 bytes', { tags: `a,${'a'.repeat(17)}` }, false, 'tags'],
  ['tag of 5 Han (15 bytes)', 'each tag <= 16 UTF-8 bytes', { tags: han(5) }, true],
  ['tag of 6 Han (18 bytes)', 'each tag <= 16 UTF-8 bytes', { tags: han(6) }, false, 'tags', true],
  ['query_string', 'query_string is a string', { query_string: '发布会 launch' }, true],
  ['page 0', 'page >= 0 (counted from 0)', { page: 0 }, true],
  ['page 3', 'page is an integer', { page: 3 }, true],
  ['page -1', 'page >= 0 (counted from 0)', { page: -1 }, false, 'page'],
  ['page text', 'page is an integer', { page: 'next' }, false, 'page'],
  ['size 1', 'size in [1, 100]', { size: 1 }, true],
  ['size 20 (the page\'s example)', 'size is an integer', { size: 20 }, true],
  ['size 100', 'size in [1, 100]', { size: 100 }, true],
  ['size 0', 'size in [1, 100]', { size: 0 }, false, 'size'],
  ['size 101', 'size in [1, 100]', { size: 101 }, false, 'size'],
  ['size 2.5', 'size is an integer', { size: 2.5 }, false, 'size'],
  ['everything at once', 'filters combine', {
    status: ['CREATED'], transcodeStatus: ['TRANSCODE_SUCCEED'], assetStatus: ['CREATED'], start_time: '20240701000000',
    end_time: '20240731235959', category_id: 100, tags: 'launch', query_string: 'launch', page: 1, size: 20,
  }, true],
];

const detailRows: Row[] = [
  ['asset_id only (every category)', 'asset_id is required', { asset_id: id(1) }, true],
  ['missing asset_id', 'asset_id is required', {}, false, 'asset_id'],
  ['missing asset_id with categories', 'asset_id is required', { categories: ['base_info'] }, false, 'asset_id'],
  ['categories base_info', 'categories enum', { asset_id: id(1), categories: ['base_info'] }, true],
  ['all four categories', 'categories enum', {
    asset_id: id(1), categories: ['base_info', 'transcode_info', 'thumbnail_info', 'review_info'],
  }, true],
  ['categories meta_data', 'categories enum', { asset_id: id(1), categories: ['meta_data'] }, false, 'categories.0'],
];

const deleteRows: Row[] = [
  ['one asset', 'asset_id is required (comma-separated)', { asset_id: ids(1) }, true],
  ['three assets', 'asset_id is required (comma-separated)', { asset_id: ids(3) }, true],
  ['missing asset_id', 'asset_id is required (comma-separated)', {}, false, 'asset_id'],
  ['delete_type origin (SDK only)', 'delete_type in {origin}', { asset_id: ids(1), delete_type: 'origin' }, true],
  ['delete_type all', 'delete_type in {origin}', { asset_id: ids(1), delete_type: 'all' }, false, 'delete_type'],
];

const toCase =
  (operation: QueryOperation) =>
  ([name, rule, query, valid, field, bytesOnly]: Row): QueryCase => ({
    operation,
    name,
    rule,
    query,
    valid,
    ...(field !== undefined ? { field } : {}),
    ...(bytesOnly ? { bytesOnly } : {}),
  });

export const queryCases: QueryCase[] = [
  ...metaRows.map(toCase('ShowAssetMeta')),
  ...detailRows.map(toCase('ShowAssetDetail')),
  ...deleteRows.map(toCase('DeleteAssets')),
];
