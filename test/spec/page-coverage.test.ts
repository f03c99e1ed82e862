// Every table of every operation page in test/fixtures/vod-api (copies of the 50 operation pages of Huawei's VOD
// API reference in shared/reference/vod-api, 44 live and 6 废弃) checked against the bundled spec, field by field:
// presence, type, required flag (request side), enum, range, default, byte limits, array serialisation and a
// description quoting the page's term. Header tables map to the security schemes, error-body tables to
// ErrorResponse, 状态码 tables to the declared responses, the rate-limit table to x-rate-limit and the error-code
// table to x-error-codes. Where the spec departs on purpose from a page's table (a listed page defect, or the SDK),
// the field's description says so and names the page (its title); that is how a decision is told from a mistake.
// (The two seed pages, older copies of 创建媒资：OBS转存方式 and 智能封面: seed-coverage.test.ts.)
import { describe, expect, it } from 'vitest';
import { deref, spec, type Json } from '../helpers/spec.js';
import {
  codecRanges,
  commaSeparated,
  defaultValue,
  enumValues,
  maxBytes,
  maxItems,
  pages,
  range,
  tagLimits,
  term,
  text,
  utcTimestamp,
  type Page,
  type PageField,
  type PageTable,
} from './pages.js';

const operationOf = (page: Page): { op: Json; pathItem: Json } => {
  const pathItem = spec.paths[page.path!];
  if (!pathItem?.[page.method!]) throw new Error(`${page.file}: no operation ${page.method} ${page.path}`);
  return { op: pathItem[page.method!], pathItem };
};

const refName = (node: Json) => (typeof node?.$ref === 'string' ? node.$ref.split('/').pop() : undefined);
const descriptionOf = (prop: Json) => `${prop?.description ?? ''} ${deref(prop)?.description ?? ''}`;

/**
 * Whether the spec says, in the field's description, that it departs from this page on purpose: it names the
 * page by its title (or, for the two pages that were the project's seeds, the seed).
 */
const namesPage = (description: string, page: Page) =>
  description.includes(page.title) || (['创建媒资：OBS转存方式', '智能封面（废弃）'].includes(page.title) && /\bseed\b/.test(description));

/** One check to run: a page field (or table) and the spec node it must match. */
interface Check {
  key: string;
  side: 'request' | 'response';
  field: PageField;
  page: Page;
  /** The property schema (body/response) or the parameter object (path/query). */
  node: Json;
  /** The object schema holding the property, for the required flag and per-codec ranges. */
  parent?: Json;
}

