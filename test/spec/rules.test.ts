// Every documented rule, proven twice: with Ajv on the bundled spec, and on a Prism mock of the same file (which
// is what `npm run mock` serves), so that a rule Prism silently ignores is caught here. Bodies:
// test/cases/request-bodies.ts; query strings: test/cases/query-cases.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism } from '../../scripts/prism.mjs';
import { queryCases, type QueryCase } from '../cases/query-cases.js';
import { allBodyCases, operationPaths, type BodyCase } from '../cases/request-bodies.js';
import { deref, operation, schemaAt, specAjv, type Json } from '../helpers/spec.js';

type AnyBodyCase = (typeof allBodyCases)[number];

const bodySchema = (operationId: string): string =>
  operation(operationId).op.requestBody.content['application/json'].schema.$ref;
const successStatus = (operationId: string): number =>
  Number(Object.keys(operation(operationId).op.responses).find((s) => s.startsWith('2')));

const withBytes = specAjv();
const plainSchema = specAjv({ vendorKeywords: false });
const label = (c: BodyCase<string> | QueryCase) =>
  `${c.operation}: ${c.name} → ${c.valid ? 'accepted' : 'rejected'} (${c.rule})`;

/** The query parameters of an operation as one JSON Schema object, so that Ajv judges a query like a body. */
function queryParameters(operationId: string): Json[] {
  const { path, op } = operation(operationId);
  return [...(deref({ $ref: `#/paths/${path.replaceAll('/', '~1')}` }).parameters ?? []), ...(op.parameters ?? [])]
    .map(deref)
    .filter((p: Json) => p.in === 'query');
}
const querySchema = (operationId: string) => {
  const params = queryParameters(operationId);
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p: Json) => [p.name, p.schema])),
    required: params.filter((p: Json) => p.required).map((p: Json) => p.name),
  };
};
const queryValidators = (ajv: ReturnType<typeof specAjv>) =>
  Object.fromEntries(
    [...new Set(queryCases.map((c) => c.operation))].map((op) => [op, ajv.compile(querySchema(op))]),
  );
const queryWithBytes = queryValidators(withBytes);
const queryPlain = queryValidators(plainSchema);

/** The query string as the spec says to send it: arrays as repeated keys (explode) or comma-separated. */
function queryString(operationId: string, query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const p of queryParameters(operationId)) {
    const value = query[p.name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (p.explode) for (const v of value) params.append(p.name, String(v));
      else params.append(p.name, value.join(','));
    } else params.append(p.name, String(value));
  }
  return params.toString();
}

describe('request rules, Ajv 2020-12', () => {
  it.each(allBodyCases.map((c) => [label(c), c] as const))('%s', (_, c: AnyBodyCase) => {
    const validate = schemaAt(withBytes, bodySchema(c.operation));
    expect(validate(c.body), JSON.stringify(validate.errors)).toBe(c.valid);
    // What plain JSON Schema sees: byte-only violations pass, everything else is the same.
    const plain = schemaAt(plainSchema, bodySchema(c.operation));
    expect(plain(c.body)).toBe(c.valid || c.bytesOnly === true);
  });

  it('covers both outcomes for every rule that has an invalid case', () => {
    const rules = new Map<string, Set<boolean>>();
    for (const c of allBodyCases) rules.set(c.rule, (rules.get(c.rule) ?? new Set()).add(c.valid));
    const cross = ['storage_mode: 1 requires output_bucket and output_path', 'auto_encrypt: 1 requires template_group_name',
      'thumbnail.type time requires time', 'thumbnail.type dots requires dots'];
    for (const rule of cross) expect(rules.get(rule)?.size, rule).toBe(2);
    for (const rule of ['title <= 128 UTF-8 bytes', 'description <= 1024 UTF-8 bytes', 'at most 16 tags',
      'each tag <= 16 UTF-8 bytes', 'thumbnail.time in [1, 12]', 'auto_publish in {0, 1}', 'storage_mode in {0, 1}',
      'operation in {"0", "1"}']) {
      expect(rules.get(rule)?.size, rule).toBe(2);
    }
  });
});

