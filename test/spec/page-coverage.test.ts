// Every table of every page in test/fixtures/vod-pages (copies of Huawei's pages in shared/reference/vod-pages)
// checked against the bundled spec, field by field: presence, type, required flag (request side), enum, range,
// default, byte limits, array serialisation and a description quoting the page's term. Header tables map to the
// security schemes, error-body tables to ErrorResponse, 状态码 tables to the declared responses, the rate-limit
// table to x-rate-limit and the error-code table to x-error-codes. (The two seed pages: seed-coverage.test.ts.)
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

/** One check to run: a page field (or table) and the spec node it must match. */
interface Check {
  key: string;
  side: 'request' | 'response';
  field: PageField;
  /** The property schema (body/response) or the parameter object (path/query). */
  node: Json;
  /** The object schema holding the property, for the required flag and per-codec ranges. */
  parent?: Json;
}

// Walk every page: resolve each table to the spec node it describes. Named tables (AssetInfo, …) are reached
// through the field of an earlier table that refers to them ("BaseInfo object", "Array of PlayInfo objects").
const checks: Check[] = [];
const objectTables: { table: PageTable; schemas: Set<string> }[] = [];
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
    if (!name) throw new Error(`${page.file} ${field.name}: ${field.type} is not a $ref to a schema`);
    const entry = named.get(m[1]!) ?? { schemas: new Set<string>(), side };
    named.set(m[1]!, { schemas: entry.schemas.add(name), side });
  };
  for (const table of page.tables) {
    const at = `${page.file} 表${table.number} ${table.caption}${table.status ? ` (${table.status})` : ''}`;
    if (table.kind === 'path' || table.kind === 'query') {
      const params = [...(op!.pathItem.parameters ?? []), ...(op!.op.parameters ?? [])].map(deref);
      for (const field of table.fields) {
        const node = params.find((p: Json) => p.name === field.name && p.in === table.kind);
        checks.push({ key: `${at} ${field.name}`, side: 'request', field, node });
      }
    } else if (table.kind === 'body') {
      const schema = deref(op!.op.requestBody?.content?.['application/json']?.schema);
      for (const field of table.fields) {
        const node = schema?.properties?.[field.name];
        checks.push({ key: `${at} ${field.name}`, side: 'request', field, node, parent: schema });
        register(field, node, 'request');
      }
      objectTables.push({ table, schemas: new Set([refName(op!.op.requestBody.content['application/json'].schema)]) });
    } else if (table.kind === 'response' && !table.fields.some((f) => f.name === 'error_code')) {
      const ref = deref(op!.op.responses[table.status!])?.content?.['application/json']?.schema;
      for (const field of table.fields) {
        const node = deref(ref)?.properties?.[field.name];
        checks.push({ key: `${at} ${field.name}`, side: 'response', field, node, parent: deref(ref) });
        register(field, node, 'response');
      }
      objectTables.push({ table, schemas: new Set([refName(ref)]) });
    } else if (table.kind === 'object') {
      const entry = named.get(table.caption);
      if (!entry) throw new Error(`${at}: no field of an earlier table refers to it`);
      const { schemas, side } = entry;
      objectTables.push({ table, schemas });
      for (const name of schemas) {
        const schema = spec.components.schemas[name];
        for (const field of table.fields) {
          const node = schema?.properties?.[field.name];
          checks.push({ key: `${at} → ${name}.${field.name}`, side, field, node, parent: schema });
          register(field, node, side);
        }
      }
    } else {
      other.push({ table, page }); // header, error body, 状态码, rate limit, error codes: checked below
    }
  }
}

const pageTableCount = pages.reduce((n, p) => n + p.tables.length, 0);
const fieldCount = pages.reduce((n, p) => n + p.tables.reduce((m, t) => m + t.fields.length, 0), 0);

