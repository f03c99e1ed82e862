/// <reference types="node" />
// What the simulator knows of the API, derived from the spec rather than written by hand: the routing table comes
// from generated/operations (allOperations: method, path, query styles, rate limit, paging, validator) and the rest
// from generated/openapi.json (query parameter types, declared statuses, the success example of each operation).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allOperations } from '../../generated/operations/index.js';
import type { OperationDef } from '../internal/operation-def.js';

// The spec is JSON of any shape: typed loosely on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * generated/openapi.json, found by walking up from this module: in the repository it is ../../generated (src/simulator
 * or a bundle under dist/), in the installed package it is at the package root (dist/package/src/simulator → ../../../..).
 */
export function loadSpec(path?: string): Json {
  if (path) return JSON.parse(readFileSync(path, 'utf8'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'generated', 'openapi.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8'));
    const parent = dirname(dir);
    if (parent === dir) throw new Error('VOD simulator: generated/openapi.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export interface QueryParam {
  name: string;
  /** The parameter's JSON type ('integer', 'string', 'array', …), to type the text of the query string. */
  type: string | undefined;
  itemType: string | undefined;
  array: boolean;
  explode: boolean;
}

export interface Route {
  def: OperationDef;
  id: string;
  method: string;
  /** The path template as a regular expression; groups are the path parameters in `pathParams` order. */
  pattern: RegExp;
  pathParams: string[];
  query: QueryParam[];
  successStatus: number;
  /** The spec's example of the success response (undefined: none declared, or no content). */
  example: unknown;
  hasContent: boolean;
  /** Declared statuses, e.g. ['200', '400', …]. */
  statuses: string[];
  deprecated: boolean;
  /** The status under which the operation's page shows each error code (its responses' examples). */
  errorStatus: Record<string, number>;
  /** The credentials the operation's security (or the document's) accepts. */
  security: { token: boolean; aksk: boolean };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function deref(spec: Json, node: Json): Json {
  let out = node;
  for (let i = 0; out && typeof out === 'object' && typeof out.$ref === 'string' && i < 20; i++) {
    out = out.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((k: string) => k.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((at: Json, k: string) => at?.[k], spec);
  }
  return out;
}

const firstType = (schema: Json): string | undefined => (Array.isArray(schema?.type) ? schema.type.find((t: string) => t !== 'null') : schema?.type);

/** The routing table: one route per operation of allOperations, each with what the spec says of it. */
export function buildRoutes(spec: Json): Route[] {
  const byId = new Map<string, { path: string; method: string; item: Json; op: Json }>();
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of METHODS) if (item[method]?.operationId) byId.set(item[method].operationId, { path, method, item, op: item[method] });
  }
  return (allOperations as readonly OperationDef[]).map((def) => {
    const found = byId.get(def.id);
    if (!found) throw new Error(`VOD simulator: ${def.id} is in generated/operations but not in the spec`);
    const { item, op } = found;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => deref(spec, p));
    const pathParams: string[] = [];
    const pattern = new RegExp(
      `^${def.path.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_, name: string) => (pathParams.push(name), '([^/]+)'))}$`,
    );
    const query: QueryParam[] = params
      .filter((p: Json) => p.in === 'query')
      .map((p: Json) => {
        const schema = deref(spec, p.schema ?? {});
        const style = def.query?.[p.name];
        return {
          name: p.name,
          type: firstType(schema),
          itemType: firstType(deref(spec, schema.items ?? {})),
          array: style?.array ?? firstType(schema) === 'array',
          explode: style?.explode ?? true,
        };
      });
    const statuses = Object.keys(op.responses ?? {});
    const success = statuses.find((s) => /^2\d\d$/.test(s)) ?? '200';
    const response = deref(spec, op.responses?.[success]);
    const content = response?.content?.['application/json'];
    let example: unknown;
    if (content) {
      const first = Object.values<Json>(content.examples ?? {})[0];
      example = first !== undefined ? deref(spec, first)?.value : content.example;
    }
    const errorStatus: Record<string, number> = {};
    for (const status of statuses.filter((st) => /^[45]\d\d$/.test(st))) {
      const examples = deref(spec, op.responses[status])?.content?.['application/json']?.examples ?? {};
      for (const e of Object.values<Json>(examples)) {
        const code = deref(spec, e)?.value?.error_code;
        if (typeof code === 'string' && !(code in errorStatus)) errorStatus[code] = Number(status);
      }
    }
    return {
      def,
      id: def.id,
      errorStatus,
      method: def.method,
      pattern,
      pathParams,
      query,
      successStatus: Number(success),
      example,
      hasContent: Boolean(content),
      statuses,
      deprecated: Boolean(op.deprecated),
      security: securityOf(spec, op.security ?? spec.security),
    };
  });
}

/**
 * Which credentials a list of security requirements accepts; the schemes are told apart by the header they name
 * (a requirement object lists schemes that go together: AK/SK is Authorization with X-Sdk-Date).
 */
function securityOf(spec: Json, requirements: Json[] | undefined): Route['security'] {
  if (!requirements?.length) return { token: true, aksk: true };
  const schemes = spec.components?.securitySchemes ?? {};
  const headers = (req: Json) => Object.keys(req ?? {}).map((name) => String(schemes[name]?.name ?? '').toLowerCase());
  return {
    token: requirements.some((req) => headers(req).includes('x-auth-token')),
    aksk: requirements.some((req) => headers(req).includes('authorization')),
  };
}

/** Finds the route of a request; `params` are the path parameters by name. */
export function matchRoute(routes: Route[], method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.pathParams.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
    return { route, params };
  }
  return undefined;
}

/** Whether some operation has this path with another method (then the answer is 405-like: the gateway says 404). */
export const pathKnown = (routes: Route[], pathname: string) => routes.some((r) => r.pattern.test(pathname));

function typed(type: string | undefined, text: string): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * The query object the operation's validator checks, read from the query string as a server reads it: each value
 * typed by its parameter's schema (a number-like text of an integer parameter becomes a number, anything else stays
 * a string, for the validator to refuse), arrays from repeated keys (explode) or one comma-separated value.
 * Unknown parameters are kept as strings, so that a validator with additionalProperties: false names them.
 */
export function parseQuery(route: Route, search: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    const p = route.query.find((q) => q.name === name);
    if (!p) {
      out[name] = values[values.length - 1];
      continue;
    }
    if (p.array) {
      const items = p.explode ? values : values.flatMap((v) => v.split(','));
      out[name] = items.map((v) => typed(p.itemType, v));
    } else out[name] = typed(p.type, values[values.length - 1]!);
  }
  return out;
}
