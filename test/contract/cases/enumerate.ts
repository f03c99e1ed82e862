// The case enumerator: for every operation of generated/openapi.json, the requests that follow or break one rule
// of its schemas each, named after that rule. Deterministic: the same spec gives the same cases in the same order.
//
//   positive: the minimal request; each enum value; each boundary (minimum, maximum, x-max-bytes exactly with 1-,
//     2-, 3- and 4-byte characters, the x-separated-list limits); each if/then branch satisfied; maximal bodies
//     (every optional property; every property at its largest); the spec's own named examples;
//   negative: each required property removed; the values just outside each enum (also with surrounding spaces or
//     another case), range and byte limit; wrong types and null; unknown properties; each if/then rule broken,
//     also with a look-alike sibling present; bodies that are not a JSON object or not JSON at all.
//
// Limits are tried under every if/then branch of their object (a server may enforce a range under one branch
// only). Every case's validity is confirmed by Ajv on the whole request (with the byte-limit keywords), and a case
// it contradicts is left out (MISJUDGED, a bug of the enumerator that enumerate.test.ts reports); a case
// that only the byte limits reject is marked as one Prism cannot see.
import type { Json } from '../../helpers/spec.js';
import { operations, parseQuery, type OperationModel, type Parameter } from './operations.js';
import {
  harvest,
  maximalObject,
  minimalObject,
  ofBytes,
  repair,
  resolve,
  sample,
  satisfies,
  type Pool,
} from './schema.js';
import { valueCases, type ValueKind } from './values.js';

export type CaseKind =
  | ValueKind
  | 'minimal'
  | 'maximal'
  | 'spec-example'
  | 'if-then'
  | 'required'
  | 'unknown-property'
  | 'if-then-broken'
  | 'body-shape'
  | 'random';

export interface RequestCase {
  operationId: string;
  /** true: a conforming target accepts it; false: it rejects it with a 4xx. */
  valid: boolean;
  kind: CaseKind;
  /** The rule exercised, e.g. `PublishAssetFromObs body.title: x-max-bytes 128`. */
  rule: string;
  /** What exactly is sent, e.g. `title exactly 128 bytes in 2-byte characters (é)`. */
  name: string;
  query: Record<string, unknown>;
  /** The JSON body (undefined: none). */
  body?: unknown;
  /** Exact body bytes instead of `body` (malformed JSON, empty body). */
  raw?: string;
  /** Why Prism cannot judge it (the case is skipped against a Prism target). */
  prismBlind?: string;
}

export const BYTES_REASON =
  'breaks a UTF-8 byte limit only (x-max-bytes / x-separated-list), which JSON Schema and so Prism cannot see; enforced on real targets';
export const MALFORMED_REASON = "Prism answers malformed JSON with its own {error:{code:'invalid_json'}} body, not an ErrorResponse";

type Path = string[];

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[Number(head)] = setAt(copy[Number(head)], rest, value);
    return copy;
  }
  const obj = root && typeof root === 'object' ? (root as Record<string, unknown>) : {};
  return { ...obj, [head]: setAt(obj[head], rest, value) };
}

function deleteAt(root: unknown, path: Path): unknown {
  const [head, ...rest] = path as [string, ...string[]];
  if (!rest.length) {
    const copy = { ...(root as Record<string, unknown>) };
    delete copy[head];
    return copy;
  }
  return setAt(root, [head], deleteAt((root as Record<string, unknown>)[head], rest));
}

export const getAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), root);

const where = (at: Path) => (at.length ? `body.${at.join('.')}` : 'body');

/** A look-alike of `key` among the object's other properties: one sharing a word of its name, else another rule's. */
function lookAlike(key: string, schema: Json, excluded: string[], others: string[]): string | undefined {
  const words = key.split('_');
  const names = Object.keys(schema.properties ?? {}).filter((k) => k !== key && !excluded.includes(k));
  return names.find((k) => k.split('_').some((w) => words.includes(w))) ?? others.find((k) => names.includes(k));
}

/** The largest value a schema allows (strings at their byte limit in 3-byte characters, lists full, ranges at max). */
function largest(input: Json, at: Path, pool: Pool): unknown {
  const r = resolve(input);
  const s = r.schema;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[s.enum.length - 1];
  if (r.types.includes('string')) {
    const list = s['x-separated-list'];
    if (list) return Array.from({ length: list.maxItems }, () => ofBytes(list.maxItemBytes, 3)).join(list.separator);
    if (s['x-max-bytes'] !== undefined) return ofBytes(s['x-max-bytes'], 3);
    if (s.maxLength !== undefined && !s.pattern) return 'a'.repeat(s.maxLength);
  }
  if ((r.types.includes('integer') || r.types.includes('number')) && s.maximum !== undefined) return s.maximum;
  if (r.types.includes('array')) {
    const n = s.maxItems ?? 3;
    return Array.from({ length: n }, () => largest(s.items ?? {}, [...at, '0'], pool));
  }
  return sample(input, at, pool);
}

