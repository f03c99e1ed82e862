// Cross-field rules for the docs. The spec states them as `allOf: [{ if, then }]`, which validators (Ajv, Prism,
// the client) enforce; Redoc renders that allOf as "One of: case 1 / case 2" with case 1's `then.required` shown
// as required fields, so the docs would state a wrong contract. The docs-only copy of the spec therefore replaces
// each such allOf by a "Cross-field rules" list in the schema's description, written from the same if/then.
// Only the shapes the spec uses are understood; anything else fails the build rather than being shown wrongly.

const code = (text) => `\`${text}\``;
const value = (v) => code(typeof v === 'string' ? v : JSON.stringify(v));
const and = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

const isRule = (s) => s && typeof s === 'object' && 'if' in s && 'then' in s;
/** True when every member of the schema's allOf is an if/then rule. */
export const hasOnlyRules = (schema) => Array.isArray(schema?.allOf) && schema.allOf.length > 0 && schema.allOf.every(isRule);

/** "`storage_mode` is `1`", from an `if` of required names and const/enum properties. */
function condition(ifSchema, prefix, where) {
  const { required = [], properties = {}, ...rest } = ifSchema;
  if (Object.keys(rest).length) throw new Error(`${where}: unsupported keywords in if: ${Object.keys(rest).join(', ')}`);
  const parts = [];
  for (const [name, p] of Object.entries(properties)) {
    const { const: c, enum: e, ...other } = p;
    if (Object.keys(other).length) throw new Error(`${where}: unsupported condition on ${name}: ${Object.keys(other)}`);
    if (c !== undefined) parts.push(`${code(prefix + name)} is ${value(c)}`);
    else if (e) parts.push(`${code(prefix + name)} is one of ${e.map(value).join(', ')}`);
    else throw new Error(`${where}: no const or enum on ${name}`);
  }
  // A required name without a value condition means "is set"; with one, "is `1`" already implies it.
  for (const name of required) if (!(name in properties)) parts.push(`${code(prefix + name)} is set`);
  if (!parts.length) throw new Error(`${where}: an if without a condition`);
  return and(parts);
}