// Walk every page: resolve each table to the spec node it describes. Named tables (AssetInfo, …) are reached
// through the field of an earlier table that refers to them ("BaseInfo object", "Array of PlayInfo objects").
/** An error body table: error_code and error_msg only (查询转码模板组列表's 200 table has them beside its fields). */
const isErrorBody = (table: PageTable) => table.fields.every((f) => ['error_code', 'error_msg'].includes(f.name));
const checks: Check[] = [];
/** What could not be walked (a page's table the spec has no schema for): each is a failure of its page. */
const problems: string[] = [];
const objectTables: { table: PageTable; schemas: Set<string>; side?: Check['side'] }[] = [];
const other: { table: PageTable; page: Page }[] = [];
for (const page of pages) {
  // table caption → the schema names it resolves to on this page, and whether a request or a response uses it
  const named = new Map<string, { schemas: Set<string>; side: Check['side'] }>();
  const op = page.path ? operationOf(page) : undefined;
  const register = (field: PageField, prop: Json, side: Check['side']) => {
    const m = field.type.match(/^(?:Array of )?(\w+) objects?$/);
    if (!m) return;
    const target = field.type.startsWith('Array of') ? deref(prop)?.items : prop;
    const name = refName(target);
    if (!name) return void problems.push(`${page.file} ${field.name}: ${field.type} is not a $ref to a schema`);
    // Keyed by side too: 创建审核媒资任务 has a request and a response table both captioned Review.
    const key = `${m[1]!}|${side}`;
    const entry = named.get(key) ?? { schemas: new Set<string>(), side };
    named.set(key, { schemas: entry.schemas.add(name), side });
  };
  for (const table of page.tables) {
    const at = `${page.file} 表${table.number} ${table.caption}${table.status ? ` (${table.status})` : ''}`;
    if (table.kind === 'path' || table.kind === 'query') {
      const params = [...(op!.pathItem.parameters ?? []), ...(op!.op.parameters ?? [])].map(deref);
      for (const field of table.fields) {
        let node = params.find((p: Json) => p.name === field.name && p.in === table.kind);
        // Defect 27: the 废弃 statistics pages' URI has {domain_id} where their path table says project_id. The spec
        // follows the URI; the operation's description must name the page for the row to map to domain_id.
        if (!node && table.kind === 'path' && field.name === 'project_id' && page.path!.includes('{domain_id}') && namesPage(op!.op.description, page)) {
          node = params.find((p: Json) => p.name === 'domain_id' && p.in === 'path');
        }
        checks.push({ key: `${at} ${field.name}`, side: 'request', field, page, node });
      }
    } else if (table.kind === 'body') {
      const schema = deref(op!.op.requestBody?.content?.['application/json']?.schema);
      for (const field of table.fields) {
        const node = schema?.properties?.[field.name];
        checks.push({ key: `${at} ${field.name}`, side: 'request', field, page, node, parent: schema });
        register(field, node, 'request');
      }
      objectTables.push({ table, schemas: new Set([refName(op!.op.requestBody?.content?.['application/json']?.schema)].filter(Boolean)) });
    } else if (table.kind === 'response' && !isErrorBody(table)) {
      const ref = deref(op!.op.responses[table.status!])?.content?.['application/json']?.schema;
      for (const field of table.fields) {
        // A bare array (查询指定分类信息): the page tabulates it as one pseudo-field named after its item type.
        const bare = deref(ref)?.type === 'array' && field.type === `Array of ${field.name} objects`;
        const node = bare ? ref : deref(ref)?.properties?.[field.name];
        checks.push({ key: `${at} ${field.name}`, side: 'response', field, page, node, parent: deref(ref) });
        register(field, node, 'response');
      }
      if (deref(ref)?.type !== 'array') objectTables.push({ table, schemas: new Set([refName(ref)]) });
    } else if (table.kind === 'object') {
      // A named table under 响应参数 (it has a status) describes a response object; one before it a request object.
      // The old pages give no status: the side is the one that refers to the name.
      const prefer = table.status ? 'response' : 'request';
      const entry = named.get(`${table.caption}|${prefer}`) ?? named.get(`${table.caption}|${prefer === 'request' ? 'response' : 'request'}`);
      if (!entry) {
        problems.push(`${at}: no field of an earlier table refers to it`);
        continue;
      }
      const { schemas, side } = entry;
      objectTables.push({ table, schemas, side });
      for (const name of schemas) {
        const schema = spec.components.schemas[name];
        for (const field of table.fields) {
          const node = schema?.properties?.[field.name];
          checks.push({ key: `${at} → ${name}.${field.name}`, side, field, page, node, parent: schema });
          register(field, node, side);
        }
      }
    } else {
      other.push({ table, page }); // header, error body, 状态码, rate limit, error codes: checked below
    }
  }
}

// The figures of the pages as they are (see 'read completely').
const [PAGE_TABLES, PAGE_FIELDS, FIELD_CHECKS] = [372, 1060, 825];
const pageTableCount = pages.reduce((n, p) => n + p.tables.length, 0);
const fieldCount = pages.reduce((n, p) => n + p.tables.reduce((m, t) => m + t.fields.length, 0), 0);

