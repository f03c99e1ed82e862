// The spec's schemas as one JSON Schema 2020-12 document, and the Ajv that checks them (vendor keywords
// included). Kept apart from build.mjs, which loads openapi-typescript and TypeScript, so that tests and the
// contract suite start fast.
import Ajv2020 from 'ajv/dist/2020.js';
import { vendorKeywords } from './vendor-keywords.mjs';

/** A JSON Schema 2020-12 document holding the spec's component schemas under $defs. */
export function schemaDocument(spec, id = 'vod.json') {
  const defs = JSON.parse(JSON.stringify(spec.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
  return { $id: id, $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: defs };
}

/** An Ajv (2020-12) that knows the vendor keywords; shared by the build and the tests. */
export function createAjv(options = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, logger: false, ...options });
  for (const keyword of vendorKeywords) ajv.addKeyword(keyword);
  // OpenAPI's `format: int64` (the pages' Long) only documents the width: `type: integer` already says what JSON
  // can check. `true` makes Ajv accept the format without generating code for it (strict mode rejects unknown ones).
  ajv.addFormat('int64', true);
  // Formats that document a string's kind (a URL, a date) are annotations here too: the service's own checks are
  // not documented precisely enough to enforce them before sending, and a format validator would make the shipped
  // validators import code.
  for (const format of ['int32', 'float', 'double', 'uri', 'url', 'date-time', 'date']) ajv.addFormat(format, true);
  return ajv;
}
