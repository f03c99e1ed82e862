// The per-operation surface of the client, derived from the bundled spec: one entry per operation (method, path,
// body, query parameters with their serialisation, rate limit) and the schema of each operation's query, so that the
// client, its validators and its method signatures are generated rather than written eight times by hand.

import { operations, parametersOf, resolve } from './spec-walk.mjs';

export { resolve };

/** `PublishAssetFromObs` → `publishAssetFromObs`: the client method of an operation. */
export const methodName = (operationId) => operationId[0].toLowerCase() + operationId.slice(1);

/** Every operation of the spec, in the spec's order, with its parameters resolved. */
export function specOperations(spec) {
  return operations(spec).map(({ path, method, op, pathItem }) => ({
    path,
    method,
    operation: op,
    parameters: parametersOf(spec, op, pathItem),
  }));
}

/**
 * The JSON Schema of an operation's query parameters as one object (what the client's `query` argument is), or
 * undefined when it has none. Closed like the request bodies: an unknown parameter is a typo, not a feature.
 */
export function querySchema({ parameters }) {
  const query = parameters.filter((p) => p.in === 'query');
  if (!query.length) return undefined;
  return {
    type: 'object',
    additionalProperties: false,
    required: query.filter((p) => p.required).map((p) => p.name),
    properties: Object.fromEntries(query.map((p) => [p.name, p.schema])),
  };
}

/** The runtime table of the client: what it needs to send each operation. */
export function operationTable(spec) {
  return Object.fromEntries(
    specOperations(spec).map(({ path, method, operation, parameters }) => {
      const query = parameters.filter((p) => p.in === 'query');
      // Path parameters besides project_id (the client's own): domain_id of the deprecated statistics operations.
      const pathParameters = parameters.filter((p) => p.in === 'path' && p.name !== 'project_id').map((p) => p.name);
      const body = resolve(spec, operation.requestBody);
      const schemaOf = (p) => resolve(spec, p.schema) ?? {};
      return [
        operation.operationId,
        {
          methodName: methodName(operation.operationId),
          method: method.toUpperCase(),
          path,
          ...(body ? { body: true } : {}),
          ...(query.length
            ? {
                // style form is the only one the spec uses; explode says repeated keys (true) or a comma list (false).
                query: Object.fromEntries(
                  query.map((p) => [
                    p.name,
                    {
                      array: schemaOf(p).type === 'array',
                      explode: p.explode ?? true,
                      ...(p.required ? { required: true } : {}),
                    },
                  ]),
                ),
              }
            : {}),
          ...(pathParameters.length ? { pathParameters } : {}),
          ...(operation['x-rate-limit'] ? { rateLimit: rateLimitOf(operation['x-rate-limit']) } : {}),
          ...(operation['x-pagination'] ? { pagination: operation['x-pagination'] } : {}),
          ...(isSensitive(spec, operation) ? { sensitive: true } : {}),
          ...(operation.deprecated ? { deprecated: true } : {}),
        },
      ];
    }),
  );
}

// The client needs the group and the numbers; whether they were inferred is documentation.
const rateLimitOf = ({ group, perTenantPerMinute, overallPerMinute }) => ({ group, perTenantPerMinute, overallPerMinute });

/**
 * Whether an operation's success response carries key material (`x-sensitive: true` on the response schema or on
 * one of its properties): the client then keeps the data out of inspection and logs.
 */
function isSensitive(spec, operation) {
  const seen = new Set();
  const walk = (node) => {
    const schema = resolve(spec, node);
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return false;
    seen.add(schema);
    if (schema['x-sensitive'] === true || node['x-sensitive'] === true) return true;
    return [...Object.values(schema.properties ?? {}), schema.items].some((child) => child && walk(child));
  };
  return Object.entries(operation.responses ?? {}).some(
    ([status, response]) => status.startsWith('2') && walk(resolve(spec, response)?.content?.['application/json']?.schema),
  );
}

/** The statuses in which an asset is still being processed (AssetStatus's x-transient-values), or []. */
export function transientStatuses(spec) {
  return spec.components?.schemas?.AssetStatus?.['x-transient-values'] ?? [];
}

/** The statuses that mean the work on an asset failed (AssetStatus's x-failure-values), or []. */
export function failureStatuses(spec) {
  return spec.components?.schemas?.AssetStatus?.['x-failure-values'] ?? [];
}

const jsdoc = (lines, indent = '  ') => `${indent}/**\n${lines.map((l) => `${indent} * ${l}`.trimEnd()).join('\n')}\n${indent} */`;

