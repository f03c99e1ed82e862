// One method per operation of the spec, checked against the spec itself: every operation has its lowerCamelCase
// method, sends its method, path, query (serialised as each parameter's style says) and body, and refuses an invalid
// body or query before anything is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVodClient, operationTable, VodValidationError, type OperationId } from '../../src/index.js';
import { deref, spec, type Json } from '../helpers/spec.js';
import { json, startServer } from '../helpers/server.js';

const PROJECT = '0123456789abcdef';
const DOMAIN = 'fedcba9876543210';
let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer((req, res) => (req.method === 'PUT' ? res.writeHead(200).end() : json(res, 200, {})));
});
afterAll(() => server.close());
const vod = () => createVodClient({ projectId: PROJECT, domainId: DOMAIN, endpoint: server.url, credentials: { token: 't' } });

interface SpecOperation {
  id: OperationId;
  method: string;
  path: string;
  operation: Json;
  query: Json[];
}
const operations: SpecOperation[] = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
  ['get', 'put', 'post', 'delete']
    .filter((m) => item[m])
    .map((m) => {
      const parameters = [...(item.parameters ?? []), ...(item[m].parameters ?? [])].map(deref);
      return { id: item[m].operationId, method: m.toUpperCase(), path, operation: item[m], query: parameters.filter((p: Json) => p.in === 'query') };
    }),
);
const methodOf = (id: string) => id[0]!.toLowerCase() + id.slice(1);

/** A valid value for a schema: its example, else its first enum value, default or minimum. */
function sample(schema: Json): unknown {
  const s = deref(schema);
  if (s.examples?.length) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (s.type === 'array') return [sample(s.items)];
  if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
  if (s.type === 'boolean') return true;
  if (s.pattern === '^\\d{14}$') return '20240101000000';
  return 'abc';
}
const parameterSample = (p: Json) => p.example ?? (p.examples ? Object.values<Json>(p.examples)[0].value : sample(p.schema));
/** A valid input for each operation: the first named example of its body, or a value for every query parameter. */
function validInput(op: SpecOperation): Record<string, unknown> {
  const media = deref(op.operation.requestBody ?? {}).content?.['application/json'];
  if (media) return deref(Object.values<Json>(media.examples)[0]).value;
  return Object.fromEntries(op.query.map((p) => [p.name, parameterSample(p)]));
}
/** The query string the spec's style/explode rules give for `query` (the encoding is checked separately). */
function expectedSearch(op: SpecOperation, query: Record<string, unknown>) {
  return op.query
    .filter((p) => query[p.name] !== undefined)
    .flatMap((p) => {
      const value = query[p.name];
      if (!Array.isArray(value)) return [`${p.name}=${encodeURIComponent(String(value))}`];
      return p.explode === false
        ? [`${p.name}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`]
        : value.map((v) => `${p.name}=${encodeURIComponent(String(v))}`);
    })
    .join('&');
}

describe('one method per operation of the spec', () => {
  it('covers every operation, and only those', () => {
    expect(Object.keys(operationTable).sort()).toEqual(operations.map((o) => o.id).sort());
    expect(operations.length).toBeGreaterThanOrEqual(8);
    const client = vod() as unknown as Record<string, unknown>;
    for (const op of operations) expect(typeof client[methodOf(op.id)], methodOf(op.id)).toBe('function');
  });

  it.each(operations.map((op) => [op.id, op] as const))('%s sends its method, path, query and body', async (_, op) => {
    const input = validInput(op);
    const before = server.requests.length;
    const client = vod() as unknown as Record<string, (input: unknown) => Promise<{ response: Response }>>;
    const { response } = await client[methodOf(op.id)]!(input);
    expect(response.status).toBe(200);
    expect(server.requests.length).toBe(before + 1);
    const sent = server.requests.at(-1)!;
    expect(sent.method).toBe(op.method);
    const url = new URL(sent.path, server.url);
    expect(url.pathname).toBe(op.path.replace('{project_id}', PROJECT).replace('{domain_id}', DOMAIN));
    if (op.operation.requestBody) {
      expect(JSON.parse(sent.body.toString('utf8'))).toEqual(input);
      expect(url.search).toBe('');
    } else {
      expect(sent.body.length).toBe(0);
      expect(url.search.slice(1)).toBe(expectedSearch(op, input));
    }
  });

  it.each(operations.map((op) => [op.id, op] as const))('%s refuses an unknown field before sending', async (_, op) => {
    const before = server.requests.length;
    const client = vod() as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    const error = await client[methodOf(op.id)]!({ ...validInput(op), not_in_the_spec: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodValidationError);
    expect((error as Error).message).toMatch(/not_in_the_spec: is not a known (field|query parameter)/);
    expect(server.requests.length).toBe(before);
  });

  const required = operations.flatMap((op) => {
    const media = deref(op.operation.requestBody ?? {}).content?.['application/json'];
    const names: string[] = media ? (deref(media.schema).required ?? []) : op.query.filter((p) => p.required).map((p) => p.name);
    return names.map((name) => [`${op.id} without ${name}`, op, name] as const);
  });
  it.each(required)('%s is refused before sending, naming the field', async (_, op, name) => {
    const before = server.requests.length;
    const { [name]: _dropped, ...rest } = validInput(op);
    const client = vod() as unknown as Record<string, (input: unknown) => Promise<unknown>>;
    const error = await client[methodOf(op.id)]!(rest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VodValidationError);
    expect((error as VodValidationError).issues).toContainEqual({ path: name, rule: 'is required' });
    expect(server.requests.length).toBe(before);
  });
});

describe('query parameters', () => {
  it('ShowAssetMeta repeats asset_id (explode) and refuses more than the spec allows', async () => {
    const client = vod();
    await client.showAssetMeta({ asset_id: ['a1', 'b2'], size: 20 });
    const sent = new URL(server.requests.at(-1)!.path, server.url);
    expect(sent.searchParams.getAll('asset_id')).toEqual(['a1', 'b2']);
    expect(sent.searchParams.get('size')).toBe('20');
    const before = server.requests.length;
    const tooMany = Array.from({ length: 11 }, (_, i) => `id${i}`);
    await expect(client.showAssetMeta({ asset_id: tooMany })).rejects.toThrow(/Invalid ShowAssetMeta query parameters: asset_id: must NOT have more than 10 items/);
    await expect(client.showAssetMeta({ size: 0 })).rejects.toThrow(/size: must be >= 1/);
    await expect(client.showAssetMeta({ size: 101 })).rejects.toThrow(/size: must be <= 100/);
    await expect(client.showAssetMeta({ status: ['OBS_CREATING' as never] })).rejects.toThrow(/status\.0: must be one of/);
    expect(server.requests.length).toBe(before);
  });

  it('a query value with reserved characters is percent-encoded', async () => {
    await vod().showAssetMeta({ query_string: 'a&b=c 新' });
    expect(new URL(server.requests.at(-1)!.path, server.url).searchParams.get('query_string')).toBe('a&b=c 新');
  });
});
