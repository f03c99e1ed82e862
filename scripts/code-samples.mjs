// Code samples for the docs (x-codeSamples): a curl command and a call through the TypeScript client for every
// operation of the spec, one pair per named request example (or, for an operation without a body, one pair built
// from its parameters' examples), so that they can never show a body or query the spec would reject.
// test/docs/code-samples.test.ts runs the curl samples through bash and type-checks the TypeScript samples against
// src/.

import { methodName } from './operations.mjs';
import { HTTP_METHODS, operations, parametersOf, resolve } from './spec-walk.mjs';

/** The package name the TypeScript sample imports, as published. */
export const packageName = 'huaweicloud-vod-openapi';

export { HTTP_METHODS, operations, parametersOf, resolve };

/** The named examples of the operation's JSON request body, in the spec's order: `{ name, summary, value }`. */
export function requestExamples(spec, op) {
  const media = resolve(spec, op.requestBody)?.content?.['application/json'];
  if (!media) return [];
  const named = Object.entries(media.examples ?? {}).map(([name, example]) => {
    const { value, summary, description } = resolve(spec, example);
    return { name, summary: summary ?? name, description, value };
  });
  if (named.length) return named;
  if (media.example !== undefined) return [{ name: 'example', summary: 'example', value: media.example }];
  throw new Error(`${op.operationId}: its request body has no example to build the code samples from`);
}

/** The example value the spec gives a parameter, or undefined. */
function parameterExample(spec, param) {
  if (param.example !== undefined) return param.example;
  const [first] = Object.values(param.examples ?? {});
  if (first) return resolve(spec, first).value;
  const schema = resolve(spec, param.schema) ?? {};
  if (schema.examples?.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.type === 'array') {
    const items = resolve(spec, schema.items) ?? {};
    if (items.examples?.length) return [items.examples[0]];
    if (items.example !== undefined) return [items.example];
  }
  return undefined;
}

/**
 * The query an operation's sample sends: every query parameter that has an example in the spec, and for a
 * required one that has none its default, else the first value of its enum, else a `<name>` placeholder (a
 * placeholder a reader must replace, never a made-up value).
 * @returns {Record<string, unknown>}
 */
export function queryExample(spec, op, pathItem) {
  /** @type {Record<string, unknown>} */
  const query = {};
  for (const param of parametersOf(spec, op, pathItem).filter((p) => p.in === 'query')) {
    let value = parameterExample(spec, param);
    if (value === undefined && param.required) {
      const schema = resolve(spec, param.schema) ?? {};
      const items = schema.type === 'array' ? resolve(spec, schema.items) ?? {} : schema;
      const one = items.default ?? items.enum?.[0] ?? `<${param.name}>`;
      value = schema.type === 'array' ? (schema.default ?? [one]) : one;
    }
    if (value !== undefined) query[param.name] = value;
  }
  return query;
}

/**
 * `query` as a URL query string, serialised as each parameter declares (`style: form`, the OpenAPI default):
 * an array is repeated keys with `explode: true` (the default) and one comma-joined value with `explode: false`.
 */