/** The documentation lines of an operation, for its method and its definition. */
function docLines(entry, table) {
  const { path, method, operation } = entry;
  const id = operation.operationId;
  const limit = operation['x-rate-limit'];
  return [
    `${method.toUpperCase()} ${path}: ${operation.summary ?? id}.`,
    ...(limit
      ? [
          `Rate limit (${limit.group}${limit.inferred ? ', inferred' : ''}): ${limit.perTenantPerMinute} calls/min per tenant, ${limit.overallPerMinute} overall.`,
        ]
      : []),
    ...(table[id].body ? ['The body is validated against the spec before anything is sent.'] : []),
    ...(table[id].query ? ['The query is validated against the spec before anything is sent.'] : []),
    ...(table[id].pagination ? ['Paged: `paginate(client, ' + `'${methodName(id)}'` + ', query)` walks every page.'] : []),
    ...(operation.deprecated ? [`@deprecated ${deprecationNote(operation)}`] : []),
  ];
}

/**
 * Every generated module of the client's operations, path → content:
 * - `generated/operations/<OperationId>.ts`: one module per operation, its definition (route, query styles, rate
 *   limit, paging, validator), so that a bundler keeps only the operations an app imports;
 * - `generated/operations/index.ts`: all of them, and `allOperations` for the client that offers every one;
 * - `generated/operations.ts`: the types (`OperationId`, `OperationMethods` with one documented signature each);
 * - `generated/asset-status.ts`: AssetStatus's transient and failure values, for waitForAsset.
 */
export function operationModules(spec, header, validatorNames) {
  // validatorNames: the exports of generated/validators.ts (a Set).
  const table = operationTable(spec);
  const entries = specOperations(spec);
  const files = {};
  for (const entry of entries) {
    const id = entry.operation.operationId;
    const def = table[id];
    const name = def.body ? id : def.query ? `${id}Query` : undefined;
    const validator = name && validatorNames.has(name) ? name : undefined;
    const data = JSON.stringify({ id, ...def }, null, 2).replace(/\n}$/, '');
    files[`generated/operations/${id}.ts`] = `// ${header}
${validator ? `import { ${validator} as validate } from '../validators.js';\n` : ''}import type { Validator } from '../../src/internal/operation-def.js';

${jsdoc(docLines(entry, table), '')}
export const ${id} = ${data},
  validate: ${validator ? 'validate as Validator' : 'undefined'},
} as const;
`;
  }
  const ids = entries.map((e) => e.operation.operationId);
  files['generated/operations/index.ts'] = `// ${header}
// Every operation's definition, one module each: import only those you call (a bundler drops the others).
${ids.map((id) => `import { ${id} } from './${id}.js';`).join('\n')}

export { ${ids.join(', ')} };

/** Every operation of the spec, in the spec's order: what createVodClient offers. */
export const allOperations = [${ids.join(', ')}] as const;
`;
  const methods = entries.map((entry) => {
    const id = entry.operation.operationId;
    return `${jsdoc(docLines(entry, table))}\n  ${methodName(id)}: OperationMethod<'${id}'>;`;
  });
  files['generated/operations.ts'] = `// ${header}
// The client's per-operation types, derived from the spec by scripts/operations.mjs.
import type { OperationMethod } from '../src/operation-types.js';

/** Every operationId of the spec. */
export type OperationId =
${ids.map((id) => `  | '${id}'`).join('\n')};

/**
 * The operations whose list is paged (\`x-pagination\`), by client method: the operation and the response field that
 * holds each page's items. paginate() walks them.
 */
export interface PaginatedMethods {
${ids.filter((id) => table[id].pagination).map((id) => `  ${methodName(id)}: { id: '${id}'; items: '${table[id].pagination.items}' };`).join('\n')}
}

/** One method per operation of the spec, named after its operationId in lowerCamelCase. */
export interface OperationMethods {
${methods.join('\n')}
}
`;
  files['generated/asset-status.ts'] = `// ${header}

/**
 * Asset statuses in which VOD is still working on the asset (the spec's AssetStatus \`x-transient-values\`):
 * waitForAsset polls while the status is one of these.
 */
export const transientAssetStatuses = ${JSON.stringify(transientStatuses(spec))} as const;

/**
 * Asset statuses that mean VOD's work on the asset failed (the spec's AssetStatus \`x-failure-values\`): a result of
 * waitForAsset to handle (the asset's \`description\` says why), not an error of the call.
 */
export const failedAssetStatuses: readonly string[] = ${JSON.stringify(failureStatuses(spec))};
`;
  return files;
}

function deprecationNote(operation) {
  const first = String(operation.description ?? '').split(/\n\s*\n/)[0].replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return first || 'This operation is deprecated.';
}
