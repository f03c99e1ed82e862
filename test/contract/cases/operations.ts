// The operations of generated/openapi.json as the enumerator and the suite see them: method, path, parameters
// (with their serialisation), request body and its named examples. Nothing here names an operation: a new
// operation in the spec is picked up as it is.
import { deref, spec, type Json } from '../../helpers/spec.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
  /** OpenAPI serialisation: `form` (query default) or `simple` (path default). */
  style: string;
  /** Arrays as repeated keys (true) or one comma-joined value (false). */
  explode: boolean;
  examples: unknown[];
}

export interface OperationModel {
  id: string;
  method: string;
  /** The path template, e.g. `/v1.0/{project_id}/asset/info`. */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; mediaType: string; schema: Json; examples: { name: string; value: unknown }[] };
  deprecated: boolean;
  /** `x-rate-limit` of the operation, when the spec gives it. */
  rateLimit?: { group?: string; perTenantPerMinute?: number; overallPerMinute?: number };
  /** The credentials its `security` (or the document's) accepts: an IAM token, an AK/SK signature. */
  security: { token: boolean; aksk: boolean };
}

/**
 * Which credentials an operation's security requirements accept. A requirement object lists schemes that go
 * together (AK/SK is `akskAuthorization` with `akskSdkDate`); the schemes are told apart by the header they name.
 */
function securityOf(requirements: Json[] | undefined, document: Json): OperationModel['security'] {
  const schemes = document.components?.securitySchemes ?? {};
  const headers = (req: Json) => Object.keys(req ?? {}).map((name) => String(schemes[name]?.name ?? '').toLowerCase());
  const list: Json[] = requirements ?? [];
  return {
    token: list.some((req) => headers(req).includes('x-auth-token')),
    aksk: list.some((req) => headers(req).includes('authorization')),
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function parameter(raw: Json): Parameter {
  const p = deref(raw);
  const style = p.style ?? (p.in === 'query' || p.in === 'cookie' ? 'form' : 'simple');
  const examples = [
    ...(p.example !== undefined ? [p.example] : []),
    ...Object.values<Json>(p.examples ?? {}).map((e) => deref(e).value),
    ...(Array.isArray(p.schema?.examples) ? p.schema.examples : []),
  ];
  return {
    name: p.name,
    in: p.in,
    required: Boolean(p.required),
    schema: p.schema ?? {},
    style,
    explode: p.explode ?? style === 'form',
    examples,
  };
}

export function operations(document: Json = spec): OperationModel[] {
  const out: OperationModel[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = new Map<string, Parameter>();
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const p = parameter(raw);
        params.set(`${p.in}:${p.name}`, p);
      }
      let body: OperationModel['body'];
      if (op.requestBody) {
        const rb = deref(op.requestBody);
        const [mediaType, content] = Object.entries<Json>(rb.content ?? {})[0] ?? ['application/json', {}];
        body = {
          required: Boolean(rb.required),
          mediaType,
          schema: content.schema ?? {},
          examples: Object.entries<Json>(content.examples ?? {}).map(([name, e]) => ({ name, value: deref(e).value })),
        };
      }
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        parameters: [...params.values()],
        ...(body ? { body } : {}),
        deprecated: Boolean(op.deprecated),
        ...(op['x-rate-limit'] ? { rateLimit: op['x-rate-limit'] } : {}),
        security: securityOf(op.security ?? document.security, document),
      });
    }
  }
  return out;
}

export const operationById = (id: string): OperationModel => {
  const found = operations().find((o) => o.id === id);
  if (!found) throw new Error(`no operation ${id} in generated/openapi.json`);
  return found;
};

/**
 * The query string of `query` as the spec serialises each parameter: `form` with `explode: true` repeats the key
 * for each array item, `explode: false` joins the items with commas.
 */
export function serialiseQuery(op: OperationModel, query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const p = op.parameters.find((x) => x.in === 'query' && x.name === name);
    const key = encodeURIComponent(name);
    const text = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));
    if (Array.isArray(value)) {
      if (p?.explode === false) parts.push(`${key}=${value.map(text).join(',')}`);
      else for (const v of value) parts.push(`${key}=${text(v)}`);
    } else parts.push(`${key}=${text(value)}`);
  }
  return parts.join('&');
}

/** The query values a server reads back from the wire, typed by each parameter's schema (as a server would). */
export function parseQuery(op: OperationModel, query: Record<string, unknown>): Record<string, unknown> {
  const search = new URLSearchParams(serialiseQuery(op, query));
  const out: Record<string, unknown> = {};
  for (const p of op.parameters.filter((x) => x.in === 'query')) {
    const values = search.getAll(p.name);
    if (!values.length) continue;
    const schema = deref(p.schema);
    if (schema.type === 'array') {
      const items = p.explode === false ? values.flatMap((v) => v.split(',')) : values;
      out[p.name] = items.map((v) => typed(deref(schema.items ?? {}), v));
    } else out[p.name] = typed(schema, values[values.length - 1]!);
  }
  return out;
}

function typed(schema: Json, text: string): unknown {
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  if ((type.includes('integer') || type.includes('number')) && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
