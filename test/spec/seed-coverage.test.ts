// Reads Huawei's seed pages (test/fixtures/seeds, copies of shared/seeds) and checks every field of their
// tables against the bundled spec: presence, type, required flag, enum, range, default and byte limit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deref, root, spec, type Json } from '../helpers/spec.js';

const seed = (name: string) => readFileSync(join(root, 'test/fixtures/seeds', name), 'utf8');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

interface SeedField {
  table: string;
  name: string;
  required: boolean;
  type: string;
  description: string;
  descriptionHtml: string;
}

/** Rows of the table that follows `**表 N**  title`, as cells; `columns` names the name/required/type/description cells. */
function tableRows(page: string, caption: RegExp, columns: { name: number; required: number; type: number; description: number }) {
  const start = page.search(caption);
  if (start < 0) throw new Error(`no table ${caption}`);
  const body = page.slice(start, page.indexOf('</table>', start));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!))
    .filter((cells) => cells.length >= 4)
    .map((cells) => ({
      name: text(cells[columns.name]!),
      required: ['是', 'M'].includes(text(cells[columns.required]!)),
      type: text(cells[columns.type]!),
      description: text(cells[columns.description]!),
      descriptionHtml: cells[columns.description]!,
    }));
}

const reproduction = seed('003_c84cc7a0066319c4.txt');
const smartCover = seed('000_b7b6d8cf010cf3e4.txt');
const standard = { name: 0, required: 1, type: 2, description: 3 };
const fields: SeedField[] = [
  ...tableRows(reproduction, /\*\*表 3\*\*/, standard).map((f) => ({ ...f, table: 'PublishAssetFromObsRequest' })),
  ...tableRows(reproduction, /\*\*表 4\*\*/, standard).map((f) => ({ ...f, table: 'Thumbnail' })),
  ...tableRows(reproduction, /\*\*表 5\*\*/, standard).map((f) => ({ ...f, table: 'Review' })),
  ...tableRows(reproduction, /\*\*表 6\*\*/, standard).map((f) => ({ ...f, table: 'FileAddr' })),
  ...tableRows(smartCover, /\*\*表 1\*\*/, { name: 0, type: 1, description: 2, required: 3 }).map((f) => ({
    ...f,
    table: 'SmartCoverRequest',
  })),
];

// Where vod-facts.md §1 says to follow the official SDK models instead of the seed.
const requiredOverrides: Record<string, boolean> = { 'PublishAssetFromObsRequest.input': true };
const objectTypes: Record<string, string> = { Thumbnail: 'Thumbnail', Review: 'Review', File_addr: 'FileAddr' };

function property(field: SeedField): Json {
  return spec.components.schemas[field.table].properties[field.name];
}

describe('every field of the seed tables is in the spec', () => {
  it('finds all the tables and fields', () => {
    expect(fields.map((f) => `${f.table}.${f.name}`)).toHaveLength(16 + 7 + 1 + 3 + 1);
  });

  it.each(fields.map((f) => [`${f.table}.${f.name}`, f] as const))('%s', (key, field) => {
    const schema = spec.components.schemas[field.table];
    const prop = property(field);
    expect(prop, `${key} is missing`).toBeDefined();
    expect(prop.description, `${key} needs a description`).toMatch(/\S{3}/);

    // Type
    const target = deref(prop);
    const objectType = field.type.match(/^(\w+) object$/)?.[1];
    if (objectType) expect(prop.$ref).toBe(`#/components/schemas/${objectTypes[objectType]}`);
    else if (field.type === 'Array of integers') expect([target.type, target.items.type]).toEqual(['array', 'integer']);
    else expect(target.type).toBe({ String: 'string', Integer: 'integer' }[field.type]);

    // Required flag
    const required = requiredOverrides[key] ?? field.required;
    expect((schema.required ?? []).includes(field.name), `${key} required`).toBe(required);
    if (key in requiredOverrides) expect(prop.description).toMatch(/seed/);

    // Enumerated values: "<li><p>0：…" / "time：…" / "dots: …", or the video_type list "MP4、TS、…"
    const listed = [...field.descriptionHtml.matchAll(/<li><p>([A-Za-z0-9]+)\s*[：:]/g)].map((m) => m[1]!);
    const formats = [...field.description.matchAll(/(?:视频文件|音频文件)：([A-Z0-9、]+)/g)].flatMap((m) => m[1]!.split('、'));
    const values = formats.length ? formats : listed;
    if (values.length) {
      const expected = values.map((v) => (target.type === 'integer' ? Number(v) : v));
      expect(target.enum, `${key} enum`).toEqual(expected);
    }

    // Default, range, byte limits
    const def = field.description.match(/默认值：\s*(-?\d+)/)?.[1];
    if (def !== undefined) expect(target.default, `${key} default`).toBe(Number(def));
    const range = field.description.match(/\[(\d+),(\d+)\]/);
    if (range) expect([target.minimum, target.maximum]).toEqual([Number(range[1]), Number(range[2])]);
    const bytes = field.description.match(/长度不超过(\d+)个字节/)?.[1];
    if (bytes) expect([target['x-max-bytes'], target.maxLength]).toEqual([Number(bytes), Number(bytes)]);
    const tagBytes = field.description.match(/单个标签不超过(\d+)个字节，最多不超过(\d+)个标签/);
    if (tagBytes) {
      expect(target['x-separated-list']).toEqual({ separator: ',', maxItemBytes: Number(tagBytes[1]), maxItems: Number(tagBytes[2]) });
    }
  });

  it('closes every request schema and declares no property the seed lacks', () => {
    for (const table of new Set(fields.map((f) => f.table))) {
      const schema = spec.components.schemas[table];
      expect(schema.additionalProperties, table).toBe(false);
      expect(Object.keys(schema.properties).sort()).toEqual(fields.filter((f) => f.table === table).map((f) => f.name).sort());
    }
  });
});
