// Request bodies that follow or break one documented rule each, from the seed tables (and vod-facts.md §1) and the
// vod-pages (桶授权, 媒资发布, 媒资发布取消). Shared by the spec tests (Ajv and Prism), the client's validation tests and
// the contract suite. `bytesOnly`: the body breaks a UTF-8 byte limit only, which JSON Schema cannot express, so
// Prism accepts it while Ajv with the vendor keywords (and the client) rejects it.
// `bodyCases` holds the two original operations, `assetBodyCases` the body operations added for issue 9 (kept apart
// so that a suite adopts them once it can call them); `allBodyCases` is both. Query-parameter cases: query-cases.ts.

export type Operation = 'PublishAssetFromObs' | 'CreateSmartCover';
export type AssetBodyOperation = 'UpdateBucketAuthorized' | 'PublishAssets' | 'UnpublishAssets';

export interface BodyCase<Op extends string = Operation> {
  operation: Op;
  name: string;
  /** The documented rule the body follows or breaks, e.g. `thumbnail.time in [1, 12]`. */
  rule: string;
  body: unknown;
  valid: boolean;
  bytesOnly?: boolean;
  /** The field path the client's error names for an invalid body. */
  field?: string;
}

export const minimalPublish = {
  video_type: 'MP4',
  title: 'Product launch',
  input: { bucket: 'my-media-bucket', location: 'cn-north-4', object: 'videos/launch.mp4' },
} as const;

const publish = (patch: Record<string, unknown>): Record<string, unknown> => ({ ...minimalPublish, ...patch });
const without = (key: string): Record<string, unknown> => {
  const body: Record<string, unknown> = { ...minimalPublish };
  delete body[key];
  return body;
};
const withInput = (input: unknown) => publish({ input });
const thumb = (thumbnail: unknown) => publish({ thumbnail });
const han = (n: number) => '视'.repeat(n); // 3 UTF-8 bytes each
const ascii = (n: number) => 'a'.repeat(n);
const tags = (n: number, tag = 't') => Array.from({ length: n }, () => tag).join(',');

type Row = [name: string, rule: string, body: unknown, valid: boolean, field?: string, bytesOnly?: boolean];

