// Unit tests of the case enumerator: what it derives from the spec, that it is deterministic, and that every case
// it states as valid (invalid) is valid (invalid) for an Ajv of its own, byte limits included.
import { describe, expect, it } from 'vitest';
import { spec, specAjv } from '../../helpers/spec.js';
import { BYTES_REASON, enumerateAll, enumerateOperation, MISJUDGED, requestIsValid, type RequestCase } from './enumerate.js';
import { operationById, operations, parseQuery, serialiseQuery } from './operations.js';
import { DEFAULT_SEED, randomCases } from './random.js';
import { DEFAULT_MAX_CASES, maxCasesFromEnv, sampleCases } from './sample.js';
import { utf8Bytes } from './schema.js';

const all = enumerateAll();
const of = (op: string) => all.filter((c) => c.operationId === op);
const publish = of('PublishAssetFromObs');
const find = (cases: RequestCase[], rule: string, name?: string) =>
  cases.filter((c) => c.rule === rule && (name === undefined || c.name.includes(name)));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const body = (c: RequestCase) => (c.body ?? {}) as Record<string, any>;

describe('the case enumerator', () => {
  it('is deterministic: the same spec gives the same cases in the same order', () => {
    expect(JSON.stringify(enumerateAll())).toBe(JSON.stringify(all));
  });

  it('covers every operation of the spec, each with its minimal valid request, and negatives where it has input', () => {
    expect(operations().length).toBeGreaterThanOrEqual(83);
    for (const op of operations()) {
      const cases = of(op.id);
      expect(cases.find((c) => c.kind === 'minimal' && c.valid), op.id).toBeDefined();
      // An operation with neither a body nor a query parameter (only its path) has no request to spoil.
      const input = Boolean(op.body) || op.parameters.some((p) => p.in === 'query');
      expect(cases.some((c) => !c.valid), `${op.id} has negative cases`).toBe(input);
    }
  });

  it('builds no case that Ajv contradicts (a schema keyword it does not know would show here)', () => {
    expect(Object.fromEntries(MISJUDGED)).toEqual({});
  });

  it('knows untyped properties (an SDK interface{}: no wrong type, not even null) and minProperties', () => {
    const replication = of('CreateObjectReplication').filter((c) => c.rule.startsWith('CreateObjectReplication body.category_id:'));
    expect(replication.filter((c) => !c.valid)).toEqual([]);
    const preheat = of('CreatePreheatingAsset');
    const minimal = preheat.find((c) => c.kind === 'minimal')!;
    expect(Object.keys(body(minimal)).length).toBe(1);
    expect(preheat.find((c) => c.rule === 'CreatePreheatingAsset body: minProperties 1' && !c.valid)?.body).toEqual({});
  });

  it('bounds the cases sent per operation: the minimal request, then one case per rule, seeded and repeatable', () => {
    const cases = of('CreateEditTask');
    const rules = new Set(cases.map((c) => c.rule));
    expect(cases.length).toBeGreaterThan(DEFAULT_MAX_CASES);
    const a = sampleCases(cases, 40, 1);
    expect(a).toHaveLength(40);
    expect(a[0]!.kind).toBe('minimal');
    expect(new Set(a.map((c) => c.rule)).size, 'one case per rule before a second of any').toBe(40);
    expect(sampleCases(cases, 40, 1)).toEqual(a);
    expect(sampleCases(cases, 40, 2).map((c) => c.name)).not.toEqual(a.map((c) => c.name));
    // With room for every rule, every rule is tried; in the enumerator's order.
    const all = sampleCases(cases, rules.size + 10, 1);
    expect(new Set(all.map((c) => c.rule))).toEqual(rules);
    expect(all.map((c) => cases.indexOf(c))).toEqual([...all.map((c) => cases.indexOf(c))].sort((x, y) => x - y));
    expect(sampleCases(of('DeleteAssets'), DEFAULT_MAX_CASES, 1)).toEqual(of('DeleteAssets'));
    expect([maxCasesFromEnv(undefined), maxCasesFromEnv('all'), maxCasesFromEnv('0'), maxCasesFromEnv('12')]).toEqual([DEFAULT_MAX_CASES, Infinity, Infinity, 12]);
    expect(() => maxCasesFromEnv('-3')).toThrow(/VOD_CONTRACT_MAX_CASES must be a positive integer or "all", got "-3"/);
  });

  it('agrees with an independent Ajv (byte limits included) on every body case', () => {
    const ajv = specAjv();
    for (const op of operations().filter((o) => o.body)) {
      const ref = op.body!.schema.$ref.replace('#/components/schemas/', 'vod.json#/$defs/');
      const validate = ajv.getSchema(ref)!;
      for (const c of of(op.id).filter((x) => x.raw === undefined && x.body !== undefined)) {
        expect(validate(c.body), `${c.rule} [${c.name}]`).toBe(c.valid);
      }
    }
  });

  it('sends every enum value as valid, and values just outside (spaces, another case, neighbours) as invalid', () => {
    const valid = new Set(publish.filter((c) => c.valid && c.rule.includes('body.video_type: enum')).map((c) => body(c).video_type));
    valid.add('MP4'); // the minimal body's value (deduplicated with it)
    expect(valid.size).toBe(29);
    const outside = publish.filter((c) => !c.valid && c.rule.includes('body.video_type: enum')).map((c) => body(c).video_type);
    expect(outside).toEqual(expect.arrayContaining([' MP4', 'MP4 ', 'mp4', 'Mp4', ' MP2', 'MP2 ']));
    for (const flag of ['auto_publish', 'auto_encrypt', 'auto_preheat', 'storage_mode']) {
      const values = publish.filter((c) => !c.valid && c.rule.endsWith(`body.${flag}: enum [0,1]`)).map((c) => body(c)[flag]);
      expect(values, flag).toEqual(expect.arrayContaining([-1, 2]));
    }
    expect(publish.some((c) => !c.valid && body(c).thumbnail?.format === 0)).toBe(true);
  });

  it('tries x-max-bytes exactly and one byte over with 1-, 2-, 3- and 4-byte characters', () => {
    const rule = 'PublishAssetFromObs body.title: x-max-bytes 128';
    for (const [width, char] of [[1, 'a'], [2, 'é'], [3, '视'], [4, '😀']] as const) {
      const exact = find(publish, rule, `exactly 128 bytes in ${width}-byte`).filter((c) => c.valid);
      const over = find(publish, rule, `129 bytes: ${width}-byte`).filter((c) => !c.valid);
      expect(exact.length, `${width}-byte exact`).toBeGreaterThan(0);
      expect(over.length, `${width}-byte over`).toBeGreaterThan(0);
      for (const c of exact) expect([utf8Bytes(body(c).title), body(c).title.includes(char)]).toEqual([128, true]);
      for (const c of over) expect(utf8Bytes(body(c).title)).toBe(129);
      // Prism sees characters, not bytes: only the ASCII overflow is visible to it.
      for (const c of over) expect(c.prismBlind === BYTES_REASON, c.name).toBe(width > 1);
    }
  });

  it('tries the x-separated-list limits: item count and item bytes per width', () => {
    const rule = 'PublishAssetFromObs body.tags: x-separated-list ≤ 16 items of ≤ 16 bytes, joined by ","';
    const cases = find(publish, rule);
    expect(cases.some((c) => c.valid && body(c).tags.split(',').length === 16)).toBe(true);
    expect(cases.some((c) => !c.valid && body(c).tags.split(',').length === 17)).toBe(true);
    for (const width of [1, 2, 3, 4]) {
      expect(cases.some((c) => !c.valid && c.name.includes(`17 bytes: ${width}-byte`)), `${width}`).toBe(true);
    }
  });

  it('removes each required property, adds unknown ones, and sends wrong types and null for each property', () => {
    for (const key of ['video_type', 'title', 'input']) expect(find(publish, `PublishAssetFromObs body: required ${key}`)).toHaveLength(1);
    for (const key of ['bucket', 'location', 'object']) expect(find(publish, `PublishAssetFromObs body.input: required ${key}`)).toHaveLength(1);
    for (const at of ['body', 'body.thumbnail', 'body.review', 'body.input']) {
      expect(find(publish, `PublishAssetFromObs ${at}: additionalProperties false`).length, at).toBeGreaterThan(0);
    }
    const nulls = publish.filter((c) => c.kind === 'null').map((c) => c.rule.split(':')[0]);
    for (const key of ['description', 'category_id', 'tags', 'auto_publish', 'thumbnail', 'review', 'workflow_name']) {
      expect(nulls, key).toContain(`PublishAssetFromObs body.${key}`);
    }
    // A number-looking string for an integer: catches servers that coerce types.
    expect(publish.some((c) => !c.valid && body(c).auto_publish === '1')).toBe(true);
  });

  it('satisfies and breaks each if/then rule, also with a look-alike sibling, and tries ranges under each branch', () => {
    const encrypt = 'PublishAssetFromObs body: if auto_encrypt = 1 requires template_group_name';
    expect(find(publish, encrypt).filter((c) => c.valid)).toHaveLength(1);
    const lookAlike = find(publish, encrypt, 'look-alike workflow_name');
    expect(lookAlike).toHaveLength(1);
    expect(body(lookAlike[0]!)).toMatchObject({ auto_encrypt: 1, workflow_name: expect.any(String) });
    expect(body(lookAlike[0]!).template_group_name).toBeUndefined();
    const time0 = publish.filter((c) => !c.valid && c.rule === 'PublishAssetFromObs body.thumbnail.time: minimum 1').map((c) => body(c).thumbnail.type);
    expect(new Set(time0)).toEqual(new Set(['time', 'dots']));
  });

  it('includes maximal bodies with every optional property, and the spec examples', () => {
    const maximal = publish.filter((c) => c.kind === 'maximal');
    expect(maximal.length).toBeGreaterThanOrEqual(3);
    const { schemas } = spec.components;
    for (const c of maximal) {
      expect(Object.keys(body(c)).sort(), c.name).toEqual(Object.keys(schemas.PublishAssetFromObsRequest.properties).sort());
      expect(Object.keys(body(c).thumbnail).sort(), c.name).toEqual(Object.keys(schemas.Thumbnail.properties).sort());
    }
    // Each named example is sent as a valid request (the Minimal one is the minimal body itself).
    const sent = new Set(publish.filter((c) => c.valid).map((c) => JSON.stringify(c.body)));
    for (const example of operationById('PublishAssetFromObs').body!.examples) expect(sent.has(JSON.stringify(example.value)), example.name).toBe(true);
  });

  it('serialises array query parameters as the spec says (repeated keys or comma-joined)', () => {
    const meta = operationById('ShowAssetMeta');
    expect(serialiseQuery(meta, { asset_id: ['a', 'b'] })).toBe('asset_id=a&asset_id=b');
    const del = operationById('DeleteAssets');
    expect(serialiseQuery(del, { asset_id: ['a', 'b'] })).toBe('asset_id=a,b');
    expect(parseQuery(del, { asset_id: ['a', 'b'] })).toEqual({ asset_id: ['a', 'b'] });
    const over = of('ShowAssetMeta').find((c) => !c.valid && c.rule === 'ShowAssetMeta query asset_id: maxItems 10');
    expect((over!.query.asset_id as string[]).length).toBe(11);
    expect(of('DeleteAssets').find((c) => c.rule === 'DeleteAssets query asset_id: required' && !c.valid)).toBeDefined();
    expect(requestIsValid(meta, { query: { size: 101 } })).toBe(false);
    expect(requestIsValid(meta, { query: { size: 100 } })).toBe(true);
  });

  it('random phase: repeatable per seed, valid requests valid, spoilt ones invalid', () => {
    const op = operationById('PublishAssetFromObs');
    const cases = enumerateOperation(op);
    const a = randomCases(op, cases, DEFAULT_SEED);
    expect(JSON.stringify(randomCases(op, cases, DEFAULT_SEED))).toBe(JSON.stringify(a));
    expect(JSON.stringify(randomCases(op, cases, DEFAULT_SEED + 7))).not.toBe(JSON.stringify(a));
    expect(a.filter((c) => c.valid).length).toBeGreaterThan(5);
    expect(a.filter((c) => !c.valid).length).toBeGreaterThan(3);
    for (const c of a) expect(requestIsValid(op, c), c.name).toBe(c.valid);
  });
});