export function serializeQuery(spec, op, pathItem, query) {
  const params = new Map(parametersOf(spec, op, pathItem).filter((p) => p.in === 'query').map((p) => [p.name, p]));
  const pairs = [];
  for (const [name, value] of Object.entries(query)) {
    const param = params.get(name);
    if (!param) throw new Error(`${op.operationId}: no query parameter ${name}`);
    const style = param.style ?? 'form';
    if (style !== 'form') throw new Error(`${op.operationId}: query style ${style} of ${name} is not supported`);
    const explode = param.explode ?? true;
    const key = encodeURIComponent(name);
    if (Array.isArray(value)) {
      if (explode) for (const v of value) pairs.push(`${key}=${encodeURIComponent(String(v))}`);
      else pairs.push(`${key}=${value.map((v) => encodeURIComponent(String(v))).join(',')}`);
    } else if (value !== null && typeof value === 'object') {
      throw new Error(`${op.operationId}: object query parameter ${name} is not supported`);
    } else {
      pairs.push(`${key}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.join('&');
}

/**
 * The server an operation's samples call: its own `servers`, else the path item's, else the spec's, with every
 * variable at its default, except that a `region` the operation lists in `x-unsupported-regions` is replaced by
 * the first region of the enum that it supports.
 * @returns {{ url: string, region: string | undefined, server: object }}
 */
export function operationServer(spec, op, pathItem = {}) {
  const [server] = op.servers ?? pathItem.servers ?? spec.servers;
  const unsupported = new Set(op['x-unsupported-regions'] ?? []);
  const values = Object.fromEntries(Object.entries(server.variables ?? {}).map(([name, v]) => [name, v.default]));
  const region = server.variables?.region;
  if (region && unsupported.has(values.region)) {
    values.region = (region.enum ?? []).find((r) => !unsupported.has(r));
    if (!values.region) throw new Error(`${op.operationId}: every region of the server is unsupported`);
  }
  const url = server.url.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  return { url, region: values.region, server };
}

/** The spec's first server with every variable at its default (https://vod.cn-north-4.myhuaweicloud.com). */
export function defaultServerUrl(spec) {
  return operationServer(spec, {}).url;
}

// POSIX single quotes keep everything literal; a quote itself is closed, escaped and reopened.
const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * What each path variable is, for the comment lines above a curl command and for the TypeScript client option that
 * fills it in. A path variable not listed here fails the build, so that a new one gets its explanation (and its client
 * option) instead of a sample that cannot be called.
 */
export const pathVariables = {
  project_id: { shell: 'PROJECT_ID', comment: 'the project ID of the region', clientOption: 'projectId' },
  domain_id: { shell: 'DOMAIN_ID', comment: 'your account ID (账号ID, domain_id)', clientOption: 'domainId' },
};

/** The path variables of a path, in order: `/v1.0/{domain_id}/vod/…` → ['domain_id']. */
export function pathVariablesOf(path) {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => {
    if (!pathVariables[m[1]]) throw new Error(`${path}: no sample text for the path variable {${m[1]}} (scripts/code-samples.mjs pathVariables)`);
    return m[1];
  });
}

/**
 * A curl command. `query`: an already serialised query string (percent-encoded, so nothing in it is special
 * inside the double quotes). `source`: the comment saying what the body or query is.
 */
export function curlSample({ serverUrl, path, method, body, query = '', source }) {
  const variables = pathVariablesOf(path);
  // Each path variable stays a shell variable ($PROJECT_ID, $DOMAIN_ID): the URL is double-quoted so that the
  // shell expands it.
  const url = `${serverUrl}${path.replace(/\{(\w+)\}/g, (_, name) => `$${pathVariables[name].shell}`)}${query ? `?${query}` : ''}`;
  const lines = [
    '# TOKEN: an IAM token (X-Subject-Token of IAM\'s "obtain a user token")',
    ...variables.map((name) => `# ${pathVariables[name].shell}: ${pathVariables[name].comment}`),
    `# ${source}`,
    `curl -X ${method.toUpperCase()} "${url}" \\`,
    ...(body === undefined ? [] : ['  -H "Content-Type: application/json" \\']),
    `  -H "X-Auth-Token: $TOKEN"${body === undefined ? '' : ' \\'}`,
    ...(body === undefined ? [] : [`  -d ${shellQuote(JSON.stringify(body, null, 2))}`]),
  ];
  return lines.join('\n');
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `value` as a TypeScript literal in the house style: unquoted keys where possible, single-quoted strings. */
export function tsLiteral(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => tsLiteral(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, v]) => `${inner}${identifier.test(key) ? key : tsString(key)}: ${tsLiteral(v, inner)},`,
    );
    return `{\n${entries.join('\n')}\n${indent}}`;
  }
  return typeof value === 'string' ? tsString(value) : JSON.stringify(value);
}

// JSON's escapes are valid in a TypeScript string too; only the quoting changes: in '…' a " needs no escape, a ' does.
const tsString = (text) => `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;

/** The client's method for an operationId: PublishAssetFromObs → publishAssetFromObs. */
export { methodName };

/**
 * The lines that create the client (shared by the samples and the transfer guide). `domainId`: also pass the
 * account ID, which the deprecated `/v1.0/{domain_id}/…` statistics operations put in their path. `tokenOnly`: the
 * operation accepts an IAM token only (its security has no AK/SK scheme), so the sample signs in with a token.
 */
export function clientSetup(region, { domainId = false, tokenOnly = false } = {}) {
  return [
    `import { createVodClient } from '${packageName}';`,
    '',
    'const vod = createVodClient({',
    "  projectId: '<project_id>',",
    ...(domainId ? ["  domainId: '<domain_id>', // account ID (账号ID): the path has {domain_id}"] : []),
    `  region: '${region}', // or endpoint: 'https://…'`,
    ...(tokenOnly
      ? ['  // An IAM token: this operation takes no AK/SK signature.', '  credentials: { token: process.env.HUAWEICLOUD_IAM_TOKEN! },']
      : [
          '  // AK/SK signing; or credentials: { token }',
          '  credentials: {',
          '    ak: process.env.HUAWEICLOUD_SDK_AK!,',
          '    sk: process.env.HUAWEICLOUD_SDK_SK!,',
          '  },',
        ]),
    '});',
  ];
}

/**
 * True when every security requirement of the operation (or of the spec) uses only X-Auth-Token schemes: the
 * operation takes an IAM token and no AK/SK signature.
 */
export function tokenOnly(spec, op) {
  const requirements = op.security ?? spec.security ?? [];
  const schemes = spec.components?.securitySchemes ?? {};
  const isToken = (name) => schemes[name]?.type === 'apiKey' && schemes[name]?.name === 'X-Auth-Token';
  return requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0 && Object.keys(r).every(isToken));
}