describe('the vod-pages are read completely', () => {
  it('recognises every <table> of every page', () => {
    for (const page of pages) expect(page.tables.length, page.file).toBe(page.tableElements);
  });

  // Exact figures: a changed page changes them, and this test asks for a look at what changed.
  it('finds 8 pages, 68 tables and 234 table rows that are fields', () => {
    expect(pages.map((p) => p.file)).toEqual([
      'ErrorCode.md', 'vod_04_0020.md', 'vod_04_0021.md', 'vod_04_0022.md', 'vod_04_0024.md', 'vod_04_0042.md',
      'vod_04_0199.md', 'vod_04_0202.md',
    ]);
    expect(pageTableCount).toBe(68);
    expect(fieldCount).toBe(234);
    expect(checks).toHaveLength(204);
  });

  it('maps each operation page to its operation', () => {
    const ids = pages.filter((p) => p.path).map((p) => `${p.file} ${operationOf(p).op.operationId}`);
    expect(ids).toEqual([
      'vod_04_0020.md PublishAssets',
      'vod_04_0021.md UnpublishAssets',
      'vod_04_0022.md ShowAssetMeta',
      'vod_04_0024.md DeleteAssets',
      'vod_04_0199.md UpdateBucketAuthorized',
      'vod_04_0202.md ShowAssetDetail',
    ]);
  });
});

const typeOf: Record<string, (node: Json, field: PageField) => void> = {
  String: (s) => expect(s.type).toBe('string'),
  Integer: (s) => {
    expect(s.type).toBe('integer');
    expect(s.format).toBeUndefined();
  },
  Long: (s) => expect([s.type, s.format]).toEqual(['integer', 'int64']),
  Array: (s) => expect(s.type).toBe('array'),
  'Array of strings': (s) => expect([s.type, deref(s.items).type]).toEqual(['array', 'string']),
};

