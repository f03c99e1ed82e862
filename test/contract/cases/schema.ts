// The JSON Schema subset the bundled spec uses, seen by the case enumerator: $ref (with sibling keywords), allOf of
// plain $refs and of if/then rules, type, enum, const, minimum/maximum (and the exclusive forms), minLength/
// maxLength, x-max-bytes, pattern, x-separated-list, required, minProperties, properties, additionalProperties:
// false, items, minItems/maxItems. Also: sample values that satisfy a schema, and the if/then repair that keeps a body valid
// after one of its values changed.
import fc from 'fast-check';
import { deref, spec, specAjv, type Json } from '../../helpers/spec.js';

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export interface IfThen {
  if: Json;
  then: Json;
  /** Properties the `if` tests, with the value that makes it true. */
  when: Record<string, unknown>;
  /** Properties the `then` requires. */
  requires: string[];
  /** e.g. `storage_mode = 1 requires output_bucket, output_path`. */
  label: string;
}

/** A schema with its $ref and allOf-of-$ref resolved, and its if/then rules apart. */
export interface Resolved {
  schema: Json;
  /** The component name, when the schema is a named one (for rule names). */
  name?: string;
  types: JsonType[];
  rules: IfThen[];
}

const componentName = (ref: string) => ref.replace('#/components/schemas/', '');

export function resolve(input: Json): Resolved {
  let schema: Json = {};
  let name: string | undefined;
  const rules: IfThen[] = [];
  const merge = (node: Json) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      name ??= componentName(node.$ref);
      merge(deref({ $ref: node.$ref }));
    }
    for (const [key, value] of Object.entries<Json>(node)) {
      if (key === '$ref' || key === 'allOf') continue;
      // Sibling keywords of a $ref (description, …) and the referenced schema's own keywords both apply.
      if (key === 'properties') schema.properties = { ...(schema.properties ?? {}), ...value };
      else if (key === 'required') schema.required = [...new Set([...(schema.required ?? []), ...value])];
      else schema[key] ??= value;
    }
    for (const part of node.allOf ?? []) {
      if (part.if) rules.push(ifThen(part.if, part.then ?? {}));
      else merge(part);
    }
  };
  merge(input);
  let types: JsonType[];
  if (Array.isArray(schema.type)) types = schema.type;
  else if (typeof schema.type === 'string') types = [schema.type];
  else if (schema.const !== undefined) types = [jsonType(schema.const)];
  else if (Array.isArray(schema.enum)) types = [...new Set(schema.enum.map(jsonType))] as JsonType[];
  else if (schema.properties) types = ['object'];
  else types = [];
  return { schema, ...(name ? { name } : {}), types, rules };
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function ifThen(ifSchema: Json, thenSchema: Json): IfThen {
  const when: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries<Json>(ifSchema.properties ?? {})) {
    if (sub.const !== undefined) when[key] = sub.const;
    else if (Array.isArray(sub.enum)) when[key] = sub.enum[0];
  }
  const requires: string[] = thenSchema.required ?? [];
  const condition = Object.entries(when).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(' and ');
  return { if: ifSchema, then: thenSchema, when, requires, label: `${condition} requires ${requires.join(', ')}` };
}

// ---- validation of sub-schemas (Ajv over the bundled spec, with and without the byte-limit keywords) ----

const withVendor = specAjv();
const plainAjv = specAjv({ vendorKeywords: false });
const compiled = new Map<string, (value: unknown) => boolean>();

const local = (schema: Json) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"vod.json#/$defs/'));

/** Whether `value` satisfies `schema` (a schema of the bundled spec); `plain`: as JSON Schema alone (Prism's view). */
export function satisfies(schema: Json, value: unknown, { plain = false } = {}): boolean {
  const key = `${plain ? 'plain' : 'full'}:${JSON.stringify(schema)}`;
  let validate = compiled.get(key);
  if (!validate) {
    const ajv = plain ? plainAjv : withVendor;
    const fn = ajv.compile(local(schema));
    validate = (v: unknown) => fn(v) as boolean;
    compiled.set(key, validate);
  }
  return validate(value);
}

// ---- UTF-8 ----

export const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** One character of each UTF-8 width: the byte limits are exercised with each. */
export const WIDE: Record<1 | 2 | 3 | 4, { char: string; label: string }> = {
  1: { char: 'a', label: '1-byte characters (a)' },
  2: { char: 'é', label: '2-byte characters (é)' },
  3: { char: '视', label: '3-byte characters (视)' },
  4: { char: '😀', label: '4-byte characters (😀)' },
};

/** A string of exactly `bytes` UTF-8 bytes, mostly `width`-byte characters, padded with ASCII. */
export function ofBytes(bytes: number, width: 1 | 2 | 3 | 4): string {
  return WIDE[width].char.repeat(Math.floor(bytes / width)) + 'a'.repeat(bytes % width);
}

// ---- sample values ----

/** Values of a property taken from the spec's own named examples, by JSON path ("thumbnail.max_length"). */
export type Pool = Map<string, unknown[]>;

