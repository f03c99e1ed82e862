// The values the enumerator tries for one schema (a property, an array item, a query parameter): each enum value,
// each boundary and byte limit with 1- to 4-byte characters, and the values just outside them on both sides, wrong
// types and null. Each is named after the rule it exercises. Whether a value is valid is stated here and confirmed
// by Ajv on the whole request (enumerate.ts), so that a mistake here cannot turn into a wrong expectation.
import type { Json } from '../../helpers/spec.js';
import { jsonType, ofBytes, resolve, sample, satisfies, WIDE, type JsonType, type Pool } from './schema.js';

export type ValueKind =
  | 'enum'
  | 'const'
  | 'boundary'
  | 'bytes'
  | 'list'
  | 'items'
  | 'enum-outside'
  | 'const-outside'
  | 'range-outside'
  | 'bytes-outside'
  | 'length-outside'
  | 'list-outside'
  | 'items-outside'
  | 'pattern'
  | 'type'
  | 'null';

export interface ValueCase {
  value: unknown;
  valid: boolean;
  kind: ValueKind;
  /** The constraint exercised, e.g. `x-max-bytes 128`; with the path it makes the rule's name. */
  constraint: string;
  /** What exactly is sent, e.g. `128 bytes of 2-byte characters (é)`. */
  name: string;
  /** Tried under every if/then branch of the enclosing object, not only the first (limits, not types). */
  limit?: boolean;
  /** Why Prism cannot judge it (the case is skipped against a Prism target). */
  prismBlind?: string;
}

export const EMPTY_QUERY_REASON = 'Prism reads an empty query value (asset_id=) as a parameter not given, so it cannot see minLength broken there';

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

const widths = [1, 2, 3, 4] as const;

/** The wrong-type values for a schema: one per JSON type it does not allow (null apart). */
function wrongTypes(types: JsonType[], valid: unknown, wire: boolean): ValueCase[] {
  const allows = (t: JsonType) => types.includes(t) || (t === 'integer' && types.includes('number'));
  const out: ValueCase[] = [];
  const add = (type: JsonType, value: unknown, name: string) => {
    if (!allows(type)) out.push({ value, valid: false, kind: 'type', constraint: `type ${types.join('|')}`, name });
  };
  if (wire) {
    // Query and path values are strings on the wire: only a number that is not one can be "of the wrong type".
    if (types.includes('integer') || types.includes('number')) {
      out.push({ value: 'abc', valid: false, kind: 'type', constraint: `type ${types.join('|')}`, name: 'letters for a number' });
    }
    if (types.includes('integer')) {
      out.push({ value: 1.5, valid: false, kind: 'type', constraint: 'type integer', name: 'a fraction (1.5) for an integer' });
    }
    return out;
  }
  // A number-looking string catches servers that coerce types (Ajv's coerceTypes, parseInt).
  add('string', typeof valid === 'number' ? String(valid) : 'contract', `a string (${show(typeof valid === 'number' ? String(valid) : 'contract')})`);
  add('integer', 1, 'an integer (1)');
  if (types.includes('integer') && !types.includes('number')) {
    out.push({ value: 1.5, valid: false, kind: 'type', constraint: 'type integer', name: 'a fraction (1.5)' });
  } else if (!allows('number')) add('number', 1.5, 'a fraction (1.5)');
  add('boolean', true, 'a boolean (true)');
  add('array', [], 'an array ([])');
  add('object', {}, 'an object ({})');
  if (!types.includes('null')) {
    out.push({ value: null, valid: false, kind: 'null', constraint: `type ${types.join('|')} (not null)`, name: 'null' });
  }
  return out;
}