// Each operation page → its operation (the SDK's method name; the 废弃 pages have none, their operationIds are ours).
const operationIds: Record<string, string> = {
  'CDN预热.md': 'CreatePreheatingAsset', '上传检验.md': 'CheckMd5Duplication', '修改媒资分类.md': 'UpdateAssetCategory',
  '修改媒资属性.md': 'UpdateAssetMeta', '修改水印模板.md': 'UpdateWatermarkTemplate',
  '修改自定义转码模板组.md': 'UpdateTemplateGroup', '创建媒资-OBS托管方式.md': 'CreateTakeOverTask',
  '创建媒资-OBS转存方式.md': 'PublishAssetFromObs', '创建媒资-URL拉取注入.md': 'UploadMetaDataByUrl',
  '创建媒资-上传方式.md': 'CreateAssetByFileUpload', '创建媒资分类.md': 'CreateAssetCategory',
  '创建审核媒资任务.md': 'CreateAssetReviewTask', '创建水印模板.md': 'CreateWatermarkTemplate',
  '创建自定义转码模板组.md': 'CreateTemplateGroup', '删除媒资.md': 'DeleteAssets', '删除媒资分类.md': 'DeleteAssetCategory',
  '删除水印模板.md': 'DeleteWatermarkTemplate', '删除自定义转码模板组.md': 'DeleteTemplateGroup',
  '取消媒资转码任务.md': 'CancelAssetTranscodeTask', '取消提取音频任务.md': 'CancelExtractAudioTask',
  '媒资发布.md': 'PublishAssets', '媒资发布取消.md': 'UnpublishAssets', '媒资处理-0.md': 'CreateAssetProcessTask',
  '密钥查询-1.md': 'ShowAssetCipher', '智能封面（废弃）.md': 'CreateSmartCover', '查询CDN统计信息.md': 'ShowCdnStatistics',
  '查询CDN预热.md': 'ShowPreheatingAsset', '查询Top1000媒资信息（废弃）.md': 'ListTopUrlStatistics',
  '查询TopN媒资信息.md': 'ListTopStatistics', '查询单媒资播放数据（废弃）.md': 'ShowAssetPlayStatistics',
  '查询媒资信息.md': 'ShowAssetMeta', '查询媒资列表.md': 'ListAssetList', '查询总体播放数据（废弃）.md': 'ShowPlaySummaryStatistics',
  '查询托管任务.md': 'ListTakeOverTask', '查询托管任务详情.md': 'ShowTakeOverTaskDetails',
  '查询托管媒资详情.md': 'ShowTakeOverAssetDetails', '查询指定分类信息.md': 'ListAssetCategory',
  '查询指定媒资的详细信息.md': 'ShowAssetDetail', '查询水印列表.md': 'ListWatermarkTemplate',
  '查询源站统计信息.md': 'ShowVodStatistics', '查询转码模板组列表.md': 'ListTemplateGroup',
  '桶授权.md': 'UpdateBucketAuthorized', '确认媒资上传.md': 'ConfirmAssetUpload', '确认水印图片上传.md': 'ConfirmImageUpload',
  '获取分段上传授权.md': 'ShowAssetTempAuthority', '视频剪切（废弃）.md': 'CreateSplitTask', '视频拼接（废弃）.md': 'CreateConcatTask',
  '视频更新.md': 'UpdateAsset', '设置封面.md': 'UpdateCoverByThumbnail', '音频提取.md': 'CreateExtractAudioTask',
};

describe('the vod-api pages are read completely', () => {
  it('recognises every <table> of every page', () => {
    for (const page of pages) expect(page.tables.length, page.file).toBe(page.tableElements);
  });

  // Exact figures: a changed page changes them, and this test asks for a look at what changed.
  it('finds 50 operation pages (6 of them 废弃) and 错误码 and 使用前必读, their tables and field rows', () => {
    expect(pages.filter((p) => p.path)).toHaveLength(50);
    expect(pages.filter((p) => p.path && p.deprecated).map((p) => p.file).sort()).toEqual([
      '智能封面（废弃）.md', '查询Top1000媒资信息（废弃）.md', '查询单媒资播放数据（废弃）.md', '查询总体播放数据（废弃）.md',
      '视频剪切（废弃）.md', '视频拼接（废弃）.md',
    ]);
    expect(pages.filter((p) => !p.path).map((p) => p.file).sort()).toEqual(['使用前必读.md', '错误码.md']);
    expect(pageTableCount).toBe(PAGE_TABLES);
    expect(fieldCount).toBe(PAGE_FIELDS);
    expect(checks).toHaveLength(FIELD_CHECKS);
  });

  it('maps each operation page to its operation, and every 废弃 page is a deprecated operation', () => {
    for (const page of pages.filter((p) => p.path)) {
      expect(operationOf(page).op.operationId, page.file).toBe(operationIds[page.file]);
      expect(operationOf(page).op.deprecated === true, `${page.file} deprecated`).toBe(page.deprecated);
    }
  });

  it.each(pages.filter((p) => p.path).map((p) => [p.file] as const))('%s: every table is walked to a schema', (file) => {
    expect(problems.filter((p) => p.startsWith(`${file} `))).toEqual([]);
  });
});