describe.each(pages.filter((p) => p.path).map((p) => [`${p.file} ${p.title}`, p.file] as const))('%s', (_, file) => {
  it.each(checks.filter((c) => c.key.startsWith(file)).map((c) => [c.key, c] as const))('%s', (key, c) => {
    const { field, node } = c;
    expect(node, `${key} is missing from the spec`).toBeDefined();
    const isParameter = node.in !== undefined;
    const schema = isParameter ? deref(node.schema) : deref(node);

    // Description: present, quoting the page's term
    const description = isParameter ? node.description : descriptionOf(node);
    expect(description, `${key} description`).toMatch(/\S{3}/);
    expect(description, `${key} quotes the page's term`).toContain(term(field));

    // Type
    const object = field.type.match(/^(?:Array of )?(\w+) objects?$/);
    if (object) {
      if (field.type.startsWith('Array of')) expect(schema.type).toBe('array');
      expect(refName(field.type.startsWith('Array of') ? schema.items : node), `${key} refers to a schema`).toBeDefined();
    } else {
      const check = typeOf[field.type];
      expect(check, `${key}: unknown page type ${field.type}`).toBeDefined();
      check!(schema, field);
    }

    // Required flag (request tables only; response tables have no such column)
    if (field.required !== undefined) {
      const required = isParameter ? node.required === true : (c.parent?.required ?? []).includes(field.name);
      expect(required, `${key} required`).toBe(field.required);
    }

    // Enumerated values: the request side exactly as the page; the response side may add values (SDK models,
    // other pages), each named in the description
    const values = enumValues(field);
    if (values.length) {
      const enumSchema = schema.type === 'array' ? deref(schema.items) : schema;
      const declared: unknown[] = enumSchema.enum;
      expect(declared, `${key} enum`).toBeDefined();
      const expected = values.map((v) => (enumSchema.type === 'integer' ? Number(v) : v));
      if (c.side === 'request') expect([...declared].sort(), `${key} enum`).toEqual([...expected].sort());
      else {
        expect(declared, `${key} enum`).toEqual(expect.arrayContaining(expected));
        for (const extra of declared.filter((v) => !expected.includes(v as string | number))) {
          expect(descriptionOf(node) + (enumSchema.description ?? ''), `${key}: ${extra} not explained`).toContain(String(extra));
        }
      }
    }

    // Default, range, byte limits, list limits, formats
    const def = defaultValue(field);
    if (def !== undefined) expect(schema.default, `${key} default`).toBe(Number(def));
    const bounds = range(field);
    if (bounds) {
      if (schema.type === 'integer') expect([schema.minimum, schema.maximum], `${key} range`).toEqual([...bounds]);
      else expect(description, `${key} states its range`).toContain(`[${bounds[0]},${bounds[1]}]`);
    }
    for (const r of codecRanges(field)) {
      const branch = (c.parent.allOf ?? []).find((s: Json) => s.if?.properties?.codec?.const === r.codec);
      const narrowed = branch?.then?.properties?.[field.name];
      expect(narrowed, `${key} range for ${r.codec}`).toMatchObject({ minimum: r.minimum, maximum: r.maximum, multipleOf: r.multipleOf });
    }
    const bytes = maxBytes(field);
    if (bytes) expect([schema['x-max-bytes'], schema.maxLength], `${key} bytes`).toEqual([Number(bytes), Number(bytes)]);
    const tags = tagLimits(field);
    if (tags) expect(schema['x-separated-list'], `${key} tags`).toEqual({ separator: ',', ...tags });
    const items = maxItems(field);
    if (items) expect(schema.maxItems, `${key} maxItems`).toBe(Number(items));
    if (utcTimestamp(field)) expect(schema.pattern, `${key} yyyymmddhhmmss`).toBe('^[0-9]{14}$');

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
      const extra = Object.keys(schema.properties).filter((p) => !onPage.includes(p));
      if (schema.additionalProperties === false) expect(extra, `${name} is a closed request schema`).toEqual([]);
      // A response schema may document what only the SDK models have, and must say so.
      for (const p of extra) expect(descriptionOf(schema.properties[p]), `${name}.${p}`).toMatch(/SDK model only, not on the page/);
    }
  });

  it('resolves each table name to one schema across all pages (tables of the same name agree)', () => {
    const byName = new Map<string, Set<string>>();
    for (const o of objectTables) {
      if (o.table.kind !== 'object') continue;
      for (const s of o.schemas) byName.set(o.table.caption, (byName.get(o.table.caption) ?? new Set()).add(s));
    }
    for (const [name, schemas] of byName) expect([...schemas], name).toHaveLength(1);
    expect(Object.fromEntries([...byName].map(([k, v]) => [k, [...v][0]]))).toMatchObject({
      AssetInfo: 'AssetInfo', BaseInfo: 'BaseInfo', MetaData: 'MetaData', PlayInfo: 'PlayInfo', File_addr: 'FileAddrInfo',
      TranscodeInfo: 'TranscodeInfo', ThumbnailInfo: 'ThumbnailInfo', ReviewInfo: 'ReviewInfo', DeleteResult: 'DeleteResult',
    });
  });
});