/** Every value case of `input` at `at` (a JSON path). `wire`: a query or path parameter, sent as text. */
export function valueCases(input: Json, at: string[], pool: Pool, { wire = false } = {}): ValueCase[] {
  const r = resolve(input);
  const s = r.schema;
  const out: ValueCase[] = [];
  const valid = sample(input, at, pool);
  const isInteger = r.types.includes('integer') && !r.types.includes('number');
  const step = isInteger ? 1 : 0.5;

  if (s.const !== undefined) {
    out.push({ value: s.const, valid: true, kind: 'const', constraint: `const ${show(s.const)}`, name: `${show(s.const)}` });
    const other = typeof s.const === 'string' ? `${s.const}x` : typeof s.const === 'number' ? s.const + 1 : null;
    out.push({ value: other, valid: false, kind: 'const-outside', constraint: `const ${show(s.const)}`, name: `${show(other)}` });
  }

  if (Array.isArray(s.enum)) {
    const listed = JSON.stringify(s.enum);
    const constraint = listed.length <= 40 ? `enum ${listed}` : `enum of ${s.enum.length} values`;
    for (const value of s.enum) out.push({ value, valid: true, kind: 'enum', constraint, name: `enum value ${show(value)}` });
    const strings = s.enum.filter((v: unknown) => typeof v === 'string') as string[];
    const numbers = s.enum.filter((v: unknown) => typeof v === 'number') as number[];
    const outside = new Map<string, unknown>();
    // Surrounding spaces and another case, on the first and the last value: a server that trims or folds case
    // accepts them (it does so for every value, so two per enum find it without one request per value).
    for (const v of [...new Set([strings[0], strings[strings.length - 1]])].filter((x): x is string => x !== undefined)) {
      for (const variant of [` ${v}`, `${v} `, v.toLowerCase(), v.toUpperCase(), v[0] ? v[0].toUpperCase() + v.slice(1).toLowerCase() : v]) {
        if (!s.enum.includes(variant)) outside.set(JSON.stringify(variant), variant);
      }
    }
    if (strings.length) outside.set('"CONTRACT_NOT_IN_ENUM"', 'CONTRACT_NOT_IN_ENUM');
    if (numbers.length) {
      const lo = Math.min(...numbers);
      const hi = Math.max(...numbers);
      for (const v of [lo - 1, hi + 1]) outside.set(String(v), v);
      // The gaps of an integer enum (e.g. 1 for [0, 2]), a few at most.
      for (let v = lo + 1, n = 0; v < hi && n < 4; v++) if (!numbers.includes(v)) (outside.set(String(v), v), n++);
    }
    for (const value of outside.values()) {
      out.push({ value, valid: false, kind: 'enum-outside', constraint, name: `${show(value)}, not in the enum`, limit: typeof value === 'number' });
    }
  }

  if (r.types.includes('integer') || r.types.includes('number')) {
    const bound = (key: string, value: number | undefined, inside: number, outside: number) => {
      if (value === undefined) return;
      out.push({ value: inside, valid: true, kind: 'boundary', constraint: `${key} ${value}`, name: `${inside}, at the limit`, limit: true });
      out.push({ value: outside, valid: false, kind: 'range-outside', constraint: `${key} ${value}`, name: `${outside}, just outside`, limit: true });
    };
    bound('minimum', s.minimum, s.minimum, s.minimum - step);
    bound('maximum', s.maximum, s.maximum, s.maximum + step);
    bound('exclusiveMinimum', s.exclusiveMinimum, s.exclusiveMinimum + step, s.exclusiveMinimum);
    bound('exclusiveMaximum', s.exclusiveMaximum, s.exclusiveMaximum - step, s.exclusiveMaximum);
  }

  if (r.types.includes('string')) stringCases(s, valid, out, { wire });

  if (r.types.includes('array')) {
    const items = s.items ?? {};
    const item = sample(items, [...at, '0'], pool);
    if (s.maxItems !== undefined) {
      const full = Array.from({ length: s.maxItems }, (_, i) => distinctItem(items, item, i, [...at, '0'], pool));
      out.push({ value: full, valid: true, kind: 'boundary', constraint: `maxItems ${s.maxItems}`, name: `${s.maxItems} items, the most`, limit: true });
      out.push({
        value: [...full, distinctItem(items, item, s.maxItems, [...at, '0'], pool)],
        valid: false,
        kind: 'range-outside',
        constraint: `maxItems ${s.maxItems}`,
        name: `${s.maxItems + 1} items, one too many`,
        limit: true,
      });
    }
    if (s.minItems !== undefined && s.minItems > 0) {
      out.push({ value: Array(s.minItems - 1).fill(item), valid: false, kind: 'range-outside', constraint: `minItems ${s.minItems}`, name: `${s.minItems - 1} items` });
    }
    // The item schema's own cases, on the first item.
    for (const c of valueCases(items, [...at, '0'], pool, { wire })) {
      if (c.kind === 'type' && wire && !(resolve(items).types.includes('integer') || resolve(items).types.includes('number'))) continue;
      out.push({
        ...c,
        value: [c.value],
        kind: c.valid ? 'items' : c.kind,
        constraint: `items ${c.constraint}`,
        name: `[${c.name}]`,
      });
    }
  }

  // A schema without a type (an SDK field typed interface{}: any JSON value) has no wrong type, not even null.
  if (r.types.length && (!wire || r.types.some((t) => t === 'integer' || t === 'number'))) out.push(...wrongTypes(r.types, valid, wire));
  return out;
}

/** Another valid item for an array (a different one where the item schema allows, e.g. for uniqueItems). */
function distinctItem(items: Json, first: unknown, i: number, at: string[], pool: Pool): unknown {
  const r = resolve(items);
  if (Array.isArray(r.schema.enum)) return r.schema.enum[i % r.schema.enum.length];
  if (r.types.includes('string') && typeof first === 'string') {
    const candidate = `${first.slice(0, Math.max(0, first.length - 2))}${String(i).padStart(2, '0')}`;
    return satisfies(items, candidate) ? candidate : first;
  }
  if (r.types.includes('integer') && typeof first === 'number') return satisfies(items, first + i) ? first + i : first;
  return sample(items, at, pool);
}

