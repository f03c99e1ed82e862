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
                  query.map((p) => [p.name, { array: schemaOf(p).type === 'array', explode: p.explode ?? true }]),
                ),
              }
            : {}),
          ...(operation['x-rate-limit'] ? { rateLimit: operation['x-rate-limit'] } : {}),
        },
      ];
    }),
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

const jsdoc = (lines) => `  /**\n${lines.map((l) => `   * ${l}`.trimEnd()).join('\n')}\n   */`;

/** The TypeScript module: the table, the transient statuses, and one documented method signature per operation. */
export function operationsModule(spec, header) {
  const table = operationTable(spec);
  const methods = specOperations(spec).map(({ path, method, operation }) => {
    const id = operation.operationId;
    const limit = operation['x-rate-limit'];
    const lines = [
      `${method.toUpperCase()} ${path}: ${operation.summary ?? id}.`,
      ...(limit
        ? [
            `Rate limit (${limit.group}): ${limit.perTenantPerMinute} calls/min per tenant, ${limit.overallPerMinute} overall.`,
          ]
        : []),
      ...(table[id].body ? ['The body is validated against the spec before anything is sent.'] : []),
      ...(table[id].query ? ['The query is validated against the spec before anything is sent.'] : []),
      ...(operation.deprecated ? [`@deprecated ${deprecationNote(operation)}`] : []),
    ];
    return `${jsdoc(lines)}\n  ${methodName(id)}: OperationMethod<'${id}'>;`;
  });
  return `// ${header}
// The client's per-operation surface, derived from the spec by scripts/operations.mjs.
import type { OperationMethod } from '../src/operation-types.js';

/** How to send each operation: its client method, HTTP method, path, body, query parameters and rate limit. */
export const operationTable = ${JSON.stringify(table, null, 2)} as const;

export type OperationId = keyof typeof operationTable;

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

/** One method per operation of the spec, named after its operationId in lowerCamelCase. */
export interface OperationMethods {
${methods.join('\n')}
}
`;
}

function deprecationNote(operation) {
  const first = String(operation.description ?? '').split(/\n\s*\n/)[0].replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return first || 'This operation is deprecated.';
}
