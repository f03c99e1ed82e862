// House-style lint rules that configurable rules cannot express precisely: they must tell a real property from
// the `properties` of an `if` condition, and a request schema from a response schema.

const isObjectSchema = (s) => s && (s.type === 'object' || s.properties !== undefined);

const isIfCondition = (ctx) => /\/if(\/|$)/.test(ctx.location.pointer);

// Every property of every schema carries a description (a $ref'd property may carry it beside the $ref).
function PropertyDescription() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (ctx.location.pointer.includes('/if')) return;
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          const own = prop && prop.description;
          const target = prop && prop.$ref ? ctx.resolve(prop).node : prop;
          if (!own && !(target && target.description)) {
            ctx.report({
              message: `Property "${name}" has no description.`,
              location: ctx.location.child(['properties', name]),
            });
          }
        }
      },
    },
  };
}

// Calls visit(schema, where) for a schema and every subschema that describes data (properties, items, and the
// branches of allOf/anyOf/oneOf and then/else; not `if` conditions), following $refs relative to their own file.
function walkSchema(schema, ctx, from, where, visit, seen = new Set()) {
  if (!schema || typeof schema !== 'object') return;
  let node = schema;
  if (schema.$ref) {
    const resolved = ctx.resolve(schema, from);
    node = resolved.node;
    from = resolved.location?.source.absoluteRef ?? from;
  }
  if (!node || seen.has(node)) return;
  seen.add(node);
  visit(node, where);
  const next = (sub, path) => walkSchema(sub, ctx, from, `${where}/${path}`, visit, seen);
  for (const [name, prop] of Object.entries(node.properties ?? {})) next(prop, `properties/${name}`);
  if (node.items) next(node.items, 'items');
  for (const key of ['allOf', 'anyOf', 'oneOf']) (node[key] ?? []).forEach((s, i) => next(s, `${key}/${i}`));
  for (const key of ['then', 'else']) if (node[key]) next(node[key], key);
}

// Request bodies are closed: every object schema reachable from a request body says additionalProperties: false,
// so that a misspelt field is an error instead of being silently dropped by the server. Response schemas are
// not checked: they stay open so that a server adding a field does not break clients.
function ClosedRequestSchemas() {
  return {
    RequestBody: {
      enter(requestBody, ctx) {
        for (const [type, media] of Object.entries(requestBody.content ?? {})) {
          walkSchema(media.schema, ctx, ctx.location.source.absoluteRef, 'schema', (node, where) => {
            if (isObjectSchema(node) && node.additionalProperties !== false) {
              ctx.report({
                message: `Request schemas are closed: ${type} ${where} must set additionalProperties: false.`,
                location: ctx.location.child(['content', type, 'schema']),
              });
            }
          });
        }
      },
    },
  };
}

// Names in `required` (also inside allOf if/then/else) must be declared properties of the object they constrain.
// Replaces the built-in no-required-schema-properties-undefined, which does not see that a `then` applies to
// the enclosing object.
function RequiredPropertiesDeclared() {
  return {
    Schema: {
      enter(schema, ctx) {
        if (isIfCondition(ctx) || !schema.properties) return;
        const declared = new Set(Object.keys(schema.properties));
        const check = (names, where) => {
          for (const name of names ?? []) {
            if (declared.has(name)) continue;
            ctx.report({
              message: `"${name}" (${where}) is not a declared property of this schema.`,
              location: ctx.location.child(['properties']).key(),
            });
          }
        };
        check(schema.required, 'required');
        (schema.allOf ?? []).forEach((sub, i) => {
          check(sub.then?.required, `allOf/${i}/then/required`);
          check(sub.else?.required, `allOf/${i}/else/required`);
          check(Object.keys(sub.if?.properties ?? {}), `allOf/${i}/if/properties`);
        });
      },
    },
  };
}

