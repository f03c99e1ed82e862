// What generated/openapi.json declares for each response of each operation, and the checks every response of the
// contract suite goes through, on the raw bytes the target sent: no server error; the status is declared; the
// media type is one the spec declares for it (parameters such as charset allowed, nothing else); a declared JSON
// body is JSON and validates against its schema (Ajv, byte limits included); a response declared without content
// (204) has no body, read at the socket; declared headers (Retry-After) validate, required ones are present.
import { deref, operation, schemaAt, spec, specAjv, type Json, type Validator } from '../helpers/spec.js';
import type { Exchange } from './exchange.js';

export interface Violation {
  /** The rule the target broke, as the failure message names it. */
  rule: string;
  /** What exactly was wrong. */
  detail: string;
}

interface DeclaredResponse {
  key: string;
  /** media type (lower case) → schema validator */
  media: Map<string, { ref: string; validate?: Validator }>;
  headers: Map<string, { validate: Validator; required: boolean }>;
}

const ajv = specAjv();

function compile(schema: Json): { ref: string; validate: Validator } {
  if (typeof schema?.$ref === 'string' && schema.$ref.startsWith('#/components/schemas/')) {
    return { ref: schema.$ref, validate: schemaAt(ajv, schema.$ref) };
  }
  const inline = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"vod.json#/$defs/'));
  return { ref: 'inline schema', validate: ajv.compile(inline) as Validator };
}

const declaredCache = new Map<string, Map<string, DeclaredResponse>>();

function declaredFor(operationId: string): Map<string, DeclaredResponse> {
  let responses = declaredCache.get(operationId);
  if (responses) return responses;
  const { op } = operation(operationId);
  responses = new Map();
  for (const [key, raw] of Object.entries<Json>(op.responses)) {
    const response = deref(raw);
    const media = new Map<string, { ref: string; validate?: Validator }>();
    for (const [type, content] of Object.entries<Json>(response.content ?? {})) {
      media.set(type.toLowerCase(), content.schema ? compile(content.schema) : { ref: 'any' });
    }
    const headers = new Map<string, { validate: Validator; required: boolean }>();
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const h = deref(header);
      if (h.schema) headers.set(name.toLowerCase(), { validate: compile(h.schema).validate, required: Boolean(h.required) });
    }
    responses.set(key, { key, media, headers });
  }
  declaredCache.set(operationId, responses);
  return responses;
}

/** The declared response for a status: exact code, then `4XX`-style range, then `default`. */
export function declaredResponse(op: string, status: number): DeclaredResponse | undefined {
  const responses = declaredFor(op);
  return responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('default');
}

export const declaredStatuses = (op: string): string[] => [...declaredFor(op).keys()];

/** Declared 2xx statuses of an operation. */
export const successStatuses = (op: string): number[] =>
  declaredStatuses(op).filter((s) => /^2\d\d$/.test(s)).map(Number);

/** Declared 4xx statuses a target may use to refuse a request it could authenticate (not 401, not 429). */
export const refusalStatuses = (op: string): number[] =>
  declaredStatuses(op)
    .filter((s) => /^4\d\d$/.test(s) && s !== '401' && s !== '429')
    .map(Number);

/** The media type's essence: `application/json; charset=utf-8` → `application/json`. */
export const essence = (contentType: string | null | undefined): string | undefined =>
  contentType ? contentType.split(';')[0]!.trim().toLowerCase() : undefined;

const isJsonEssence = (type: string | undefined) => type !== undefined && /^application\/([\w.+-]+\+)?json$/.test(type);

const ajvErrors = (validate: Validator): string =>
  (validate.errors ?? [])
    .map((e: { instancePath: string; message?: string; keyword: string; params: Json }) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${(e.params as Json).additionalProperty})` : ''}`)
    .join('; ');

export const RULES = {
  serverError: 'no request is answered with a server error (5xx)',
  declaredStatus: 'every status returned is declared for the operation',
  mediaType: "a response's media type is one the spec declares for it (parameters such as charset allowed)",
  jsonBody: 'a response declared as JSON has a JSON body',
  schema: 'every body validates against its declared schema',
  noContent: 'a response declared without content has an empty body, read at the socket',
  header: 'declared response headers validate against their schema',
  requiredHeader: 'required response headers are present',
} as const;

/**
 * Everything wrong with a response, judged on the raw bytes the target sent. An empty list means the response
 * conforms to what the spec declares for its status; whether it is the right status is for the check to say.
 */