const publishRows: Row[] = [
  ['minimal body', 'required: video_type, title, input', minimalPublish, true],
  ['missing video_type', 'video_type is required', without('video_type'), false, 'video_type'],
  ['missing title', 'title is required', without('title'), false, 'title'],
  ['missing input', 'input is required (SDK models; the seed says optional)', without('input'), false, 'input'],
  ['input null (seed example)', 'input is a File_addr object', withInput(null), false, 'input'],
  [
    "the seed's malformed example",
    'bucket/location/object belong inside input',
    {
      input: null, bucket: 'bucket', location: 'cn-north-4', object: 'path', title: 'title', description: 'des',
      category_id: -1, tags: 'test', video_type: 'MP4', auto_publish: 1, template_group_name: 'tempName',
    },
    false,
    'input',
  ],
  ['unknown top-level field', 'request schema is closed', publish({ bucket: 'b' }), false, 'bucket'],
  ['body is an array', 'body is an object', [minimalPublish], false, ''],
  ['video_type lower case', 'video_type enum', publish({ video_type: 'mp4' }), false, 'video_type'],
  ['video_type RMVB (newer SDK only)', 'video_type enum (seed list)', publish({ video_type: 'RMVB' }), false, 'video_type'],
  ['video_type audio MP2', 'video_type enum', publish({ video_type: 'MP2' }), true],
  ['video_type HLS', 'video_type enum', publish({ video_type: 'HLS' }), true],
  ['video_type number', 'video_type is a string', publish({ video_type: 4 }), false, 'video_type'],
  ['title number', 'title is a string', publish({ title: 42 }), false, 'title'],
  ['title 128 ASCII', 'title <= 128 UTF-8 bytes', publish({ title: ascii(128) }), true],
  ['title 129 ASCII', 'title <= 128 UTF-8 bytes', publish({ title: ascii(129) }), false, 'title'],
  ['title 42 Han (126 bytes)', 'title <= 128 UTF-8 bytes', publish({ title: han(42) }), true],
  ['title 43 Han (129 bytes)', 'title <= 128 UTF-8 bytes', publish({ title: han(43) }), false, 'title', true],
  ['description 1024 ASCII', 'description <= 1024 UTF-8 bytes', publish({ description: ascii(1024) }), true],
  ['description 1025 ASCII', 'description <= 1024 UTF-8 bytes', publish({ description: ascii(1025) }), false, 'description'],
  ['description 342 Han (1026 bytes)', 'description <= 1024 UTF-8 bytes', publish({ description: han(342) }), false, 'description', true],
  ['description number', 'description is a string', publish({ description: 1 }), false, 'description'],
  ['category_id -1', 'category_id integer (-1 = other)', publish({ category_id: -1 }), true],
  ['category_id 1024', 'category_id integer', publish({ category_id: 1024 }), true],
  ['category_id string', 'category_id is an integer', publish({ category_id: '5' }), false, 'category_id'],
  ['category_id fraction', 'category_id is an integer', publish({ category_id: 1.5 }), false, 'category_id'],
  ['16 tags', 'at most 16 tags', publish({ tags: tags(16) }), true],
  ['17 tags', 'at most 16 tags', publish({ tags: tags(17) }), false, 'tags'],
  ['tag of 16 ASCII', 'each tag <= 16 UTF-8 bytes', publish({ tags: `a,${ascii(16)}` }), true],
  ['tag of 17 ASCII', 'each tag <= 16 UTF-8 bytes', publish({ tags: `a,${ascii(17)}` }), false, 'tags'],
  ['tag of 5 Han (15 bytes)', 'each tag <= 16 UTF-8 bytes', publish({ tags: `${han(5)},b` }), true],
  ['tag of 6 Han (18 bytes)', 'each tag <= 16 UTF-8 bytes', publish({ tags: `${han(6)},b` }), false, 'tags', true],
  ['tags array', 'tags is a comma-separated string', publish({ tags: ['a', 'b'] }), false, 'tags'],
  ...(['auto_publish', 'auto_encrypt', 'auto_preheat', 'storage_mode'] as const).flatMap((flag): Row[] => [
    [`${flag} 0`, `${flag} in {0, 1}`, publish({ [flag]: 0 }), true],
    [`${flag} 2`, `${flag} in {0, 1}`, publish({ [flag]: 2 }), false, flag],
    [`${flag} true`, `${flag} is an integer 0/1, not a boolean`, publish({ [flag]: true }), false, flag],
    [`${flag} "1"`, `${flag} is an integer`, publish({ [flag]: '1' }), false, flag],
  ]),
  ['auto_publish 1', 'auto_publish in {0, 1}', publish({ auto_publish: 1 }), true],
  ['auto_preheat 1', 'auto_preheat in {0, 1}', publish({ auto_preheat: 1 }), true],
  ['auto_encrypt 1 without template group', 'auto_encrypt: 1 requires template_group_name', publish({ auto_encrypt: 1 }), false, 'template_group_name'],
  ['auto_encrypt 1 with template group', 'auto_encrypt: 1 requires template_group_name', publish({ auto_encrypt: 1, template_group_name: 'hls' }), true],
  ['auto_encrypt 0 without template group', 'auto_encrypt: 1 requires template_group_name', publish({ auto_encrypt: 0, workflow_name: 'wf' }), true],
  ['template_group_name number', 'template_group_name is a string', publish({ template_group_name: 1 }), false, 'template_group_name'],
  ['workflow_name number', 'workflow_name is a string', publish({ workflow_name: 1 }), false, 'workflow_name'],
  ['template group and workflow', 'both may be set (template_group_name wins)', publish({ template_group_name: 'a', workflow_name: 'b' }), true],
  ['storage_mode 1 without outputs', 'storage_mode: 1 requires output_bucket and output_path', publish({ storage_mode: 1 }), false, 'output_bucket'],
  ['storage_mode 1 without output_path', 'storage_mode: 1 requires output_path', publish({ storage_mode: 1, output_bucket: 'out' }), false, 'output_path'],
  ['storage_mode 1 without output_bucket', 'storage_mode: 1 requires output_bucket', publish({ storage_mode: 1, output_path: 'p/' }), false, 'output_bucket'],
  ['storage_mode 1 with outputs', 'storage_mode: 1 requires output_bucket and output_path', publish({ storage_mode: 1, output_bucket: 'out', output_path: 'p/' }), true],
  ['outputs without storage_mode', 'outputs are optional with storage_mode 0', publish({ output_bucket: 'out' }), true],
  ['output_bucket number', 'output_bucket is a string', publish({ storage_mode: 1, output_bucket: 1, output_path: 'p' }), false, 'output_bucket'],
  ['input without bucket', 'input.bucket is required', withInput({ location: 'cn-north-4', object: 'o' }), false, 'input.bucket'],
  ['input without location', 'input.location is required', withInput({ bucket: 'b', object: 'o' }), false, 'input.location'],
  ['input without object', 'input.object is required', withInput({ bucket: 'b', location: 'cn-north-4' }), false, 'input.object'],
  ['input with unknown field', 'File_addr is closed', withInput({ ...minimalPublish.input, region: 'x' }), false, 'input.region'],
  ['input bucket number', 'input.bucket is a string', withInput({ ...minimalPublish.input, bucket: 1 }), false, 'input.bucket'],
  ['thumbnail time 1', 'thumbnail.time in [1, 12]', thumb({ type: 'time', time: 1 }), true],
  ['thumbnail time 12', 'thumbnail.time in [1, 12]', thumb({ type: 'time', time: 12 }), true],
  ['thumbnail time 0', 'thumbnail.time in [1, 12]', thumb({ type: 'time', time: 0 }), false, 'thumbnail.time'],
  ['thumbnail time 13', 'thumbnail.time in [1, 12]', thumb({ type: 'time', time: 13 }), false, 'thumbnail.time'],
  ['thumbnail time 2.5', 'thumbnail.time is an integer', thumb({ type: 'time', time: 2.5 }), false, 'thumbnail.time'],
  ['thumbnail type time with time', 'thumbnail.type time requires time', thumb({ type: 'time', time: 5 }), true],
  ['thumbnail type time without time', 'thumbnail.type time requires time', thumb({ type: 'time' }), false, 'thumbnail.time'],
  ['thumbnail type dots without dots', 'thumbnail.type dots requires dots', thumb({ type: 'dots' }), false, 'thumbnail.dots'],
  ['thumbnail dots', 'thumbnail.type dots requires dots', thumb({ type: 'dots', dots: [1, 5, 10] }), true],
  ['thumbnail dots with time only', 'thumbnail.type dots requires dots', thumb({ type: 'dots', time: 5 }), false, 'thumbnail.dots'],
  ['thumbnail dots strings', 'thumbnail.dots are integers', thumb({ type: 'dots', dots: ['1'] }), false, 'thumbnail.dots.0'],
  ['thumbnail dots fractions', 'thumbnail.dots are integers', thumb({ type: 'dots', dots: [1.5] }), false, 'thumbnail.dots.0'],
  ['thumbnail dots not array', 'thumbnail.dots is an array', thumb({ type: 'dots', dots: 1 }), false, 'thumbnail.dots'],
  ['thumbnail without type', 'thumbnail.type is required', thumb({ time: 5 }), false, 'thumbnail.type'],
  ['thumbnail type quantity', 'thumbnail.type in {time, dots}', thumb({ type: 'quantity' }), false, 'thumbnail.type'],
  ['thumbnail full', 'thumbnail optional fields', thumb({ type: 'time', time: 5, cover_position: 2, format: 1, aspect_ratio: 1, max_length: 640 }), true],
  ['thumbnail format 2', 'thumbnail.format in {1}', thumb({ type: 'time', time: 5, format: 2 }), false, 'thumbnail.format'],
  ['thumbnail aspect_ratio 2', 'thumbnail.aspect_ratio in {0, 1}', thumb({ type: 'time', time: 5, aspect_ratio: 2 }), false, 'thumbnail.aspect_ratio'],
  ['thumbnail cover_position string', 'thumbnail.cover_position is an integer', thumb({ type: 'time', time: 5, cover_position: '1' }), false, 'thumbnail.cover_position'],
  ['thumbnail max_length fraction', 'thumbnail.max_length is an integer', thumb({ type: 'time', time: 5, max_length: 10.5 }), false, 'thumbnail.max_length'],
  ['thumbnail unknown field', 'Thumbnail is closed', thumb({ type: 'time', time: 5, quantity: 3 }), false, 'thumbnail.quantity'],
  ['thumbnail not object', 'thumbnail is an object', thumb('time'), false, 'thumbnail'],
  ['review', 'review.template_id is required', publish({ review: { template_id: 'tpl' } }), true],
  ['review without template_id', 'review.template_id is required', publish({ review: {} }), false, 'review.template_id'],
  ['review template_id number', 'review.template_id is a string', publish({ review: { template_id: 7 } }), false, 'review.template_id'],
  ['review unknown field', 'Review is closed', publish({ review: { template_id: 'tpl', extra: 1 } }), false, 'review.extra'],
];