interface Base {
  body: unknown;
  /** ` under storage_mode = 1`: the if/then branch the base satisfies. */
  label: string;
}

class Collector {
  readonly cases: RequestCase[] = [];
  private readonly seen = new Set<string>();
  constructor(
    readonly op: OperationModel,
    readonly bodySchema: Json | undefined,
    readonly pool: Pool,
    readonly query: Record<string, unknown>,
  ) {}

  add(c: Omit<RequestCase, 'operationId' | 'query'> & { query?: Record<string, unknown> }) {
    const full: RequestCase = { operationId: this.op.id, query: this.query, ...c };
    const key = JSON.stringify([full.valid, full.body, full.raw, full.query]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.cases.push(full);
  }

  repairBody(body: unknown) {
    return this.bodySchema ? repair(this.bodySchema, body, [], this.pool) : body;
  }
}

function walkObject(input: Json, at: Path, bases: Base[], c: Collector) {
  const r = resolve(input);
  const s = r.schema;
  const first = bases[0]!;
  const op = c.op.id;

  // Each if/then branch satisfied, from the first base.
  const branches: Base[] = r.rules.map((rule) => {
    let body = first.body;
    for (const [k, v] of Object.entries(rule.when)) body = setAt(body, [...at, k], v);
    return { body: c.repairBody(body), label: ` under ${rule.label.split(' requires ')[0]}` };
  });
  r.rules.forEach((rule, i) => {
    c.add({ valid: true, kind: 'if-then', rule: `${op} ${where(at)}: if ${rule.label}`, name: `${rule.label.split(' requires ')[0]} with ${rule.requires.join(', ')}`, body: branches[i]!.body });
  });

  for (const key of s.required ?? []) {
    c.add({ valid: false, kind: 'required', rule: `${op} ${where(at)}: required ${key}`, name: `without ${where([...at, key])}`, body: deleteAt(first.body, [...at, key]) });
  }

  if (typeof s.minProperties === 'number' && s.minProperties > 0) {
    // Fewer properties than minProperties: the base object's first ones only (none for minProperties 1).
    const base = getAt(first.body, at) as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(base ?? {}).slice(0, s.minProperties - 1));
    c.add({ valid: false, kind: 'required', rule: `${op} ${where(at)}: minProperties ${s.minProperties}`, name: `${where(at)} with ${s.minProperties - 1} properties`, body: setAt(first.body, at, kept) });
  }

  if (s.additionalProperties === false) {
    const rule = `${op} ${where(at)}: additionalProperties false`;
    c.add({ valid: false, kind: 'unknown-property', rule, name: 'an unknown property contract_suite_unknown', body: setAt(first.body, [...at, 'contract_suite_unknown'], 1) });
    const known = Object.keys(s.properties ?? {})[0];
    if (known) {
      const other = known[0]!.toUpperCase() + known.slice(1);
      if (other !== known && !(other in (s.properties ?? {}))) {
        const value = sample(s.properties[known], [...at, known], c.pool);
        c.add({ valid: false, kind: 'unknown-property', rule, name: `${other} (another case of ${known})`, body: setAt(first.body, [...at, other], value) });
      }
    }
  }

  r.rules.forEach((rule, i) => {
    const base = branches[i]!.body;
    const cond = rule.label.split(' requires ')[0];
    const others = r.rules.filter((o) => o !== rule).flatMap((o) => o.requires);
    const broken = `${op} ${where(at)}: if ${rule.label}`;
    for (const key of rule.requires) {
      const without = deleteAt(base, [...at, key]);
      c.add({ valid: false, kind: 'if-then-broken', rule: broken, name: `${cond} without ${key}`, body: without });
      const sibling = lookAlike(key, s, [...rule.requires, ...Object.keys(rule.when)], others);
      if (sibling) {
        const body = setAt(without, [...at, sibling], sample(s.properties[sibling], [...at, sibling], c.pool));
        c.add({ valid: false, kind: 'if-then-broken', rule: broken, name: `${cond} without ${key}, with the look-alike ${sibling}`, body });
      }
    }
    if (rule.requires.length > 1) {
      const body = rule.requires.reduce((b, key) => deleteAt(b, [...at, key]), base);
      c.add({ valid: false, kind: 'if-then-broken', rule: broken, name: `${cond} without ${rule.requires.join(' and ')}`, body });
    }
  });