/**
 * A call through the client. `argument`: the body (operations with a body) or the query object (GET/DELETE); an
 * operation with neither is called with no argument. `noContent`: the HTTP status of a success without a body,
 * shown instead of `data`. `path`: the operation's path, whose variables decide the client's options. `tokenOnly`: the
 * operation takes an IAM token only.
 */
export function typescriptSample({ operationId, deprecated, noContent, argument, region, source, path = '', tokenOnly = false }) {
  const method = methodName(operationId);
  const result = noContent ? '{ error, response }' : '{ data, error }';
  return [
    ...clientSetup(region, { domainId: pathVariablesOf(path).includes('domain_id'), tokenOnly }),
    '',
    ...(deprecated ? ["// Deprecated: see the operation's description."] : []),
    `// ${source}`,
    `const ${result} = await vod.${method}(${argument === undefined ? '' : tsLiteral(argument)});`,
    'if (error) throw new Error(`${error.error_code}: ${error.error_msg}`);',
    noContent ? `console.log(response.status); // ${noContent}, no body` : 'console.log(data);',
  ].join('\n');
}

/** The status of the operation's success response when it has no body (e.g. '204'), else undefined. */
export function noContentStatus(op) {
  const success = Object.keys(op.responses ?? {}).filter((code) => /^2/.test(code));
  if (success.some((code) => op.responses[code].content)) return undefined;
  return success[0];
}

/**
 * The variants an operation's samples come in: one per named request example, or one built from the
 * parameters' examples for an operation without a body. `{ title, source, body?, query? }`.
 */
export function sampleVariants(spec, { op, pathItem }) {
  // The samples send path and query parameters only: a header or cookie parameter would be left out silently.
  const unsent = parametersOf(spec, op, pathItem).filter((p) => !['path', 'query'].includes(p.in));
  if (unsent.length) {
    throw new Error(`${op.operationId}: the code samples cannot send ${unsent.map((p) => `${p.in} parameter ${p.name}`).join(', ')}`);
  }
  const query = queryExample(spec, op, pathItem);
  const hasQuery = Object.keys(query).length > 0;
  const media = resolve(spec, op.requestBody)?.content?.['application/json'];
  if (media) {
    return requestExamples(spec, op).map((e) => ({
      title: e.summary,
      source: `Body: the "${e.summary}" request example`,
      body: e.value,
      query: hasQuery ? query : undefined,
    }));
  }
  return [{ title: 'Query', source: hasQuery ? "Query: the parameters' examples in the spec" : 'No body and no query parameters', query }];
}

/**
 * Every sample of every operation: operationId → `{ method, path, examples: [title…], curl: [source…],
 * typescript: [source…] }`, the arrays in the order of the operation's request examples.
 * @returns {Record<string, { method: string, path: string, examples: string[], curl: string[], typescript: string[] }>}
 */
export function allSamples(spec) {
  /** @type {Record<string, { method: string, path: string, examples: string[], curl: string[], typescript: string[] }>} */
  const result = {};
  for (const entry of operations(spec)) {
    const { path, method, op, pathItem } = entry;
    const { url: serverUrl, region } = operationServer(spec, op, pathItem);
    const noContent = noContentStatus(op);
    const variants = sampleVariants(spec, entry);
    result[op.operationId] = {
      method,
      path,
      examples: variants.map((v) => v.title),
      curl: variants.map((v) =>
        curlSample({
          serverUrl,
          path,
          method,
          body: v.body,
          query: v.query ? serializeQuery(spec, op, pathItem, v.query) : '',
          source: v.source,
        }),
      ),
      typescript: variants.map((v) =>
        typescriptSample({
          operationId: op.operationId,
          deprecated: Boolean(op.deprecated),
          noContent,
          // A body operation takes its body; GET/DELETE take the query object (PLAN: the client API).
          argument: v.body ?? (v.query && Object.keys(v.query).length ? v.query : undefined),
          region,
          source: v.source,
          path,
          tokenOnly: tokenOnly(spec, op),
        }),
      ),
    };
  }
  return result;
}

/**
 * operationId → its x-codeSamples (curl, then TypeScript) for every operation: the first example's. Redoc
 * shows x-codeSamples per operation, not per example; docs/template.hbs swaps in the selected example's samples
 * from allSamples().
 * @returns {Record<string, { lang: string, label: string, source: string }[]>}
 */
export function codeSamples(spec) {
  return Object.fromEntries(
    Object.entries(allSamples(spec)).map(([id, s]) => [
      id,
      [
        { lang: 'Shell', label: 'curl', source: s.curl[0] },
        { lang: 'TypeScript', label: 'TypeScript', source: s.typescript[0] },
      ],
    ]),
  );
}