const smartCoverRows: Row[] = [
  ['asset id', 'asset_id is required', { asset_id: '3e1cd21131a94525be55acf65888bf46' }, true],
  ['missing asset_id', 'asset_id is required', {}, false, 'asset_id'],
  ['asset_id number', 'asset_id is a string', { asset_id: 42 }, false, 'asset_id'],
  ['unknown field', 'SmartCoverRequest is closed', { asset_id: 'a', cover: 1 }, false, 'cover'],
];

const bucketRows: Row[] = [
  ['authorise', 'body { bucket, operation }, both required', { bucket: 'my-media-bucket', operation: '1' }, true],
  ['withdraw', 'operation in {"0", "1"}', { bucket: 'my-media-bucket', operation: '0' }, true],
  ['operation "2"', 'operation in {"0", "1"}', { bucket: 'b', operation: '2' }, false, 'operation'],
  ['operation 1 (a number)', 'operation is a string', { bucket: 'b', operation: 1 }, false, 'operation'],
  ['operation ""', 'operation in {"0", "1"}', { bucket: 'b', operation: '' }, false, 'operation'],
  ['missing operation', 'operation is required', { bucket: 'b' }, false, 'operation'],
  ['missing bucket', 'bucket is required', { operation: '1' }, false, 'bucket'],
  ['bucket number', 'bucket is a string', { bucket: 7, operation: '1' }, false, 'bucket'],
  ['unknown field', 'UpdateBucketAuthorizedRequest is closed', { bucket: 'b', operation: '1', region: 'cn-north-4' }, false, 'region'],
  ['body is an array', 'body is an object', [{ bucket: 'b', operation: '1' }], false, ''],
];

