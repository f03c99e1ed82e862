// A reader for Huawei's VOD API pages (the zh-CN markdown export with HTML tables, copied to
// test/fixtures/vod-api): every table of a page, classified by what it describes, with its rows as fields. It reads
// both formats of the export: the current pages (路径参数, Query参数, 请求Body参数, 响应Body参数 per 状态码, named
// tables) and the old ones of the 废弃 pages (请求参数, 处理成功返回参数, 处理失败返回参数, "X参数说明" tables, columns
// 类型 and 说明).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../helpers/spec.js';

export const pagesDir = join(root, 'test/fixtures/vod-api');

/** Plain text of an HTML fragment: tags dropped, whitespace collapsed. */
export const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export type TableKind =
  | 'path' // 路径参数
  | 'query' // Query参数
  | 'header' // 请求Header参数
  | 'body' // 请求Body参数
  | 'response' // 响应Body参数 (the top level of a response, for `status`)
  | 'object' // a named table (AssetInfo, BaseInfo, …) describing an object used by another table
  | 'status' // 状态码 | 描述
  | 'rate-limit' // 使用前必读's API流控限制
  | 'error-codes'; // 错误码's table

export interface PageField {
  name: string;
  /** The page's type: String, Integer, Long, Array, Array of strings, X object, Array of X objects. */
  type: string;
  /** Only on request tables (是否必选); undefined on response tables, which have no such column. */
  required?: boolean;
  description: string;
  descriptionHtml: string;
}

export interface PageTable {
  page: string;
  /** The caption's number (表 N), or 0 for the uncaptioned tables (状态码, 错误码). */
  number: number;
  caption: string;
  kind: TableKind;
  /** The response status the table belongs to (响应参数 → 状态码： N; an old page's 处理成功返回参数 is 200). */
  status?: string;
  /** An old page's 处理失败返回参数: the error body, whose status the page does not give. */
  failure?: boolean;
  /** Header cells and the raw rows (cells as HTML), for the tables that are not field lists. */
  header: string[];
  rows: string[][];
  fields: PageField[];
}

export interface Page {
  file: string;
  title: string;
  /** `PUT /v1.0/{project_id}/asset/authority`, from the URI section; undefined for the pages without operation. */
  /** Whether the page is a 废弃 (deprecated) one: its title says so. */
  deprecated: boolean;
  method?: string;
  path?: string;
  tables: PageTable[];
  /** Number of `<table>` elements in the file, so that a table the reader does not recognise is noticed. */
  tableElements: number;
}

const kindOfCaption = (caption: string): TableKind => {
  if (caption === '路径参数') return 'path';
  if (caption === 'Query参数') return 'query';
  if (caption === '请求Header参数') return 'header';
  if (caption === '请求Body参数' || caption === '请求参数') return 'body';
  if (caption === '响应Body参数' || caption === '处理成功返回参数' || caption === '处理失败返回参数') return 'response';
  if (caption === 'API流控限制') return 'rate-limit';
  return 'object';
};

function rowsOf(tableHtml: string): { header: string[]; rows: string[][] } {
  const header = [...tableHtml.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((c) => text(c[1]!));
  const rows = [...tableHtml.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!))
    .filter((cells) => cells.length > 0);
  return { header, rows };
}

function fieldsOf(header: string[], rows: string[][]): PageField[] {
  const column = (name: string) => header.indexOf(name);
  // The old pages name two columns differently: 类型 for 参数类型, 说明 for 描述.
  const [name, required] = ['参数', '是否必选'].map(column);
  const type = header.includes('参数类型') ? column('参数类型') : column('类型');
  const description = header.includes('描述') ? column('描述') : column('说明');
  if (name! < 0 || type! < 0 || description! < 0) return [];
  return rows.map((cells) => ({
    name: text(cells[name!]!).replace(/\\_/g, '_'),
    type: text(cells[type!]!),
    ...(required! >= 0 ? { required: text(cells[required!]!) === '是' } : {}),
    description: text(cells[description!]!),
    descriptionHtml: cells[description!]!,
  }));
}