  for (const [key, sub] of Object.entries<Json>(s.properties ?? {})) {
    const path = [...at, key];
    const discriminator = r.rules.some((rule) => key in rule.when);
    for (const v of valueCases(sub, path, c.pool)) {
      const targets = v.limit && !discriminator ? [first, ...branches] : [first];
      for (const b of targets) {
        const body = setAt(b.body, path, v.value);
        c.add({
          valid: v.valid,
          kind: v.kind,
          rule: `${op} ${where(path)}: ${v.constraint}`,
          name: `${where(path)} ${v.name}${b.label}`,
          body: v.valid ? c.repairBody(body) : body,
        });
      }
    }
    const inner = resolve(sub);
    if (inner.types.includes('object') && inner.schema.properties) {
      const nested = bases.map((b) => ({ body: c.repairBody(setAt(b.body, path, minimalObject(sub, path, c.pool))), label: b.label }));
      walkObject(sub, path, nested.slice(0, 1), c);
    } else if (inner.types.includes('array') && resolve(inner.schema.items ?? {}).schema.properties) {
      const item = minimalObject(inner.schema.items, [...path, '0'], c.pool);
      walkObject(inner.schema.items, [...path, '0'], [{ body: c.repairBody(setAt(first.body, path, [item])), label: '' }], c);
    }
  }
}

/** Objects (by path) inside a schema that carry if/then rules, for the maximal bodies of each branch. */
function ruleSites(input: Json, at: Path = [], out: { at: Path; count: number }[] = []) {
  const r = resolve(input);
  if (r.rules.length) out.push({ at, count: r.rules.length });
  for (const [key, sub] of Object.entries<Json>(r.schema.properties ?? {})) ruleSites(sub, [...at, key], out);
  return out;
}

function bodyCases(c: Collector, minimal: unknown) {
  const op = c.op.id;
  const schema = c.bodySchema!;
  c.add({ valid: true, kind: 'minimal', rule: `${op} body: required properties only`, name: 'the minimal body', body: minimal });
  for (const example of c.op.body!.examples) {
    c.add({ valid: true, kind: 'spec-example', rule: `${op} body: the spec's named examples`, name: `the spec's example ${example.name}`, body: example.value });
  }

  // Maximal bodies: every optional property; once per if/then branch of every object; and every value at its largest.
  const maximalRule = `${op} body: every optional property at once`;
  c.add({ valid: true, kind: 'maximal', rule: maximalRule, name: 'every property', body: maximalObject(schema, [], c.pool) });
  for (const site of ruleSites(schema)) {
    for (let i = 0; i < site.count; i++) {
      const choose = (at: Path, rules: ReturnType<typeof resolve>['rules']) => (at.join('.') === site.at.join('.') ? rules[i] : undefined);
      const body = maximalObject(schema, [], c.pool, choose);
      const rule = resolve(site.at.length ? getSchemaAt(schema, site.at) : schema).rules[i]!;
      c.add({ valid: true, kind: 'maximal', rule: maximalRule, name: `every property, with ${where(site.at)} ${rule.label.split(' requires ')[0]}`, body });
    }
  }
  c.add({ valid: true, kind: 'maximal', rule: maximalRule, name: 'every property at its largest value', body: maximalObject(schema, [], c.pool, undefined, (s, at) => largest(s, at, c.pool)) });

  // Bodies that are not the object the schema describes.
  const shape = `${op} body: a JSON object`;
  if (c.op.body!.required) c.add({ valid: false, kind: 'body-shape', rule: `${op} body: required`, name: 'an empty body', raw: '' });
  c.add({ valid: false, kind: 'body-shape', rule: shape, name: 'JSON null', raw: 'null' });
  c.add({ valid: false, kind: 'body-shape', rule: shape, name: 'a JSON string', raw: '"contract"' });
  c.add({ valid: false, kind: 'body-shape', rule: shape, name: 'a JSON number', raw: '42' });
  c.add({ valid: false, kind: 'body-shape', rule: shape, name: 'an array holding the minimal body', body: [minimal] });
  const text = JSON.stringify(minimal);
  c.add({ valid: false, kind: 'body-shape', rule: `${op} body: well-formed JSON`, name: 'malformed JSON (cut short)', raw: text.slice(0, Math.max(1, text.length - 5)), prismBlind: MALFORMED_REASON });

  walkObject(schema, [], [{ body: minimal, label: '' }], c);
}