describe('headers, error bodies, status codes', () => {
  const headerTables = other.filter((o) => o.table.kind === 'header');
  const errorTables = other.filter((o) => o.table.kind === 'response');
  const statusTables = other.filter((o) => o.table.kind === 'status');

  it('finds a header, an error-body and a status table on each of the 6 operation pages', () => {
    expect([headerTables.length, errorTables.length, statusTables.length]).toEqual([6, 6, 6]);
  });

  it.each(headerTables.map((o) => [o.page.file, o] as const))('%s: every header is a security scheme the operation accepts', (_, o) => {
    const { op } = operationOf(o.page);
    const accepted = new Set((op.security ?? spec.security).flatMap((r: Json) => Object.keys(r)));
    expect(o.table.fields.map((f) => f.name)).toEqual(['X-Auth-Token', 'Authorization', 'X-Sdk-Date']);
    for (const field of o.table.fields) {
      const scheme = Object.entries<Json>(spec.components.securitySchemes).find(
        ([, s]) => s.in === 'header' && s.name.toLowerCase() === field.name.toLowerCase(),
      );
      expect(scheme, field.name).toBeDefined();
      expect(accepted.has(scheme![0]), `${field.name} accepted`).toBe(true);
      expect(field.type).toBe('String');
    }
  });

  it.each(errorTables.map((o) => [`${o.page.file} ${o.table.status}`, o] as const))('%s: the error body is ErrorResponse', (_, o) => {
    const { op } = operationOf(o.page);
    const schema = deref(op.responses[o.table.status!])?.content?.['application/json']?.schema;
    expect(refName(schema)).toBe('ErrorResponse');
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
    // 200 without a body where the page shows none (桶授权), with the page's schema everywhere else
    const hasBody = o.page.tables.some((t) => t.kind === 'response' && t.status === '200');
    expect(op.responses['200'].content !== undefined, '200 body').toBe(hasBody);
  });
});

describe('rate limits (使用前必读, 表1 API流控限制) are x-rate-limit', () => {
  const table = other.find((o) => o.table.kind === 'rate-limit')!.table;
  // Operation pages' names in the table → operationIds; 智能封面 is in no row, see CreateSmartCover.
  const ids: Record<string, string> = {
    桶授权: 'UpdateBucketAuthorized',
    '创建媒资：OBS转存方式': 'PublishAssetFromObs',
    媒资发布: 'PublishAssets',
    媒资发布取消: 'UnpublishAssets',
    删除媒资: 'DeleteAssets',
    查询媒资信息: 'ShowAssetMeta',
    查询媒资详细信息: 'ShowAssetDetail',
  };
  // A row of 媒资管理 spans two rows (rowspan), so the second row has one cell fewer.
  const rows = table.rows.map((cells) => {
    const numbers = cells.slice(-2).map((c) => Number(text(c).replace(/\s/g, '')));
    const names = [...cells.at(-3)!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!));
    return { group: cells.length === 4 ? text(cells[0]!) : '媒资管理', names, perTenant: numbers[0]!, overall: numbers[1]! };
  });
  const allOps = Object.values<Json>(spec.paths).flatMap((item) => Object.values<Json>(item).filter((o) => o?.operationId));

  it('reads 7 rows with numbers split by <span> tags put back together', () => {
    expect(rows.map((r) => [r.group, r.perTenant, r.overall])).toEqual([
      ['媒资上传', 1500, 6000], ['媒资管理', 100, 1000], ['媒资管理', 1500, 6000], ['媒资预热', 100, 1000],
      ['媒资处理', 100, 1000], ['媒资分类', 100, 1000], ['统计分析', 100, 1000],
    ]);
  });

  it.each(Object.entries(ids))('%s → %s', (name, operationId) => {
    const row = rows.find((r) => r.names.includes(name));
    expect(row, name).toBeDefined();
    const op = allOps.find((o) => o.operationId === operationId);
    expect(op['x-rate-limit']).toMatchObject({ perTenantPerMinute: row!.perTenant, overallPerMinute: row!.overall });
  });

  it('every operation has one; smart cover, in no row, takes 媒资处理 and says so', () => {
    expect(allOps).toHaveLength(8);
    for (const op of allOps) expect(op['x-rate-limit'], op.operationId).toBeDefined();
    const smartCover = allOps.find((o) => o.operationId === 'CreateSmartCover');
    const processing = rows.find((r) => r.group === '媒资处理')!;
    expect(smartCover['x-rate-limit']).toEqual({
      group: 'media-processing', perTenantPerMinute: processing.perTenant, overallPerMinute: processing.overall,
    });
    expect(rows.some((r) => r.names.some((n) => n.includes('智能封面')))).toBe(false);
    expect(smartCover.description).toMatch(/does not name smart cover/);
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