/** The page's type names → whether a schema has that type. */
const typeOf: Record<string, (node: Json) => boolean> = {
  String: (s) => s.type === 'string',
  Integer: (s) => s.type === 'integer' && s.format === undefined,
  Long: (s) => s.type === 'integer' && s.format === 'int64',
  Float: (s) => s.type === 'number',
  Double: (s) => s.type === 'number',
  Boolean: (s) => s.type === 'boolean',
  Array: (s) => s.type === 'array',
  'Array of strings': (s) => s.type === 'array' && deref(s.items).type === 'string',
  'Array of integers': (s) => s.type === 'array' && deref(s.items).type === 'integer',
  Object: (s) => s.type === 'object',
};

describe.each(pages.filter((p) => p.path).map((p) => [`${p.file} ${p.title}`, p.file] as const))('%s', (_, file) => {
  it.each(checks.filter((c) => c.key.startsWith(`${file} `)).map((c) => [c.key, c] as const))('%s', (key, c) => {
    const { field, node, page } = c;
    expect(node, `${key} is missing from the spec`).toBeDefined();
    const isParameter = node.in !== undefined;
    const schema = isParameter ? deref(node.schema) : deref(node);

    // Description: present, quoting the page's term
    const description = isParameter ? node.description : descriptionOf(node);
    expect(description, `${key} description`).toMatch(/\S{3}/);
    expect(description, `${key} quotes the page's term`).toContain(term(field));
    // A departure from the page's table is allowed where the description names the page (a decision, not a mistake).
    const departs = namesPage(description, page);
    const agrees = (ok: boolean, what: string) => {
      if (!ok) expect(departs, `${key} ${what} differs from the page, and the description does not name the page (${page.title})`).toBe(true);
    };

    // Type
    const object = field.type.match(/^(?:Array of )?(\w+) objects?$/);
    if (object) {
      if (field.type.startsWith('Array of')) expect(schema.type).toBe('array');
      expect(refName(field.type.startsWith('Array of') ? schema.items : node), `${key} refers to a schema`).toBeDefined();
    } else {
      const check = typeOf[field.type];
      expect(check, `${key}: unknown page type ${field.type}`).toBeDefined();
      agrees(check!(schema), `type (${field.type})`);
    }

    // Required flag (request tables only; response tables have no such column)
    if (field.required !== undefined) {
      const required = isParameter ? node.required === true : (c.parent?.required ?? []).includes(field.name);
      agrees(required === field.required, `required (${field.required})`);
    }

    // Enumerated values: the request side exactly as the page; the response side may add values (SDK models,
    // other pages), each named in the description
    const values = enumValues(field);
    if (values.length) {
      const enumSchema = schema.type === 'array' ? deref(schema.items) : schema;
      const declared: unknown[] | undefined = enumSchema.enum;
      const expected = values.map((v) => (enumSchema.type === 'integer' ? Number(v) : v));
      if (!declared) agrees(false, 'enum (none declared)');
      else if (c.side === 'request') agrees(JSON.stringify([...declared].sort()) === JSON.stringify([...expected].sort()), `enum (${values.join(', ')})`);
      else {
        agrees(expected.every((v) => declared.includes(v)), `enum (${values.join(', ')})`);
        for (const extra of declared.filter((v) => !expected.includes(v as string | number))) {
          expect(descriptionOf(node) + (enumSchema.description ?? ''), `${key}: ${extra} not explained`).toContain(String(extra));
        }
      }
    }

    // Default, range, byte limits, list limits, formats
    const def = defaultValue(field);
    if (def !== undefined) agrees(schema.default === Number(def) || schema.default === def, `default (${def})`);
    const bounds = range(field);
    if (bounds) {
      if (schema.type === 'integer') agrees(schema.minimum === bounds[0] && schema.maximum === bounds[1], `range [${bounds}]`);
      else expect(description, `${key} states its range`).toContain(`[${bounds[0]},${bounds[1]}]`);
    }
    for (const r of codecRanges(field)) {
      const branch = (c.parent.allOf ?? []).find((s: Json) => s.if?.properties?.codec?.const === r.codec);
      const narrowed = branch?.then?.properties?.[field.name];
      expect(narrowed, `${key} range for ${r.codec}`).toMatchObject({ minimum: r.minimum, maximum: r.maximum, multipleOf: r.multipleOf });
    }
    const bytes = maxBytes(field);
    if (bytes) agrees(schema['x-max-bytes'] === Number(bytes) && schema.maxLength === Number(bytes), `byte limit (${bytes})`);
    const tags = tagLimits(field);
    if (tags) expect(schema['x-separated-list'], `${key} tags`).toEqual({ separator: ',', ...tags });
    const items = maxItems(field);
    if (items) agrees(schema.maxItems === Number(items), `maxItems (${items})`);
    if (utcTimestamp(field)) agrees(schema.pattern === '^[0-9]{14}$', 'yyyymmddhhmmss pattern');

    // How an array travels in the query string: comma-separated where the page says so, else repeated keys
    if (isParameter && schema.type === 'array') {
      expect(node.style, `${key} style`).toBe('form');
      expect(node.explode, `${key} explode`).toBe(!commaSeparated(field));
      expect(node.description, `${key} says where the serialisation comes from`).toMatch(/page|SDK/);
    }
  });
});

