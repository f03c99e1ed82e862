// The 33 operations that no page documents, only the current SDK models (test/fixtures/vod-sdk-go, README's rows
// marked "SDK model only"), checked against the bundled spec as page-coverage does for the pages: the operation, its
// method and path, each request field in its location (path, query, body) with its required flag, type and enum
// values, and each field of the success response, nested structs included.
import { describe, expect, it } from 'vitest';
import { deref, spec, type Json } from '../helpers/spec.js';
import { enums, sdkOnlyOperations, sdkOperations, structs, type GoField } from './sdk-models.js';

const findOperation = (operationId: string) => {
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) if (op?.operationId === operationId) return { path, method, op, item };
  }
  return undefined;
};

/** The differences between a Go field's type and a schema, as messages (empty when they agree). */
function typeProblems(type: string, schemaNode: Json, at: string, seen: Set<string>): string[] {
  const schema = deref(schemaNode);
  if (!schema) return [`${at}: missing`];
  const is = (t: string) => (schema.type === t || (Array.isArray(schema.type) && schema.type.includes(t)) ? [] : [`${at}: type ${JSON.stringify(schema.type)}, the SDK has ${type}`]);
  if (type.startsWith('[]')) return [...is('array'), ...(schema.type === 'array' ? typeProblems(type.slice(2), schema.items, `${at}[]`, seen) : [])];
  if (type.startsWith('map[')) return is('object');
  switch (type) {
    case 'interface{}':
      return [];
    case 'string':
      return is('string');
    case 'int32':
    case 'int':
      return [...is('integer'), ...(schema.format === 'int64' ? [`${at}: int64, the SDK has ${type}`] : [])];
    case 'int64':
      return [...is('integer'), ...(schema.format === 'int64' ? [] : [`${at}: format ${schema.format}, the SDK has int64`])];
    case 'float32':
    case 'float64':
      return is('number');
    case 'bool':
      return is('boolean');
  }
  const values = enums.get(type);
  if (values) {
    const problems = is(values.type);
    const declared = [...(schema.enum ?? [])].map(String).sort();
    const expected = values.values.map(String).sort();
    if (JSON.stringify(declared) !== JSON.stringify(expected)) problems.push(`${at}: enum ${declared.join(',')}, the SDK has ${expected.join(',')}`);
    return problems;
  }
  const struct = structs.get(type);
  if (!struct) return [`${at}: the SDK type ${type} is not in the models`];
  if (seen.has(type)) return [];
  return structProblems(type, schema, at, new Set(seen).add(type));
}

function fieldProblems(field: GoField, parent: Json, at: string, seen: Set<string>): string[] {
  const node = parent?.properties?.[field.json];
  const here = `${at}.${field.json}`;
  if (!node) return [`${here}: missing`];
  const required = (parent.required ?? []).includes(field.json);
  const problems = required === field.required ? [] : [`${here}: required ${required}, the SDK ${field.required}`];
  return [...problems, ...typeProblems(field.type, node, here, seen)];
}

function structProblems(name: string, schemaNode: Json, at: string, seen = new Set<string>([name])): string[] {
  const schema = deref(schemaNode);
  if (!schema) return [`${at}: no schema`];
  return structs.get(name)!.fields.flatMap((f) => fieldProblems(f, schema, at, seen));
}

const successResponse = (op: Json) => {
  const status = Object.keys(op.responses).find((s) => s.startsWith('2'))!;
  return deref(op.responses[status]);
};

describe('the SDK-only operations', () => {
  it('are the 33 of the README, each with its definition in vod_meta.go', () => {
    expect(sdkOnlyOperations).toHaveLength(33);
    for (const id of sdkOnlyOperations) expect(sdkOperations.find((o) => o.operationId === id), id).toBeDefined();
    expect(sdkOperations).toHaveLength(77);
  });

  describe.each(sdkOnlyOperations.map((id) => [id] as const))('%s', (id) => {
    const sdk = sdkOperations.find((o) => o.operationId === id)!;
    const found = findOperation(id);

    it('is in the spec with the method and path of vod_meta.go, says its source and carries an inferred rate limit', () => {
      expect(found, id).toBeDefined();
      expect([found!.method, found!.path]).toEqual([sdk.method, sdk.path]);
      expect(found!.op.description).toMatch(/SDK model/);
      expect(found!.op['x-rate-limit']).toMatchObject({ inferred: true });
    });

    it('has every path and query field of the model, with its required flag, type and enum', () => {
      const request = structs.get(`${id}Request`)!;
      const parameters = [...(found?.item.parameters ?? []), ...(found?.op.parameters ?? [])].map(deref);
      const problems: string[] = [];
      for (const f of sdk.fields.filter((x) => x.location === 'Path' || x.location === 'Query')) {
        const field = request.fields.find((x) => x.goName === f.goName)!;
        const where = f.location.toLowerCase();
        const parameter = parameters.find((p: Json) => p.name === f.json && p.in === where);
        if (!parameter) {
          problems.push(`${where} ${f.json}: missing`);
          continue;
        }
        if ((parameter.required === true) !== field.required) problems.push(`${where} ${f.json}: required ${parameter.required === true}, the SDK ${field.required}`);
        problems.push(...typeProblems(field.type, parameter.schema, `${where} ${f.json}`, new Set()));
      }
      expect(problems).toEqual([]);
    });

    it('has the body of the model, field by field, nested objects included', () => {
      // vod_meta.go also marks a response that is a bare array (the response struct's Body) with a Body field.
      const body = structs.get(`${id}Request`)!.fields.find((f) => f.goName === 'Body');
      const schema = found?.op.requestBody?.content?.['application/json']?.schema;
      if (!body) return void expect(schema, 'no body in the model').toBeUndefined();
      const type = body.type;
      expect(structProblems(type, schema, 'body')).toEqual([]);
    });

    it('has every field of the response model', () => {
      const response = successResponse(found!.op);
      const fields = structs.get(sdk.response)!.fields;
      if (!fields.length) return;
      const schema = response?.content?.['application/json']?.schema;
      // A response whose model is one `Body` field is that value itself (a bare array).
      const bare = fields.length === 1 && fields[0]!.goName === 'Body' ? fields[0]! : undefined;
      expect(bare ? typeProblems(bare.type, schema, 'response', new Set()) : structProblems(sdk.response, schema, 'response')).toEqual([]);
    });
  });
});