export function harvest(values: unknown[], pool: Pool = new Map(), at: string[] = []): Pool {
  for (const value of values) {
    if (at.length) {
      const key = at.join('.');
      const list = pool.get(key) ?? [];
      if (!list.some((v) => JSON.stringify(v) === JSON.stringify(value))) list.push(value);
      pool.set(key, list);
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) harvest([v], pool, [...at, k]);
    } else if (Array.isArray(value)) {
      harvest(value, pool, [...at, '0']);
    }
  }
  return pool;
}

const SEED = 20240601;

/**
 * A valid value for `schema` at `at`: a value from the spec's named examples, else the schema's own example,
 * default, first enum value, or one built from its type and limits. Objects get their required properties only.
 */
export function sample(input: Json, at: string[] = [], pool: Pool = new Map()): unknown {
  const r = resolve(input);
  const s = r.schema;
  if (s.const !== undefined) return s.const;
  const candidates = [
    ...(pool.get(at.join('.')) ?? []),
    ...(Array.isArray(s.examples) ? s.examples : []),
    ...(s.default !== undefined ? [s.default] : []),
    ...(Array.isArray(s.enum) ? s.enum : []),
  ];
  for (const candidate of candidates) {
    if (jsonType(candidate) !== 'object' && satisfies(input, candidate)) return candidate;
  }
  const type = r.types.find((t) => t !== 'null') ?? 'string';
  switch (type) {
    case 'object':
      return minimalObject(input, at, pool);
    case 'array': {
      const count = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: Math.min(count, s.maxItems ?? count) }, () => sample(s.items ?? {}, [...at, '0'], pool));
    }
    case 'integer':
    case 'number': {
      const step = type === 'integer' ? 1 : 0.5;
      if (s.minimum !== undefined) return s.minimum;
      if (s.exclusiveMinimum !== undefined) return s.exclusiveMinimum + step;
      if (s.maximum !== undefined) return Math.min(s.maximum, 1);
      if (s.exclusiveMaximum !== undefined) return Math.min(s.exclusiveMaximum - step, 1);
      return 1;
    }
    case 'boolean':
      return true;
    default: {
      if (typeof s.pattern === 'string') {
        const [value] = fc.sample(fc.stringMatching(new RegExp(s.pattern, 'u')), { seed: SEED, numRuns: 1 });
        return value;
      }
      const max = Math.min(s.maxLength ?? 8, s['x-max-bytes'] ?? 8);
      return 'contract'.slice(0, Math.max(max, s.minLength ?? 0));
    }
  }
}

/** The object with its required properties only, each with a sample value, then repaired (if/then). */
export function minimalObject(input: Json, at: string[] = [], pool: Pool = new Map()): Record<string, unknown> {
  const { schema } = resolve(input);
  const out: Record<string, unknown> = {};
  for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key] ?? {}, [...at, key], pool);
  // minProperties above the required count (an object of optional properties that must name at least one): the
  // first optional properties, in the schema's order.
  for (const key of Object.keys(schema.properties ?? {})) {
    if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
    if (!(key in out)) out[key] = sample(schema.properties[key], [...at, key], pool);
  }
  return repair(input, out, at, pool) as Record<string, unknown>;
}

/**
 * Makes `value` satisfy the if/then rules of `schema` (and of the objects inside it) by adding what a satisfied
 * `if` requires, leaving every value that is there alone. `keep`: a path (relative) never to touch.
 */
export function repair(input: Json, value: unknown, at: string[] = [], pool: Pool = new Map()): unknown {
  const r = resolve(input);
  if (Array.isArray(value) && r.schema.items) {
    return value.map((item, i) => repair(r.schema.items, item, [...at, String(i)], pool));
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, sub] of Object.entries<Json>(r.schema.properties ?? {})) {
    if (key in out) out[key] = repair(sub, out[key], [...at, key], pool);
  }
  for (const rule of r.rules) {
    if (!satisfies(rule.if, out)) continue;
    for (const key of rule.requires) {
      if (!(key in out)) out[key] = sample(r.schema.properties?.[key] ?? {}, [...at, key], pool);
    }
  }
  return out;
}

/** Every property filled (recursively), with the values that make `choose`'s if true where given. */
export function maximalObject(
  input: Json,
  at: string[],
  pool: Pool,
  choose: (at: string[], rules: IfThen[]) => IfThen | undefined = () => undefined,
  fill: (schema: Json, at: string[]) => unknown = (schema, path) => sample(schema, path, pool),
): Record<string, unknown> {
  const r = resolve(input);
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries<Json>(r.schema.properties ?? {})) {
    const inner = resolve(sub);
    const path = [...at, key];
    if (inner.types.includes('object') && inner.schema.properties) out[key] = maximalObject(sub, path, pool, choose, fill);
    else if (inner.types.includes('array') && resolve(inner.schema.items ?? {}).schema.properties) {
      out[key] = [maximalObject(inner.schema.items, [...path, '0'], pool, choose, fill)];
    } else out[key] = fill(sub, path);
  }
  const chosen = choose(at, r.rules);
  if (chosen) Object.assign(out, chosen.when);
  return repair(input, out, at, pool) as Record<string, unknown>;
}

/** The spec's bundled document, for the enumerator's callers. */
export { spec };
