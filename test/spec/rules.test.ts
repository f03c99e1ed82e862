// Every documented rule, proven twice: with Ajv on the bundled spec, and on a Prism mock of the same file (which
// is what `npm run mock` serves), so that a rule Prism silently ignores is caught here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrism } from '../../scripts/prism.mjs';
import { bodyCases, operationPaths, type BodyCase } from '../cases/request-bodies.js';
import { schemaAt, specAjv } from '../helpers/spec.js';

const schemaFor = {
  PublishAssetFromObs: '#/components/schemas/PublishAssetFromObsRequest',
  CreateSmartCover: '#/components/schemas/SmartCoverRequest',
} as const;
const successStatus = { PublishAssetFromObs: 200, CreateSmartCover: 204 } as const;

const withBytes = specAjv();
const plainSchema = specAjv({ vendorKeywords: false });
const label = (c: BodyCase) => `${c.operation}: ${c.name} → ${c.valid ? 'accepted' : 'rejected'} (${c.rule})`;

describe('request rules, Ajv 2020-12', () => {
  it.each(bodyCases.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const validate = schemaAt(withBytes, schemaFor[c.operation]);
    expect(validate(c.body), JSON.stringify(validate.errors)).toBe(c.valid);
    // What plain JSON Schema sees: byte-only violations pass, everything else is the same.
    const plain = schemaAt(plainSchema, schemaFor[c.operation]);
    expect(plain(c.body)).toBe(c.valid || c.bytesOnly === true);
  });

  it('covers both outcomes for every rule that has an invalid case', () => {
    const rules = new Map<string, Set<boolean>>();
    for (const c of bodyCases) rules.set(c.rule, (rules.get(c.rule) ?? new Set()).add(c.valid));
    const cross = ['storage_mode: 1 requires output_bucket and output_path', 'auto_encrypt: 1 requires template_group_name',
      'thumbnail.type time requires time', 'thumbnail.type dots requires dots'];
    for (const rule of cross) expect(rules.get(rule)?.size, rule).toBe(2);
    for (const rule of ['title <= 128 UTF-8 bytes', 'description <= 1024 UTF-8 bytes', 'at most 16 tags',
      'each tag <= 16 UTF-8 bytes', 'thumbnail.time in [1, 12]', 'auto_publish in {0, 1}', 'storage_mode in {0, 1}']) {
      expect(rules.get(rule)?.size, rule).toBe(2);
    }
  });
});

describe('request rules, Prism mock of generated/openapi.json', () => {
  let prism: Awaited<ReturnType<typeof startPrism>>;
  beforeAll(async () => {
    prism = await startPrism();
  });
  afterAll(() => prism?.stop());

  it.each(bodyCases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const path = operationPaths[c.operation].replace('{project_id}', '0123456789abcdef');
    const response = await fetch(prism.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': 'test-token' },
      body: JSON.stringify(c.body),
    });
    const expected = c.valid || c.bytesOnly ? successStatus[c.operation] : 400;
    expect(response.status, `${response.headers.get('sl-violations') ?? ''}`).toBe(expected);
    if (response.status === 400) expect(await response.json()).toHaveProperty('error_code');
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
