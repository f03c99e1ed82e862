// What generated/openapi.json declares for each response of an operation, and the checks every response of the
// contract suite goes through: the status is declared, a declared JSON body is JSON with a JSON content type and
// validates against its schema (Ajv, byte limits included), a response declared without content has none, and
// declared headers (Retry-After) validate when present.
import { deref, operation, schemaAt, specAjv, type Json, type Validator } from '../helpers/spec.js';
import type { Exchange } from './exchange.js';

export type Operation = 'PublishAssetFromObs' | 'CreateSmartCover';

export interface Violation {
  /** The rule the target broke, as the failure message names it. */
  rule: string;
  /** What exactly was wrong. */
  detail: string;
}

interface DeclaredResponse {
  key: string;
  /** media type → schema validator (undefined when the media type has no schema) */
  media: Map<string, { ref: string; validate?: Validator }>;
  headers: Map<string, { validate: Validator }>;
}

const ajv = specAjv();

function compile(schema: Json): { ref: string; validate: Validator } {
  if (typeof schema?.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) {
    return { ref: schema.$ref, validate: schemaAt(ajv, schema.$ref) };
  }
  const inline = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"vod.json#/$defs/'));
  return { ref: 'inline schema', validate: ajv.compile(inline) as Validator };
}

function declaredFor(operationId: Operation) {
  const { path, op } = operation(operationId);
  const responses = new Map<string, DeclaredResponse>();
  for (const [key, raw] of Object.entries<Json>(op.responses)) {
    const response = deref(raw);
    const media = new Map<string, { ref: string; validate?: Validator }>();
    for (const [type, content] of Object.entries<Json>(response.content ?? {})) {
      media.set(type.toLowerCase(), content.schema ? compile(content.schema) : { ref: 'any' });
    }
    const headers = new Map<string, { validate: Validator }>();
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const h = deref(header);
      if (h.schema) headers.set(name.toLowerCase(), { validate: compile(h.schema).validate });
    }
    responses.set(key, { key, media, headers });
  }
  return { path, responses };
}

export const declared = {
  PublishAssetFromObs: declaredFor('PublishAssetFromObs'),
  CreateSmartCover: declaredFor('CreateSmartCover'),
} as const;

/** The declared response for a status: exact code, then `4XX`-style range, then `default`. */
export function declaredResponse(op: Operation, status: number): DeclaredResponse | undefined {
  const { responses } = declared[op];
  return responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('default');
}

export const declaredStatuses = (op: Operation): string[] => [...declared[op].responses.keys()];

/** Declared 4xx statuses a target may use to refuse a request it could authenticate (not 401, not 429). */
export const refusalStatuses = (op: Operation): number[] =>
  declaredStatuses(op)
    .filter((s) => /^4\d\d$/.test(s) && s !== '401' && s !== '429')
    .map(Number);

const isJsonType = (contentType: string | null): boolean =>
  contentType !== null && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(contentType.trim());

const ajvErrors = (validate: Validator): string =>
  (validate.errors ?? [])
    .map((e: { instancePath: string; message?: string; keyword: string; params: Json }) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${(e.params as Json).additionalProperty})` : ''}`)
    .join('; ');

export const RULES = {
  declaredStatus: 'every status returned is declared for the operation',
  jsonContentType: 'every JSON body carries a JSON content type',
  jsonBody: 'a response declared as JSON has a JSON body',
  schema: 'every body validates against its declared schema',
  noContent: 'a response declared without content has an empty body',
  header: 'declared response headers validate against their schema',
} as const;

/**
 * Everything wrong with a response, judged on the raw bytes the target sent. An empty list means the response
 * conforms to what the spec declares for its status; whether it is the right status is for the test to say.
 */
export function responseViolations(op: Operation, x: Exchange): Violation[] {
  const response = declaredResponse(op, x.status);
  if (!response) {
    return [{ rule: RULES.declaredStatus, detail: `${x.status} is not declared for ${op} (declared: ${declaredStatuses(op).join(', ')})` }];
  }
  const violations: Violation[] = [];
  let parsed: { ok: true; value: unknown } | { ok: false; error: string } | undefined;
  if (x.text.trim() !== '') {
    try {
      parsed = { ok: true, value: JSON.parse(x.text) };
    } catch (error) {
      parsed = { ok: false, error: (error as Error).message };
    }
  }
  if (parsed?.ok && !isJsonType(x.contentType)) {
    violations.push({ rule: RULES.jsonContentType, detail: `a JSON body came with content-type ${x.contentType ?? '(none)'}` });
  }
  if (response.media.size === 0) {
    if (x.text !== '') {
      violations.push({ rule: RULES.noContent, detail: `${x.status} is declared without content for ${op}, but the body has ${Buffer.byteLength(x.text)} bytes` });
    }
  } else {
    const jsonMedia = [...response.media.entries()].find(([type]) => isJsonType(type));
    if (jsonMedia) {
      const [type, { ref, validate }] = jsonMedia;
      if (!isJsonType(x.contentType)) {
        if (!parsed?.ok) {
          violations.push({ rule: RULES.jsonContentType, detail: `${x.status} is declared as ${type}, but came with content-type ${x.contentType ?? '(none)'}` });
        }
      }
      if (!parsed) {
        violations.push({ rule: RULES.jsonBody, detail: `${x.status} is declared as ${type} (${ref}), but the body is empty` });
      } else if (!parsed.ok) {
        violations.push({ rule: RULES.jsonBody, detail: `${x.status} is declared as ${type} (${ref}), but the body is not JSON: ${parsed.error}` });
      } else if (validate && !validate(parsed.value)) {
        violations.push({ rule: RULES.schema, detail: `${x.status} body against ${ref}: ${ajvErrors(validate)}` });
      }
    }
  }
  for (const [name, { validate }] of response.headers) {
    const value = x.headers.get(name);
    if (value === null) continue;
    const typed = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    if (!validate(typed)) violations.push({ rule: RULES.header, detail: `${name}: ${value}: ${ajvErrors(validate)}` });
  }
  return violations;
}

/** The error_code of a raw error body, if it has one. */
export function errorCode(x: Exchange): string | undefined {
  try {
    const body = JSON.parse(x.text);
    return typeof body?.error_code === 'string' ? body.error_code : undefined;
  } catch {
    return undefined;
  }
}