/** "an integer, a multiple of 2, in [32, 3840]", from the value keywords of a property in a `then`. */
function constraint(p, where) {
  const { type, const: c, enum: e, minimum, maximum, multipleOf, minLength, maxLength, pattern, description, title, ...rest } = p;
  if (Object.keys(rest).length) throw new Error(`${where}: unsupported keywords in then: ${Object.keys(rest).join(', ')}`);
  const parts = [];
  if (c !== undefined) parts.push(`${value(c)}`);
  if (e) parts.push(`one of ${e.map(value).join(', ')}`);
  if (type) parts.push({ integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean' }[type] ?? `of type ${type}`);
  if (multipleOf !== undefined) parts.push(`a multiple of ${multipleOf}`);
  if (minimum !== undefined && maximum !== undefined) parts.push(`in [${minimum}, ${maximum}]`);
  else if (minimum !== undefined) parts.push(`at least ${minimum}`);
  else if (maximum !== undefined) parts.push(`at most ${maximum}`);
  if (minLength !== undefined) parts.push(`at least ${minLength} characters`);
  if (maxLength !== undefined) parts.push(`at most ${maxLength} characters`);
  if (pattern !== undefined) parts.push(`matching ${code(pattern)}`);
  if (!parts.length) throw new Error(`${where}: a then property without a constraint`);
  return parts.join(', ');
}

/**
 * "`output_bucket` and `output_path` are required", "`width` is an integer, … in [32, 3840]", from a `then` of
 * required names and property constraints (`additionalProperties: true` adds nothing and is ignored).
 */
function requirement(thenSchema, prefix, where) {
  const { required = [], properties = {}, additionalProperties, ...rest } = thenSchema;
  if (Object.keys(rest).length || (additionalProperties !== undefined && additionalProperties !== true)) {
    throw new Error(`${where}: unsupported keywords in then: ${JSON.stringify(thenSchema)}`);
  }
  const parts = [];
  if (required.length) {
    const names = required.map((n) => code(prefix + n));
    parts.push(`${and(names)} ${names.length > 1 ? 'are' : 'is'} required`);
  }
  for (const [name, p] of Object.entries(properties)) parts.push(`${code(prefix + name)} is ${constraint(p, where)}`);
  if (!parts.length) throw new Error(`${where}: a then that requires nothing`);
  return parts.join('; ');
}

/** The schema's rules as sentences, e.g. "When `auto_encrypt` is `1`: `template_group_name` is required." */
export function ruleSentences(schema, prefix = '', where = 'schema') {
  if (!hasOnlyRules(schema)) return [];
  return schema.allOf.map((rule, i) => {
    if ('else' in rule) throw new Error(`${where}/allOf/${i}: else is not supported`);
    return `When ${condition(rule.if, prefix, where)}: ${requirement(rule.then, prefix, where)}.`;
  });
}

const rulesMarkdown = (sentences) => `**Cross-field rules** (besides the fields marked required):\n\n${sentences.map((s) => `- ${s}`).join('\n')}`;

const refName = (s) => s?.$ref?.match(/^#\/components\/schemas\/(.+)$/)?.[1];

/**
 * Rewrites the docs copy of the spec in place. Every named schema whose allOf is only if/then rules loses the
 * allOf, and its rules are written where Redoc shows them:
 * - the schema's own description (shown where the schema is shown on its own);
 * - the description of each property that refers to it (Redoc shows a $ref's sibling description instead of the
 *   target's);
 * - the description of each request body whose schema is, or contains, it, with nested rules named by their path
 *   (`thumbnail.type`), since Redoc does not show a body schema's own description.
 * @returns {Record<string, string[]>} schema name → every rule that applies inside it (nested ones prefixed)
 */
export function rulesToDescriptions(spec) {
  const schemas = spec.components?.schemas ?? {};
  const own = Object.fromEntries(
    Object.entries(schemas).map(([name, s]) => [name, (prefix = '') => ruleSentences(s, prefix, `#/components/schemas/${name}`)]),
  );
  // Every rule inside a schema: its own, then those of the named schemas its properties (or array items) refer to.
  const all = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const nested = Object.entries(schema.properties ?? {}).flatMap(([prop, p]) => {
      const target = refName(p) ?? refName(p?.items);
      return target && target !== name && schemas[target] ? own[target](`${prop}.`) : [];
    });
    all[name] = [...own[name](), ...nested];
  }
  for (const [name, schema] of Object.entries(schemas)) {
    const sentences = own[name]();
    if (sentences.length) schema.description = append(schema.description, sentences);
    for (const p of Object.values(schema.properties ?? {})) {
      const target = refName(p);
      if (target && p.description !== undefined && schemas[target] && own[target]().length) {
        p.description = append(p.description, own[target]());
      }
    }
  }
  for (const schema of Object.values(schemas)) if (hasOnlyRules(schema)) delete schema.allOf;

  for (const pathItem of Object.values(spec.paths ?? {})) {
    for (const op of Object.values(pathItem)) {
      for (const media of Object.values(op?.requestBody?.content ?? {})) {
        const target = refName(media.schema);
        if (target && all[target]?.length) op.requestBody.description = append(op.requestBody.description, all[target]);
      }
    }
  }
  // An if/then left anywhere else (inline) would be mis-rendered the same way.
  if (/"if":\{/.test(JSON.stringify(spec))) {
    throw new Error('an if/then outside components.schemas: teach scripts/docs-rules.mjs to render it');
  }
  return Object.fromEntries(Object.entries(all).filter(([, s]) => s.length));
}

const append = (description, sentences) => `${(description ?? '').trimEnd()}\n\n${rulesMarkdown(sentences)}\n`.trimStart();
