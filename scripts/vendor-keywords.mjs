// Ajv keywords for the spec's vendor extensions (documented in spec/openapi.yaml info.description).
// They generate inline code, so that the standalone validators need no runtime helper and no schema compiler.
import { _, str } from 'ajv';
import codegen from 'ajv/dist/compile/codegen/code.js';

const { _Code } = codegen;

// UTF-8 byte length of a JavaScript string without encoding it: a surrogate pair is 4 bytes, a lone surrogate 3
// (TextEncoder writes it as U+FFFD). Written once into the standalone validators. Kept as source text (and
// compiled from it for the build's own Ajv) because Function#toString would give whatever a test runner's
// transform made of it, and the generated file must be the same wherever it is built.
const UTF8_LENGTH_SOURCE = `function utf8Length(s) {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}`;

/** @type {(s: string) => number} */
export const utf8Length = new Function(`return ${UTF8_LENGTH_SOURCE}`)();

const utf8LengthOf = (gen, data) =>
  _`${gen.scopeValue('func', { ref: utf8Length, code: new _Code(UTF8_LENGTH_SOURCE) })}(${data})`;

/** x-max-bytes: N — the string takes at most N bytes of UTF-8. */
export const maxBytes = {
  keyword: 'x-max-bytes',
  type: 'string',
  schemaType: 'number',
  error: { message: ({ schema }) => str`exceeds ${schema} UTF-8 bytes` },
  code(cxt) {
    cxt.fail(_`${utf8LengthOf(cxt.gen, cxt.data)} > ${cxt.schema}`);
  },
};

/** x-separated-list: {separator, maxItems, maxItemBytes} — a joined list with a count and a per-item byte limit. */
export const separatedList = {
  keyword: 'x-separated-list',
  type: 'string',
  schemaType: 'object',
  error: {
    message: ({ params }) => str`${params.rule}`,
  },
  code(cxt) {
    const { gen, data, schema } = cxt;
    const items = gen.const('items', _`${data}.split(${schema.separator})`);
    gen.if(_`${items}.length > ${schema.maxItems}`, () =>
      cxt.error(false, { rule: str`has more than ${schema.maxItems} items separated by "${schema.separator}"` }),
    );
    gen.if(_`${items}.some((item) => ${utf8LengthOf(gen, _`item`)} > ${schema.maxItemBytes})`, () =>
      cxt.error(false, { rule: str`has an item over ${schema.maxItemBytes} UTF-8 bytes` }),
    );
  },
};

/** x-transient-values: [...] — annotation only (the enum values that are still changing); nothing to validate. */
export const transientValues = {
  keyword: 'x-transient-values',
  schemaType: 'array',
};

/** x-failure-values: [...] — annotation only (the enum values that mean the work failed). */
export const failureValues = {
  keyword: 'x-failure-values',
  schemaType: 'array',
};

/** x-enumDescriptions: { value: text } — annotation only (each enum value's meaning, rendered by Redoc). */
export const enumDescriptions = {
  keyword: 'x-enumDescriptions',
  schemaType: 'object',
};

export const vendorKeywords = [maxBytes, separatedList, transientValues, failureValues, enumDescriptions];