export function responseViolations(op: string, x: Exchange): Violation[] {
  const violations: Violation[] = [];
  if (x.status >= 500) violations.push({ rule: RULES.serverError, detail: `${x.status} to a request the target should have handled` });
  const response = declaredResponse(op, x.status);
  if (!response) {
    violations.push({ rule: RULES.declaredStatus, detail: `${x.status} is not declared for ${op} (declared: ${declaredStatuses(op).join(', ')})` });
    return violations;
  }
  const type = essence(x.contentType);
  // HTTP forbids content in a 204 (RFC 9110, 15.3.5), and clients (fetch, Go's net/http) drop whatever follows its
  // header block. Where the spec declares a body on a 204 anyway (a page that documents one, e.g.
  // CreateTemplateGroup's group_id), an empty 204 conforms; bytes that do follow are judged as that body.
  const emptyNoContent = x.status === 204 && x.bodyBytes === 0;
  if (response.media.size === 0 || emptyNoContent) {
    if (x.bodyBytes > 0) {
      violations.push({ rule: RULES.noContent, detail: `${x.status} is declared without content for ${op}, but ${x.bodyBytes} body bytes followed the header block` });
    }
  } else {
    const declaredTypes = [...response.media.keys()];
    const media = type ? response.media.get(type) : undefined;
    if (!media) {
      violations.push({ rule: RULES.mediaType, detail: `${x.status} is declared as ${declaredTypes.join(' or ')}, but came with content-type ${x.contentType ?? '(none)'}` });
    }
    const [declaredType, { ref, validate }] = media ? [type!, media] : [...response.media.entries()][0]!;
    if (isJsonEssence(declaredType)) {
      let parsed: { ok: true; value: unknown } | { ok: false; error: string } | undefined;
      if (x.text.trim() !== '') {
        try {
          parsed = { ok: true, value: JSON.parse(x.text) };
        } catch (error) {
          parsed = { ok: false, error: (error as Error).message };
        }
      }
      if (!parsed) {
        violations.push({ rule: RULES.jsonBody, detail: `${x.status} is declared as ${declaredType} (${ref}), but the body is empty` });
      } else if (!parsed.ok) {
        violations.push({ rule: RULES.jsonBody, detail: `${x.status} is declared as ${declaredType} (${ref}), but the body is not JSON: ${parsed.error}` });
      } else if (validate && !validate(parsed.value)) {
        violations.push({ rule: RULES.schema, detail: `${x.status} body against ${ref}: ${ajvErrors(validate)}` });
      }
    }
  }
  for (const [name, { validate, required }] of response.headers) {
    const value = x.headers.get(name);
    if (value === undefined) {
      if (required) violations.push({ rule: RULES.requiredHeader, detail: `${x.status} must carry ${name}` });
      continue;
    }
    const typed = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    if (!validate(typed)) violations.push({ rule: RULES.header, detail: `${name}: ${value}: ${ajvErrors(validate)}` });
  }
  return violations;
}

/**
 * The error codes that say "what you named does not exist" (an asset, a category, a domain, a template group…) or,
 * for an OBS bucket, that it is not one the account authorised for VOD, read from the spec's error catalogue
 * (x-error-codes): an English message with "does not exist" / "missing" / "bucket is not authorised", or a Chinese
 * one with 不存在 / 桶未授权. The gateway's "no such API" (APIG.0101) is not among them: it is about the operation.
 */
let notFound: Set<string> | undefined;
export const notFoundCodes = (): Set<string> =>
  (notFound ??= new Set(
    ((spec['x-error-codes'] ?? []) as { code: string; message?: string; message_zh?: string }[])
      .filter((e) => !/^APIG/.test(e.code) && (/does not exist|\bmissing\b|bucket is not authori[sz]ed/i.test(e.message ?? '') || /不存在|桶未授权/.test(e.message_zh ?? '')))
      .flatMap((e) => e.code.split(/\s*\/\s*/)),
  ));

/** The error_code of a raw error body, if it has one. */
export function errorCode(x: Exchange): string | undefined {
  try {
    const body = JSON.parse(x.text);
    return typeof body?.error_code === 'string' ? body.error_code : undefined;
  } catch {
    return undefined;
  }
}

/** The parsed JSON body of a response, if it is JSON. */
export function jsonBody(x: Exchange): Json {
  try {
    return JSON.parse(x.text);
  } catch {
    return undefined;
  }
}
