// The bundled spec and the same Ajv as test/helpers/spec.ts's specAjv() (2020-12 over the bundle's schemas, with
// the byte limits of x-max-bytes and x-separated-list), built without importing scripts/build.mjs: that module
// loads openapi-typescript, and with it TypeScript, at import, which costs 1.2 s of every run of the contract
// suite (and the power test runs it 17 times). test/contract-power/power.test.ts checks that both Ajvs agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type KeywordDefinition } from 'ajv/dist/2020.js';
import { root } from '../../scripts/paths.mjs';
import { vendorKeywords } from '../../scripts/vendor-keywords.mjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const spec: Json = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));

/** scripts/build.mjs's createAjv({ strict: false }) with schemaDocument(spec) added, as specAjv() does. */
export function contractAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: false, strictRequired: false, logger: false });
  for (const keyword of vendorKeywords) ajv.addKeyword(keyword as KeywordDefinition);
  const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
  ajv.addSchema({ $id: 'vod.json', $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: defs });
  return ajv;
}

export type Validator = NonNullable<ReturnType<ReturnType<typeof contractAjv>['getSchema']>>;

/** The validator for a schema of the bundle, e.g. `#/components/schemas/ErrorResponse`. */
export function schemaAt(ajv: ReturnType<typeof contractAjv>, ref: string): Validator {
  const validate = ajv.getSchema(`vod.json${ref.replace('#/components/schemas/', '#/$defs/')}`);
  if (!validate) throw new Error(`no schema at ${ref}`);
  return validate;
}

/** Resolves a `$ref` inside the bundled spec. */
export function deref(node: Json): Json {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return node;
  const path = node.$ref.replace(/^#\//, '').split('/').map((p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return deref(path.reduce((at: Json, key: string) => at?.[key], spec));
}

/** The path and operation object for an operationId. */
export function operation(operationId: string): { path: string; op: Json } {
  for (const [path, item] of Object.entries<Json>(spec.paths)) {
    for (const op of Object.values<Json>(item)) {
      if (op?.operationId === operationId) return { path, op };
    }
  }
  throw new Error(`no operation ${operationId}`);
}