function getSchemaAt(schema: Json, at: Path): Json {
  return at.reduce((s, key) => resolve(s).schema.properties?.[key] ?? {}, schema);
}

function queryCases(c: Collector, body: unknown) {
  const op = c.op.id;
  for (const p of c.op.parameters.filter((x) => x.in === 'query')) {
    const location = `${op} query ${p.name}`;
    if (p.required) {
      const query = { ...c.query };
      delete query[p.name];
      c.add({ valid: false, kind: 'required', rule: `${location}: required`, name: `without ${p.name}`, query, body });
    }
    const pool: Pool = new Map([[`query.${p.name}`, p.examples]]);
    for (const v of valueCases(p.schema, ['query', p.name], pool, { wire: true })) {
      c.add({
        valid: v.valid,
        kind: v.kind,
        rule: `${location}: ${v.constraint}`,
        name: `${p.name} ${v.name}`,
        query: { ...c.query, [p.name]: v.value },
        body,
        ...(v.prismBlind ? { prismBlind: v.prismBlind } : {}),
      });
    }
  }
}

function sampleQuery(op: OperationModel, include: (p: Parameter) => boolean): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const p of op.parameters.filter((x) => x.in === 'query' && include(x))) {
    query[p.name] = sample(p.schema, ['query', p.name], new Map([[`query.${p.name}`, p.examples]]));
  }
  return query;
}

/** Whether a conforming target must accept the request: body and query against the spec (with the byte limits). */
export function requestIsValid(op: OperationModel, c: Pick<RequestCase, 'query' | 'body' | 'raw'>, { plain = false } = {}): boolean {
  if (op.body) {
    if (c.raw !== undefined) {
      let parsed: unknown;
      try {
        parsed = c.raw === '' ? undefined : JSON.parse(c.raw);
      } catch {
        return false;
      }
      if (parsed === undefined) return !op.body.required;
      if (!satisfies(op.body.schema, parsed, { plain })) return false;
    } else if (c.body === undefined ? op.body.required : !satisfies(op.body.schema, c.body, { plain })) return false;
  }
  const query = parseQuery(op, c.query);
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    if (!(p.name in query)) {
      if (p.required) return false;
      continue;
    }
    if (!satisfies(p.schema, query[p.name], { plain })) return false;
  }
  return true;
}

/** Every enumerated case of one operation, each confirmed by Ajv (one whose stated validity is wrong: MISJUDGED). */
export function enumerateOperation(op: OperationModel): RequestCase[] {
  const query = sampleQuery(op, (p) => p.required);
  const pool = harvest(op.body?.examples.map((e) => e.value) ?? []);
  const c = new Collector(op, op.body?.schema, pool, query);
  const minimal = op.body ? minimalObject(op.body.schema, [], pool) : undefined;
  if (op.body) bodyCases(c, minimal);
  else c.add({ valid: true, kind: 'minimal', rule: `${op.id} query: required parameters only`, name: 'the minimal request', body: undefined });
  const optional = sampleQuery(op, (p) => !p.required);
  if (Object.keys(optional).length) {
    c.add({ valid: true, kind: 'maximal', rule: `${op.id} query: every optional parameter at once`, name: 'every query parameter', query: { ...query, ...optional }, body: minimal });
  }
  queryCases(c, minimal);
  const confirmed: RequestCase[] = [];
  const problems: string[] = [];
  for (const x of c.cases) {
    const problem = misjudged(op, x);
    if (problem) problems.push(problem);
    else confirmed.push(!x.valid && !x.prismBlind && requestIsValid(op, x, { plain: true }) ? { ...x, prismBlind: BYTES_REASON } : x);
  }
  if (problems.length) MISJUDGED.set(op.id, problems);
  else MISJUDGED.delete(op.id);
  return confirmed;
}

/**
 * Cases the enumerator built wrongly (a schema keyword it does not know yet), by operation. Ajv has the last word:
 * such a case is left out rather than sent with a wrong expectation (or stopping the whole run);
 * enumerate.test.ts fails on any, and the report lists them.
 */
export const MISJUDGED = new Map<string, string[]>();

function misjudged(op: OperationModel, c: RequestCase): string | undefined {
  if (requestIsValid(op, c) === c.valid) return undefined;
  return `${c.rule} [${c.name}] was meant to be ${c.valid ? 'valid' : 'invalid'}, but Ajv says otherwise: ${JSON.stringify(c.body ?? c.raw)} ${JSON.stringify(c.query)}`;
}

/** Every enumerated case of every operation of the spec, in the spec's order. */
export function enumerateAll(): RequestCase[] {
  return operations().flatMap(enumerateOperation);
}