describe('named tables are schemas with nothing undeclared', () => {
  it.each(objectTables.map((o) => [`${o.table.page} 表${o.table.number} ${o.table.caption}`, o] as const))('%s', (_, o) => {
    for (const name of o.schemas) {
      const schema = deref(spec.components.schemas[name]); // UnpublishAssetsRequest is PublishAssetsRequest by $ref
      expect(schema, name).toBeDefined();
      const onPage = o.table.fields.map((f) => f.name);
      const extra = Object.keys(schema.properties ?? {}).filter((p) => !onPage.includes(p));
      if (schema.additionalProperties === false) expect(extra, `${name} is a closed request schema`).toEqual([]);
      // A response schema may document what only the SDK models (or another page) have, and must say so.
      for (const p of extra) {
        expect(descriptionOf(schema.properties[p]), `${name}.${p}`).toMatch(/SDK model only, not on the page|not on the page/);
      }
    }
  });

  it('resolves each table name to one schema per side across the live pages (tables of the same name agree)', () => {
    const byName = new Map<string, Set<string>>();
    const live = new Set(pages.filter((p) => !p.deprecated).map((p) => p.file));
    for (const o of objectTables) {
      if (o.table.kind !== 'object' || !live.has(o.table.page)) continue;
      const key = `${o.table.caption} (${o.side})`;
      for (const s of o.schemas) byName.set(key, (byName.get(key) ?? new Set()).add(s));
    }
    for (const [name, schemas] of byName) expect([...schemas], name).toHaveLength(1);
    expect(Object.fromEntries([...byName].map(([k, v]) => [k, [...v][0]]))).toMatchObject({
      'AssetInfo (response)': 'AssetInfo', 'BaseInfo (response)': 'BaseInfo', 'MetaData (response)': 'MetaData',
      'PlayInfo (response)': 'PlayInfo', 'File_addr (response)': 'FileAddrInfo', 'File_addr (request)': 'FileAddr',
      'TranscodeInfo (response)': 'TranscodeInfo', 'ThumbnailInfo (response)': 'ThumbnailInfo',
      'ReviewInfo (response)': 'ReviewInfo', 'DeleteResult (response)': 'DeleteResult', 'Thumbnail (request)': 'Thumbnail',
    });
  });
});