describe('query rules, Ajv 2020-12 (the parameters of an operation as one object schema)', () => {
  it.each(queryCases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const validate = queryWithBytes[c.operation]!;
    expect(validate(c.query), JSON.stringify(validate.errors)).toBe(c.valid);
    expect(queryPlain[c.operation]!(c.query)).toBe(c.valid || c.bytesOnly === true);
    if (!c.valid) {
      // The error names the parameter (and the item) the case is about.
      const paths = (validate.errors ?? []).map((e: { instancePath: string; params: Record<string, string> }) =>
        [...e.instancePath.split('/').slice(1), ...(e.params.missingProperty ? [e.params.missingProperty] : [])].join('.'),
      );
      expect(paths).toContain(c.field);
    }
  });

  it('covers both outcomes of every query rule', () => {
    const rules = new Map<string, Set<boolean>>();
    for (const c of queryCases) rules.set(c.rule, (rules.get(c.rule) ?? new Set()).add(c.valid));
    for (const [rule, outcomes] of rules) {
      if (rule !== 'every parameter is optional' && !rule.includes('is a string') && rule !== 'filters combine') {
        expect(outcomes.size, rule).toBe(2);
      }
    }
    expect(rules.size).toBeGreaterThanOrEqual(18);
  });

  it('serialises arrays as the spec says: repeated keys for ShowAssetMeta/ShowAssetDetail, commas for DeleteAssets', () => {
    expect(queryString('ShowAssetMeta', { asset_id: ['a', 'b'], size: 5 })).toBe('asset_id=a&asset_id=b&size=5');
    expect(queryString('ShowAssetDetail', { asset_id: 'a', categories: ['base_info', 'review_info'] })).toBe(
      'asset_id=a&categories=base_info&categories=review_info',
    );
    expect(queryString('DeleteAssets', { asset_id: ['a', 'b'] })).toBe('asset_id=a%2Cb');
  });
});

describe('request rules, Prism mock of generated/openapi.json', () => {
  let prism: Awaited<ReturnType<typeof startPrism>>;
  beforeAll(async () => {
    prism = await startPrism();
  });
  afterAll(() => prism?.stop());

  it.each(allBodyCases.map((c) => [label(c), c] as const))('%s', async (_, c: AnyBodyCase) => {
    const { path, op } = operation(c.operation);
    expect(path).toBe(operationPaths[c.operation]);
    const method = Object.entries(deref({ $ref: `#/paths/${path.replaceAll('/', '~1')}` })).find(([, o]) => o === op)![0];
    const response = await fetch(prism.url + path.replace('{project_id}', '0123456789abcdef'), {
      method: method.toUpperCase(),
      headers: { 'content-type': 'application/json', 'x-auth-token': 'test-token' },
      body: JSON.stringify(c.body),
    });
    const expected = c.valid || c.bytesOnly ? successStatus(c.operation) : 400;
    expect(response.status, `${response.headers.get('sl-violations') ?? ''}`).toBe(expected);
    if (response.status === 400) expect(await response.json()).toHaveProperty('error_code');
  });

  it.each(queryCases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const { path, op } = operation(c.operation);
    const method = Object.entries(deref({ $ref: `#/paths/${path.replaceAll('/', '~1')}` })).find(([, o]) => o === op)![0];
    const qs = queryString(c.operation, c.query);
    const response = await fetch(`${prism.url}${path.replace('{project_id}', '0123456789abcdef')}${qs ? `?${qs}` : ''}`, {
      method: method.toUpperCase(),
      headers: { 'x-auth-token': 'test-token' },
    });
    const expected = c.valid || c.bytesOnly ? successStatus(c.operation) : 400;
    expect(response.status, `${qs} ${response.headers.get('sl-violations') ?? ''}`).toBe(expected);
    if (response.status === 400) expect(await response.json()).toHaveProperty('error_code');
  });

  // Prism reads the array the way the spec declares it: 11 repeated keys are 11 items (over maxItems), the same 11
  // IDs comma-joined in one key are a single item and pass. So a client that serialises with the wrong style would
  // not be caught by the mock's maxItems, and the style in the spec is what makes the rule visible.
  it('reads ShowAssetMeta.asset_id as repeated keys (explode: true), not as a comma-separated value', async () => {
    const elevenIds = Array.from({ length: 11 }, (_, i) => i.toString(16).padStart(32, '0'));
    const get = (qs: string) =>
      fetch(`${prism.url}/v1.0/p/asset/info?${qs}`, { headers: { 'x-auth-token': 't' } }).then((r) => r.status);
    expect(await get(elevenIds.map((id) => `asset_id=${id}`).join('&'))).toBe(400);
    expect(await get(`asset_id=${elevenIds.join(',')}`)).toBe(200);
  });

  it('rejects a request without credentials with 401', async () => {
    const response = await fetch(`${prism.url}/v1.0/p/asset/smart_cover`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ asset_id: 'a' }),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error_code).toBe('APIG.0301');
  });

  it('accepts AK/SK only as the Authorization + X-Sdk-Date pair', async () => {
    const send = (headers: Record<string, string>) =>
      fetch(`${prism.url}/v1.0/p/asset/smart_cover`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ asset_id: 'a' }),
      }).then((r) => r.status);
    expect(await send({ authorization: 'SDK-HMAC-SHA256 Access=a, SignedHeaders=host, Signature=0' })).toBe(401);
    expect(await send({ 'x-sdk-date': '20240101T120000Z' })).toBe(401);
    expect(
      await send({ authorization: 'SDK-HMAC-SHA256 Access=a, SignedHeaders=host, Signature=0', 'x-sdk-date': '20240101T120000Z' }),
    ).toBe(204);
  });
});
