// Ajv keywords for the spec's vendor extensions (documented in spec/openapi.yaml info.description).
// They generate inline code, so that the standalone validators need no runtime helper and no schema compiler.
import { _, str } from 'ajv';

const utf8Length = (data) => _`new TextEncoder().encode(${data}).length`;

/** x-max-bytes: N — the string takes at most N bytes of UTF-8. */
export const maxBytes = {
  keyword: 'x-max-bytes',
  type: 'string',
  schemaType: 'number',
  error: { message: ({ schema }) => str`exceeds ${schema} UTF-8 bytes` },
  code(cxt) {
    cxt.fail(_`${utf8Length(cxt.data)} > ${cxt.schema}`);
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
    gen.if(_`${items}.some((item) => ${utf8Length(_`item`)} > ${schema.maxItemBytes})`, () =>
      cxt.error(false, { rule: str`has an item over ${schema.maxItemBytes} UTF-8 bytes` }),
    );
  },
};

export const vendorKeywords = [maxBytes, separatedList];