describe('headers, error bodies, status codes', () => {
  const headerTables = other.filter((o) => o.table.kind === 'header');
  const errorTables = other.filter((o) => o.table.kind === 'response' && isErrorBody(o.table));
  const statusTables = other.filter((o) => o.table.kind === 'status');
  const operationPages = pages.filter((p) => p.path);

  it('finds an error-body table on every operation page, and a header and a status table on every current-format one', () => {
    for (const page of operationPages) {
      const has = (t: PageTable['kind'], failure = false) => other.some((o) => o.page === page && o.table.kind === t && (!failure || isErrorBody(o.table)));
      expect(has('response', true), `${page.file} error body`).toBe(true);
      // The old pages (智能封面, 视频剪切, 视频拼接) have no header table; old pages have no 状态码 table.
      if (page.tables.some((t) => t.kind === 'path' && t.caption === '路径参数') && !page.deprecated) {
        expect([has('header'), has('status')], page.file).toEqual([true, true]);
      }
    }
  });

  it.each(headerTables.map((o) => [o.page.file, o] as const))('%s: every header is a security scheme the operation accepts', (_, o) => {
    const { op } = operationOf(o.page);
    const accepted = new Set((op.security ?? spec.security).flatMap((r: Json) => Object.keys(r)));
    const names = o.table.fields.map((f) => f.name);
    // The current pages list the three; the old (废弃) ones only X-Auth-Token.
    expect(o.page.deprecated ? ['X-Auth-Token'] : ['X-Auth-Token', 'Authorization', 'X-Sdk-Date']).toEqual(names);
    for (const field of o.table.fields) {
      const scheme = Object.entries<Json>(spec.components.securitySchemes).find(
        ([, s]) => s.in === 'header' && s.name.toLowerCase() === field.name.toLowerCase(),
      );
      expect(scheme, field.name).toBeDefined();
      expect(accepted.has(scheme![0]), `${field.name} accepted`).toBe(true);
      expect(field.type).toBe('String');
    }
  });

  it.each(errorTables.map((o) => [`${o.page.file} ${o.table.status ?? '(old page: error body)'}`, o] as const))('%s: the error body is ErrorResponse', (_, o) => {
    const { op } = operationOf(o.page);
    // An old page does not give the failure's status: every 4xx/5xx the operation declares must carry the body.
    const statuses = o.table.status ? [o.table.status] : Object.keys(op.responses).filter((s) => Number(s) >= 400);
    for (const status of statuses) {
      const schema = deref(op.responses[status])?.content?.['application/json']?.schema;
      expect(refName(schema), `${status}`).toBe('ErrorResponse');
    }
    const error = spec.components.schemas.ErrorResponse;
    for (const field of o.table.fields) {
      expect(error.properties[field.name]?.type, field.name).toBe('string');
      expect(error.required).toContain(field.name);
      expect(error.properties[field.name].description).toContain(term(field));
    }
  });

  it.each(statusTables.map((o) => [o.page.file, o] as const))('%s: every documented status is a declared response', (_, o) => {
    const { op } = operationOf(o.page);
    const statuses = o.table.rows.map((r) => text(r[0]!));
    expect(statuses.length).toBeGreaterThan(0);
    for (const status of statuses) expect(op.responses, status).toHaveProperty(status);
    // A success status has a body exactly where the page tabulates one (桶授权's 200 and the 204s have none), unless
    // the response's description names the page as one it departs from.
    for (const status of statuses.filter((s) => s.startsWith('2'))) {
      const hasBody = o.page.tables.some((t) => t.kind === 'response' && t.status === status);
      const response = deref(op.responses[status]);
      if ((response.content !== undefined) !== hasBody) {
        expect(response.description, `${o.page.file} ${status}: body ${hasBody ? 'missing' : 'added'} without naming the page`).toContain(o.page.title);
      }
    }
  });

  it.each(operationPages.filter((p) => !statusTables.some((o) => o.page === p)).map((p) => [p.file, p] as const))(
    '%s (no 状态码 table): the success body is declared under 200',
    (_, page) => {
      const { op } = operationOf(page);
      const success = page.tables.some((t) => t.kind === 'response' && t.status === '200');
      const declared = Object.keys(op.responses).filter((s) => s.startsWith('2'));
      expect(declared.length, page.file).toBeGreaterThan(0);
      if (success) expect(deref(op.responses['200'])?.content, page.file).toBeDefined();
    },
  );
});