const assetIds = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(32, '0'));
const publishAssetsRows: Row[] = [
  ['one asset', 'asset_id is an array of strings', { asset_id: assetIds(1) }, true],
  ['two assets (the pages\' example)', 'asset_id is an array of strings', { asset_id: ['f488337c31c8e4622f1590735b134c65', '07ba4d46463355e800c2f42f628f0631'] }, true],
  ['fifty assets', 'no documented limit on the number of IDs', { asset_id: assetIds(50) }, true],
  ['empty list', 'a required array is never empty (minItems 1): it would publish nothing', { asset_id: [] }, false, 'asset_id'],
  ['an empty ID', 'an asset ID is never empty (minLength 1)', { asset_id: [''] }, false, 'asset_id.0'],
  ['missing asset_id', 'asset_id is required', {}, false, 'asset_id'],
  ['asset_id a string', 'asset_id is an array', { asset_id: 'f488337c31c8e4622f1590735b134c65' }, false, 'asset_id'],
  ['asset_id numbers', 'asset_id items are strings', { asset_id: [1] }, false, 'asset_id.0'],
  ['unknown field', 'PublishAssetsRequest is closed', { asset_id: assetIds(1), force: true }, false, 'force'],
];

const toCase =
  <Op extends string>(operation: Op) =>
  ([name, rule, body, valid, field, bytesOnly]: Row): BodyCase<Op> => ({
    operation,
    name,
    rule,
    body,
    valid,
    ...(field !== undefined ? { field } : {}),
    ...(bytesOnly ? { bytesOnly } : {}),
  });

export const bodyCases: BodyCase[] = [
  ...publishRows.map(toCase('PublishAssetFromObs')),
  ...smartCoverRows.map(toCase('CreateSmartCover')),
];

export const assetBodyCases: BodyCase<AssetBodyOperation>[] = [
  ...bucketRows.map(toCase('UpdateBucketAuthorized')),
  ...publishAssetsRows.map(toCase('PublishAssets')),
  ...publishAssetsRows.map(toCase('UnpublishAssets')),
];

export const allBodyCases: BodyCase<Operation | AssetBodyOperation>[] = [...bodyCases, ...assetBodyCases];

export const operationPaths: Record<Operation | AssetBodyOperation, string> = {
  PublishAssetFromObs: '/v1.0/{project_id}/asset/reproduction',
  CreateSmartCover: '/v1.0/{project_id}/asset/smart_cover',
  UpdateBucketAuthorized: '/v1.0/{project_id}/asset/authority',
  PublishAssets: '/v1.0/{project_id}/asset/status/publish',
  UnpublishAssets: '/v1.0/{project_id}/asset/status/unpublish',
};