function stringCases(s: Json, valid: unknown, out: ValueCase[], { wire = false } = {}) {
  const maxBytes: number | undefined = s['x-max-bytes'];
  if (maxBytes !== undefined) {
    const constraint = `x-max-bytes ${maxBytes}`;
    for (const w of widths) {
      const exact = ofBytes(maxBytes, w);
      out.push({ value: exact, valid: true, kind: 'bytes', constraint, name: `exactly ${maxBytes} bytes in ${WIDE[w].label}`, limit: true });
      out.push({
        value: `${exact}a`,
        valid: false,
        kind: 'bytes-outside',
        constraint,
        name: `${maxBytes + 1} bytes: ${WIDE[w].label} up to ${maxBytes}, then one ASCII`,
        limit: true,
      });
    }
    if (w4over(maxBytes)) {
      // One wide character too many (not only one ASCII byte): a server that counts a 4-byte character as 1, 2 or 3.
      const over = WIDE[4].char.repeat(Math.floor(maxBytes / 4) + 1);
      out.push({ value: over, valid: false, kind: 'bytes-outside', constraint, name: `${Math.floor(maxBytes / 4) + 1} × 4-byte characters (${maxBytes + 4 - (maxBytes % 4)} bytes)`, limit: true });
    }
  } else if (s.maxLength !== undefined) {
    out.push({ value: 'a'.repeat(s.maxLength), valid: true, kind: 'boundary', constraint: `maxLength ${s.maxLength}`, name: `${s.maxLength} characters`, limit: true });
    out.push({ value: 'a'.repeat(s.maxLength + 1), valid: false, kind: 'length-outside', constraint: `maxLength ${s.maxLength}`, name: `${s.maxLength + 1} characters`, limit: true });
  }
  if (s.minLength !== undefined && s.minLength > 0) {
    out.push({ value: 'a'.repeat(s.minLength), valid: true, kind: 'boundary', constraint: `minLength ${s.minLength}`, name: `${s.minLength} characters`, limit: true });
    out.push({
      value: 'a'.repeat(s.minLength - 1),
      valid: false,
      kind: 'length-outside',
      constraint: `minLength ${s.minLength}`,
      name: `${s.minLength - 1} characters`,
      limit: true,
      ...(wire && s.minLength === 1 ? { prismBlind: EMPTY_QUERY_REASON } : {}),
    });
  }
  const list = s['x-separated-list'];
  if (list) {
    const { separator, maxItems, maxItemBytes } = list as { separator: string; maxItems: number; maxItemBytes: number };
    const constraint = `x-separated-list ≤ ${maxItems} items of ≤ ${maxItemBytes} bytes, joined by "${separator}"`;
    const items = (n: number, item = 't') => Array.from({ length: n }, (_, i) => (i === 0 ? item : `t${i}`.slice(0, maxItemBytes))).join(separator);
    out.push({ value: items(maxItems), valid: true, kind: 'list', constraint, name: `${maxItems} items, the most`, limit: true });
    out.push({ value: items(maxItems + 1), valid: false, kind: 'list-outside', constraint, name: `${maxItems + 1} items, one too many`, limit: true });
    for (const w of widths) {
      const item = ofBytes(maxItemBytes, w);
      out.push({ value: items(2, item), valid: true, kind: 'list', constraint, name: `an item of exactly ${maxItemBytes} bytes in ${WIDE[w].label}`, limit: true });
      out.push({ value: items(2, `${item}a`), valid: false, kind: 'list-outside', constraint, name: `an item of ${maxItemBytes + 1} bytes: ${WIDE[w].label}, then one ASCII`, limit: true });
    }
    out.push({
      value: Array.from({ length: maxItems }, (_, i) => ofBytes(maxItemBytes, ((i % 4) + 1) as 1 | 2 | 3 | 4)).join(separator),
      valid: true,
      kind: 'list',
      constraint,
      name: `${maxItems} items of ${maxItemBytes} bytes each, of every width`,
    });
  } else if (typeof s.pattern === 'string' && typeof valid === 'string') {
    // Strings that break the pattern (kept only if they do: patterns can be lax).
    const pattern = new RegExp(s.pattern, 'u');
    // An empty query value reads as "not given" to many servers (and to Prism): only bodies try ''.
    const tries = [`${valid} `, ` ${valid}`, `${valid}!`, ...(wire ? [] : ['']), `${valid}${valid}`, 'contract-suite!'];
    const seen = new Set<string>();
    for (const value of tries) {
      if (pattern.test(value) || seen.has(value)) continue;
      seen.add(value);
      out.push({ value, valid: false, kind: 'pattern', constraint: `pattern ${s.pattern}`, name: `${show(value)}, not matching` });
    }
  }
}

const w4over = (maxBytes: number) => maxBytes >= 4;

/** The JSON type of a value, re-exported for callers that name cases. */
export { jsonType };