// Every operation carries its API group's rate limit, x-rate-limit: { group, perTenantPerMinute, overallPerMinute }
// (from the API流控限制 table), so that clients and docs read it from the spec instead of hard-coding it. Where the
// table does not name the operation, the limit is inferred from its section and says so: inferred: true and a reason.
const RATE_LIMIT_KEYS = ['group', 'perTenantPerMinute', 'overallPerMinute', 'inferred', 'reason'];
function OperationRateLimit() {
  const positive = (n) => Number.isInteger(n) && n > 0;
  return {
    Operation: {
      enter(operation, ctx) {
        const limit = operation['x-rate-limit'];
        const problem =
          limit === undefined
            ? 'has no x-rate-limit'
            : typeof limit !== 'object' || limit === null
              ? 'has an x-rate-limit that is not an object'
              : typeof limit.group !== 'string' || limit.group === ''
                ? 'has an x-rate-limit without a group'
                : !positive(limit.perTenantPerMinute) || !positive(limit.overallPerMinute)
                  ? 'has an x-rate-limit whose perTenantPerMinute/overallPerMinute are not positive integers'
                  : limit.perTenantPerMinute > limit.overallPerMinute
                    ? 'has an x-rate-limit whose per-tenant limit exceeds the overall one'
                    : Object.keys(limit).some((k) => !RATE_LIMIT_KEYS.includes(k))
                      ? `has an x-rate-limit with keys other than ${RATE_LIMIT_KEYS.join(', ')}`
                      : limit.inferred !== undefined && limit.inferred !== true
                        ? 'has an x-rate-limit whose inferred is not true (leave it out when the table names the operation)'
                        : (limit.inferred === true) !== (typeof limit.reason === 'string' && limit.reason.length >= 20)
                          ? 'has an x-rate-limit that must give a reason (of at least 20 characters) exactly when it is inferred'
                          : undefined;
        if (problem) {
          ctx.report({
            message: `Operation ${operation.operationId ?? ''} ${problem}.`,
            location: limit === undefined ? ctx.location.child(['operationId']) : ctx.location.child(['x-rate-limit']),
          });
        }
      },
    },
  };
}

// An array in the query string can be sent as repeated keys or as one comma-separated value, and the service
// accepts only one of them: every array query parameter states `style` and `explode` instead of relying on the
// defaults, and its description says where that fact comes from.
function QueryArrayStyle() {
  return {
    Parameter: {
      enter(parameter, ctx) {
        if (parameter.in !== 'query') return;
        const schema = parameter.schema?.$ref ? ctx.resolve(parameter.schema).node : parameter.schema;
        if (schema?.type !== 'array') return;
        for (const key of ['style', 'explode']) {
          if (parameter[key] === undefined) {
            ctx.report({
              message: `Array query parameter "${parameter.name}" must declare \`${key}\` (how the service expects the array).`,
              location: ctx.location.child(['name']),
            });
          }
        }
      },
    },
  };
}

// A required array must not be empty: an empty one is sent as nothing at all (a query parameter with no value, or
// `[]` that names no asset), so the request means something else than the caller wrote. Every required array, in a
// query or a body, states `minItems` of at least 1, and the validators refuse `[]` before anything is sent.
function RequiredArrayNotEmpty() {
  const check = (schema, ctx, where, location) => {
    const resolved = schema?.$ref ? ctx.resolve(schema).node : schema;
    if (resolved?.type === 'array' && !(resolved.minItems >= 1)) {
      ctx.report({ message: `Required array ${where} must state minItems: 1 (an empty array sends nothing).`, location });
    }
  };
  return {
    Parameter: {
      enter(parameter, ctx) {
        if (parameter.in === 'query' && parameter.required) check(parameter.schema, ctx, `query parameter "${parameter.name}"`, ctx.location.child(['name']));
      },
    },
    Schema: {
      enter(schema, ctx) {
        for (const name of schema.required ?? []) {
          const property = schema.properties?.[name];
          if (property) check(property, ctx, `property "${name}"`, ctx.location.child(['properties', name]));
        }
      },
    },
  };
}

export default function houseStyle() {
  return {
    id: 'house',
    rules: {
      oas3: {
        'property-description': PropertyDescription,
        'closed-request-schemas': ClosedRequestSchemas,
        'required-properties-declared': RequiredPropertiesDeclared,
        'operation-rate-limit': OperationRateLimit,
        'query-array-style': QueryArrayStyle,
        'required-array-not-empty': RequiredArrayNotEmpty,
      },
    },
  };
}
