// The bundled spec and Ajv validators over it, for tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAjv, schemaDocument } from '../../scripts/schema.mjs';
import { root } from '../../scripts/paths.mjs';

export { root };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Validator = NonNullable<ReturnType<ReturnType<typeof specAjv>['getSchema']>>;

export const spec: Json = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));

/**
 * Ajv 2020-12 over the bundled spec's schemas. With `vendorKeywords` (the default) it also enforces the byte
 * limits of x-max-bytes and x-separated-list, like the client; without, it sees what plain JSON Schema (and so
 * Prism) can see.
 */
export function specAjv({ vendorKeywords = true } = {}) {
  const ajv = createAjv({ strict: false });
  if (!vendorKeywords) {
    ajv.removeKeyword('x-max-bytes');
    ajv.removeKeyword('x-separated-list');
  }
  ajv.addSchema(schemaDocument(spec));
  return ajv;
}

/** Validates `value` against a JSON pointer into the bundled spec (e.g. `#/components/schemas/Thumbnail`). */
export function schemaAt(ajv: ReturnType<typeof specAjv>, ref: string): Validator {
  const local = ref.replace('#/components/schemas/', '#/$defs/');
  const validate = ajv.getSchema(`vod.json${local}`);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

/** Resolves a `$ref` inside the bundled spec. */
export function deref(node: Json): Json {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return node;
  const path = node.$ref.replace(/^#\//, '').split('/').map((p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return deref(path.reduce((at: Json, key: string) => at?.[key], spec));
}

/** The operation object for an operationId. */
export function operation(operationId: string): { path: string; op: Json } {
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const op of Object.values<Json>(item)) {
      if (op?.operationId === operationId) return { path, op };
    }
  }
  throw new Error(`no operation ${operationId}`);
}