describe('rate limits (使用前必读, 表1 API流控限制) are x-rate-limit', () => {
  const table = other.find((o) => o.table.kind === 'rate-limit')!.table;
  // The names in the table (the 2020 page titles) → operationIds. 确认上传 is 确认媒资上传, 查询媒资详细信息 is
  // 查询指定媒资的详细信息, 媒资预热 is CDN预热, 查询预热结果 is 查询CDN预热, 视频处理 is 媒资处理, 视频审核 is 创建审核媒资任务,
  // and 创建/修改/删除/查询分类 are the 媒资分类 pages.
  const ids: Record<string, string> = {
    '创建媒资：上传方式': 'CreateAssetByFileUpload', 获取分段上传授权: 'ShowAssetTempAuthority', 确认上传: 'ConfirmAssetUpload',
    桶授权: 'UpdateBucketAuthorized', '创建媒资：OBS转存方式': 'PublishAssetFromObs',
    媒资发布: 'PublishAssets', 媒资发布取消: 'UnpublishAssets', 修改媒资属性: 'UpdateAssetMeta', 删除媒资: 'DeleteAssets',
    查询媒资信息: 'ShowAssetMeta', 查询媒资详细信息: 'ShowAssetDetail', 查询媒资列表: 'ListAssetList',
    媒资预热: 'CreatePreheatingAsset', 查询预热结果: 'ShowPreheatingAsset',
    视频处理: 'CreateAssetProcessTask', 视频更新: 'UpdateAsset', 音频提取: 'CreateExtractAudioTask', 视频审核: 'CreateAssetReviewTask',
    设置封面: 'UpdateCoverByThumbnail',
    创建分类: 'CreateAssetCategory', 修改分类: 'UpdateAssetCategory', 删除分类: 'DeleteAssetCategory', 查询分类: 'ListAssetCategory',
    查询CDN统计信息: 'ShowCdnStatistics', 查询源站统计信息: 'ShowVodStatistics', 查询TopN媒资信息: 'ListTopStatistics',
  };
  // A row of 媒资管理 spans two rows (rowspan), so the second row has one cell fewer.
  const rows = table.rows.map((cells) => {
    const numbers = cells.slice(-2).map((c) => Number(text(c).replace(/\s/g, '')));
    const names = [...cells.at(-3)!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!));
    return { group: cells.length === 4 ? text(cells[0]!) : '媒资管理', names, perTenant: numbers[0]!, overall: numbers[1]! };
  });
  const allOps = Object.values<Json>(spec.paths).flatMap((item) => Object.values<Json>(item).filter((o) => o?.operationId));

  it('reads 7 rows with numbers split by <span> tags put back together, naming 26 operations', () => {
    expect(rows.map((r) => [r.group, r.perTenant, r.overall])).toEqual([
      ['媒资上传', 1500, 6000], ['媒资管理', 100, 1000], ['媒资管理', 1500, 6000], ['媒资预热', 100, 1000],
      ['媒资处理', 100, 1000], ['媒资分类', 100, 1000], ['统计分析', 100, 1000],
    ]);
    expect(rows.flatMap((r) => r.names).sort()).toEqual(Object.keys(ids).sort());
  });

  it.each(Object.entries(ids))('%s → %s, not inferred', (name, operationId) => {
    const row = rows.find((r) => r.names.includes(name));
    expect(row, name).toBeDefined();
    const op = allOps.find((o) => o.operationId === operationId);
    expect(op['x-rate-limit']).toEqual({
      group: op['x-rate-limit'].group, perTenantPerMinute: row!.perTenant, overallPerMinute: row!.overall,
    });
  });

  it('every other operation has one marked inferred, with its reason', () => {
    for (const op of allOps) {
      expect(op['x-rate-limit'], op.operationId).toBeDefined();
      if (Object.values(ids).includes(op.operationId)) continue;
      expect(op["x-rate-limit"], op.operationId).toMatchObject({ inferred: true, reason: expect.stringMatching(/.{20}/) });
      const row = rows.find((r) => r.perTenant === op['x-rate-limit'].perTenantPerMinute && r.overall === op['x-rate-limit'].overallPerMinute);
      expect(row, `${op.operationId}: the numbers of a row of the table`).toBeDefined();
    }
    const smartCover = allOps.find((o) => o.operationId === 'CreateSmartCover');
    const processing = rows.find((r) => r.group === '媒资处理')!;
    expect(smartCover['x-rate-limit']).toMatchObject({
      group: 'media-processing', perTenantPerMinute: processing.perTenant, overallPerMinute: processing.overall,
    });
    expect(rows.some((r) => r.names.some((n) => n.includes('智能封面')))).toBe(false);
  });
});

describe('the error-code table (错误码) is x-error-codes', () => {
  const table = other.find((o) => o.table.kind === 'error-codes')!.table;
  const rows = table.rows.map((cells) => cells.map(text));
  const catalogue: Json[] = spec['x-error-codes'];

  it('reads 92 rows (90 codes, two of them under two statuses)', () => {
    expect(table.header).toEqual(['状态码', '错误码', '错误信息', '描述', '处理措施']);
    expect(rows).toHaveLength(92);
    expect(new Set(rows.map((r) => r[1])).size).toBe(90);
  });

  it.each(rows.map((r) => [`${r[1]} (${r[0]})`, r] as const))('%s', (_, [status, code, message]) => {
    const entry = catalogue.find((e) => e.code === code || e.aliases?.includes(code));
    expect(entry, code).toBeDefined();
    expect(entry.status).toContain(Number(status));
    expect(entry.message_zh).toBe(message);
    expect(entry.message).toMatch(/\S/);
  });
});
