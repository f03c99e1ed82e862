import { describe, expect, it } from 'vitest';
import { deref, schemaAt, spec, specAjv, type Json } from '../helpers/spec.js';

const ajv = specAjv();

// Every example of every request body and response, with the schema it illustrates.
const examples: { where: string; schema: Json; value: Json }[] = [];
for (const [path, item] of Object.entries<Json>(spec.paths)) {
  for (const [method, op] of Object.entries<Json>(item)) {
    if (!op?.operationId) continue;
    const bodies: [string, Json][] = [['request', op.requestBody]];
    for (const [status, response] of Object.entries<Json>(op.responses)) bodies.push([status, response]);
    for (const [label, body] of bodies) {
      for (const [type, media] of Object.entries<Json>(deref(body)?.content ?? {})) {
        for (const [name, example] of Object.entries<Json>(media.examples ?? {})) {
          examples.push({
            where: `${method.toUpperCase()} ${path} ${label} ${type} ${name}`,
            schema: media.schema,
            value: deref(example).value,
          });
        }
      }
    }
  }
}

describe('examples', () => {
  it('covers the interesting request cases and every error response', () => {
    const names = examples.map((e) => e.where);
    for (const name of ['Minimal', 'ThumbnailByDots', 'ThumbnailByTime', 'WithReview', 'TenantBucket', 'Encrypted',
      'Authorize', 'Revoke', 'TwoAssets']) {
      expect(names.some((n) => n.endsWith(`request application/json ${name}`)), name).toBe(true);
    }
    // Every request body and every success body has a named example.
    for (const [path, item] of Object.entries<Json>(spec.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!op?.operationId) continue;
        if (op.requestBody) expect(names.some((n) => n.startsWith(`${method.toUpperCase()} ${path} request `)), op.operationId).toBe(true);
        if (op.responses['200']?.content) expect(names.some((n) => n.startsWith(`${method.toUpperCase()} ${path} 200 `)), op.operationId).toBe(true);
      }
    }
    // The waiting loop's three outcomes are illustrated: still running, failed, done.
    const statuses = examples.filter((e) => e.where.includes('/asset/info 200')).map((e) => e.value.asset_info_array[0].status);
    expect(statuses).toEqual(expect.arrayContaining(['OBS_CREATING', 'OBS_CREATE_FAILED', 'PUBLISHED']));
    for (const path of Object.keys(spec.paths)) {
      for (const status of ['400', '401', '403', '429', '500']) {
        expect(names.some((n) => n.includes(`${path} ${status} application/json `)), `${path} ${status}`).toBe(true);
      }
    }
  });

  it.each(examples.map((e) => [e.where, e] as const))('%s validates (Ajv 2020-12, byte limits included)', (_, e) => {
    const validate = schemaAt(ajv, e.schema.$ref);
    expect(validate(e.value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('uses realistic asset IDs (32 lower-case hex) and none of the pages\' malformed statuses', () => {
    const ids: string[] = [];
    const statuses: string[] = [];
    const collect = (node: Json): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries<Json>(node)) {
          if (key === 'asset_id') ids.push(...[value].flat());
          if (key === 'status') statuses.push(value);
          collect(value);
        }
      }
    };
    examples.forEach((e) => collect(e.value));
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(statuses).not.toContain(' UNCREATED');
    expect(statuses).not.toContain('NOASSET');
  });

  it('uses the seed codes: VOD.10003 (reproduction) and VOD.10062 (smart cover) for 400, APIG.0301 and APIG.0308', () => {
    const first = (where: string) => examples.find((e) => e.where.includes(where))?.value.error_code;
    expect(first('reproduction 400')).toBe('VOD.10003');
    expect(first('smart_cover 400')).toBe('VOD.10062');
    expect(first('reproduction 401')).toBe('APIG.0301');
    expect(first('smart_cover 429')).toBe('APIG.0308');
  });
});
