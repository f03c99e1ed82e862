// The seeded random phase, on top of the enumerated cases: fast-check builds valid requests from the same schemas
// (any subset of the optional properties, values anywhere within their limits, strings of 1- to 4-byte
// characters), and spoils some of them with one of the enumerated negative mutations, so that a rule is also tried
// in company the enumerator never builds. The seed makes a run repeatable: VOD_CONTRACT_SEED, or the default.
import fc from 'fast-check';
import type { Json } from '../../helpers/spec.js';
import { BYTES_REASON, requestIsValid, type RequestCase } from './enumerate.js';
import type { OperationModel } from './operations.js';
import { harvest, repair, resolve, sample, utf8Bytes, type Pool } from './schema.js';

export const DEFAULT_SEED = 20240601;

const CHARS = ['a', 'Z', '7', ' ', '-', 'é', 'ß', 'Ж', '视', '新', '😀', '🎬'];
const char = fc.constantFrom(...CHARS);

/** A string within `maxBytes` UTF-8 bytes (and `maxChars` characters), of characters of every width. */
const boundedString = (maxBytes: number, maxChars: number, minChars = 0) =>
  fc.array(char, { minLength: minChars, maxLength: Math.min(maxChars, maxBytes) }).map((cs) => {
    let out = '';
    for (const c of cs) if (utf8Bytes(out + c) <= maxBytes) out += c;
    return out;
  });

function arbitrary(input: Json, at: string[], pool: Pool, depth = 0): fc.Arbitrary<unknown> {
  const r = resolve(input);
  const s = r.schema;
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...s.enum);
  const type = r.types.find((t) => t !== 'null') ?? 'string';
  const fallback = fc.constant(sample(input, at, pool));
  switch (type) {
    case 'object': {
      if (depth > 3) return fallback;
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries<Json>(s.properties ?? {})) shape[key] = arbitrary(sub, [...at, key], pool, depth + 1);
      return fc.record(shape, { requiredKeys: s.required ?? [] });
    }
    case 'array':
      return fc.array(arbitrary(s.items ?? {}, [...at, '0'], pool, depth + 1), { minLength: s.minItems ?? 1, maxLength: s.maxItems ?? 4 });
    case 'integer': {
      if (s.minimum === undefined && s.maximum === undefined) {
        // No stated range: the values the spec itself uses (examples, default), which a real service accepts too.
        const known = [...(pool.get(at.join('.')) ?? []), ...(s.examples ?? []), ...(s.default !== undefined ? [s.default] : [])].filter((v) => Number.isInteger(v));
        return known.length ? fc.constantFrom(...known) : fc.integer({ min: 1, max: 1000 });
      }
      return fc.integer({ min: s.minimum ?? (s.maximum ?? 0) - 1000, max: s.maximum ?? (s.minimum ?? 0) + 1000 });
    }
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const list = s['x-separated-list'];
      if (list) {
        const item = boundedString(list.maxItemBytes, list.maxItemBytes, 1).filter((t) => !t.includes(list.separator) && t.length > 0);
        return fc.array(item, { minLength: 1, maxLength: list.maxItems }).map((items) => items.join(list.separator));
      }
      if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern, 'u'));
      if (s['x-max-bytes'] !== undefined || s.maxLength !== undefined) {
        return boundedString(s['x-max-bytes'] ?? Infinity, s.maxLength ?? s['x-max-bytes'], Math.max(1, s.minLength ?? 0));
      }
      // Free text with no limit (names, keys, ids): the spec's own values, so that a real service can accept them.
      return fallback;
    }
    default:
      return fallback;
  }
}

/**
 * `count` random valid requests of `op` and as many spoilt by one negative case's mutation. Only the body is
 * randomised; query-only operations get their random queries from the same arbitraries.
 */
export function randomCases(op: OperationModel, negatives: RequestCase[], seed = DEFAULT_SEED, count = 12): RequestCase[] {
  const pool = harvest(op.body?.examples.map((e) => e.value) ?? []);
  const query = Object.fromEntries(
    op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, sample(p.schema, ['query', p.name], new Map([[`query.${p.name}`, p.examples]]))]),
  );
  const queryArb = fc.record(
    Object.fromEntries(op.parameters.filter((p) => p.in === 'query').map((p) => [p.name, arbitrary(p.schema, ['query', p.name], new Map([[`query.${p.name}`, p.examples]]))])),
    { requiredKeys: op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name) },
  );
  const bodyArb = op.body ? arbitrary(op.body.schema, [], pool).map((b) => repair(op.body!.schema, b, [], pool)) : fc.constant(undefined);
  const requestArb = fc.record({ body: bodyArb, query: op.body ? fc.constant(query) : queryArb }).filter((c) => requestIsValid(op, c));
  // Distinct requests only (a small schema has few).
  const seen = new Set<string>();
  const valid = fc.sample(requestArb, { seed, numRuns: count }).filter((c) => {
    const key = JSON.stringify(c);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  const out: RequestCase[] = valid.map((c, i) => ({
    operationId: op.id,
    valid: true,
    kind: 'random',
    rule: `${op.id}: random valid requests (fast-check, seed ${seed})`,
    name: `random valid request #${i + 1} (seed ${seed})`,
    query: c.query as Record<string, unknown>,
    ...(c.body !== undefined ? { body: c.body } : {}),
  }));
  // Spoil each with one enumerated negative: the mutated property (or parameter) carried over onto the random request.
  const spoilers = negatives.filter((n) => !n.valid && n.raw === undefined && n.body !== undefined && typeof n.body === 'object' && !Array.isArray(n.body));
  if (spoilers.length) {
    const picks = fc.sample(fc.integer({ min: 0, max: spoilers.length - 1 }), { seed: seed + 1, numRuns: count });
    valid.forEach((c, i) => {
      const n = spoilers[picks[i]!]!;
      const body = overlay(c.body, n.body, minimalOf(negatives));
      const spoilt = { query: c.query as Record<string, unknown>, body };
      if (requestIsValid(op, spoilt)) return;
      out.push({ ...n, kind: 'random', name: `random request #${i + 1} (seed ${seed}) with ${n.name}`, ...spoilt, ...(requestIsValid(op, spoilt, { plain: true }) ? { prismBlind: BYTES_REASON } : {}) });
    });
  }
  return out;
}

const minimalOf = (cases: RequestCase[]) => cases.find((c) => c.kind === 'minimal')?.body;

/** The random body with the differences of `spoilt` from `minimal` applied (changed and removed properties). */
function overlay(random: unknown, spoilt: unknown, minimal: unknown): unknown {
  if (!isObject(random) || !isObject(spoilt) || !isObject(minimal)) return spoilt;
  const out: Record<string, unknown> = { ...random };
  for (const key of Object.keys(minimal)) if (!(key in spoilt)) delete out[key];
  for (const [key, value] of Object.entries(spoilt)) {
    if (JSON.stringify(value) === JSON.stringify(minimal[key])) continue;
    out[key] = isObject(value) && isObject(minimal[key]) && isObject(random[key]) ? overlay(random[key], value, minimal[key]) : value;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);