export function readPage(file: string): Page {
  const source = readFileSync(join(pagesDir, file), 'utf8');
  const title = source.match(/^# ([^<\n]+)/)?.[1]!.trim() ?? file;
  // `Post` on 智能封面; `{[project_id](获取项目ID.md)}` (a link inside the placeholder) on the old pages.
  const uri = source.match(/## URI[^\n]*\s+(GET|PUT|POST|DELETE|PATCH|Get|Put|Post|Delete) ([^\s]+)/);
  const tables: PageTable[] = [];
  for (const match of source.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
    const before = source.slice(0, match.index);
    // The caption is the last "**表 N**  title" between the previous table and this one.
    const previousEnd = before.lastIndexOf('</table>');
    const gap = before.slice(previousEnd < 0 ? 0 : previousEnd);
    const caption = [...gap.matchAll(/\*\*表 (\d+)\*\*\s+([^\n]+)/g)].pop();
    const section = [...before.matchAll(/^## (.+)$/gm)].pop()?.[1]!.trim();
    const status = section === '响应参数' ? [...before.matchAll(/\*\*状态码： (\d+)\*\*/g)].pop()?.[1] : undefined;
    const { header, rows } = rowsOf(match[1]!);
    let kind: TableKind;
    const captionText = caption ? text(caption[2]!).replace(/\\_/g, '_').replace(/参数说明$/, '') : '';
    if (caption) kind = kindOfCaption(captionText);
    else if (header[0] === '状态码' && header[1] === '描述') kind = 'status';
    else if (header.includes('错误码')) kind = 'error-codes';
    else throw new Error(`${file}: a table the reader does not know (header ${header.join(' | ')})`);
    const oldStatus = captionText === '处理成功返回参数' ? '200' : undefined;
    tables.push({
      page: file,
      number: caption ? Number(caption[1]) : 0,
      caption: caption ? captionText : kind,
      kind,
      ...(status ?? oldStatus ? { status: status ?? oldStatus } : {}),
      ...(captionText === '处理失败返回参数' ? { failure: true } : {}),
      header,
      rows,
      fields: fieldsOf(header, rows),
    });
  }
  return {
    file,
    title,
    deprecated: title.includes('废弃'),
    ...(uri
      ? { method: uri[1]!.toLowerCase(), path: uri[2]!.replace(/\\/g, '').replace(/\[(\w+)\]\([^)]*\)/g, '$1') }
      : {}),
    tables,
    tableElements: (source.match(/<table>/g) ?? []).length,
  };
}

export const pages = readdirSync(pagesDir)
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .sort()
  .map(readPage);

// ---- What a field's description states, in the pages' own wording ----

/** The list items of a description, as text (nested lists flattened). */
const listItems = (html: string) => [...html.matchAll(/<li><p>([\s\S]*?)<\/p>/g)].map((m) => text(m[1]!));

/**
 * The enumerated values a description lists after 取值如下, e.g. `0：取消授权` → "0", `FRAMERATE_AUTO = 1,` → "1",
 * `MPEG-2` → "MPEG-2", `视频文件：MP4、TS、…` → "MP4", "TS", …; empty when the description has no such list.
 */
export function enumValues(field: PageField): string[] {
  if (!field.description.includes('取值如下')) return [];
  const values: string[] = [];
  for (const item of listItems(field.descriptionHtml)) {
    const joined = item.match(/^[^：:]+[：:]\s*([A-Za-z0-9]+(?:、[A-Za-z0-9]+)+)。?$/);
    const coded = item.match(/^[A-Z][A-Z0-9_]* = (\d+),?/);
    const labelled = item.match(/^([A-Za-z0-9_.-]+)\s*[：:]/);
    const bare = item.match(/^([A-Za-z0-9_.-]+)$/);
    if (joined) values.push(...joined[1]!.split('、'));
    else if (coded) values.push(coded[1]!);
    else if (labelled) values.push(labelled[1]!);
    else if (bare) values.push(bare[1]!);
  }
  return values;
}

export const defaultValue = (f: PageField) => f.description.match(/默认值：\s*(-?\d+)/)?.[1];
export const range = (f: PageField) => {
  const m = f.description.match(/(?<!的)取值范围：\s*\[(\d+),(\d+)\]/); // not 编码为H.264的取值范围 (codecRanges)
  return m ? ([Number(m[1]), Number(m[2])] as const) : undefined;
};
/** Per-codec ranges: 编码为H.264的取值范围：[32,3840]之间2的倍数. */
export const codecRanges = (f: PageField) =>
  [...f.description.matchAll(/编码为(H\.26[45])的取值范围：\[(\d+),(\d+)\]之间(\d+)的倍数/g)].map((m) => ({
    codec: m[1]!,
    minimum: Number(m[2]),
    maximum: Number(m[3]),
    multipleOf: Number(m[4]),
  }));
export const maxBytes = (f: PageField) => f.description.match(/长度不超过(\d+)个字节/)?.[1];
export const tagLimits = (f: PageField) => {
  const m = f.description.match(/单个标签不超过(\d+)个字节，最多不超过(\d+)个标签/);
  return m ? { maxItemBytes: Number(m[1]), maxItems: Number(m[2]) } : undefined;
};
export const maxItems = (f: PageField) => f.description.match(/最多同时查询(\d+)个/)?.[1];
export const utcTimestamp = (f: PageField) => f.description.includes('格式为yyyymmddhhmmss');
export const commaSeparated = (f: PageField) => f.description.includes('以逗号分隔');
/** The Chinese term a description starts with (媒资ID。 → 媒资ID), which the spec's description must quote. */
export const term = (f: PageField) => f.description.split(/[。，,（(：:\s]/)[0]!.trim();
