// Builds the offline API docs, dist/docs/index.html, with Redocly's build-docs (Redoc), from a docs-only copy of
// generated/openapi.json (dist/docs/openapi.json): the cross-field rules as sentences (docs-rules.mjs), the
// operations first in the sidebar, grouped by the spec's tags (named with their Chinese names) and ordered as
// Huawei's table of contents, then the transfer guide (docs-guide.mjs) and the reference sections (the
// authentication text, the vendor extensions, the error-code table), code samples for every operation and example
// (code-samples.mjs), byte limits shown as bytes only, and the prose's wrapped lines joined for the search index.
// The spec itself keeps its if/then and maxLength for the validators. The layout (text pages across the page's
// width, the error-code table, sample padding) and the error-code search are in docs/template.hbs.
// The page loads nothing from outside: test/docs/docs.test.ts opens it with every outside request blocked and
// counted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allSamples, codeSamples, HTTP_METHODS, operations, operationServer } from './code-samples.mjs';
import { guideTitle, transferGuide } from './docs-guide.mjs';
import { rulesToDescriptions } from './docs-rules.mjs';
import { root } from './paths.mjs';

export const docsDir = join(root, 'dist', 'docs');
const template = join(root, 'docs', 'template.hbs');
const config = join(root, 'docs', 'redocly.yaml');
const badge = join(root, 'docs', 'redocly-badge.svg');

// Redoc's sidebar footer shows "API docs by <img>" with the image hard-coded to Redocly's CDN; no option turns it
// off and a template cannot reach inside the script. The build swaps the URLs for a local wordmark (the credit
// stays), and fails if they are gone, so that a Redocly upgrade gets this patch looked at again.
const cdnImages = ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', 'https://cdn.redoc.ly/redoc/logo-mini.svg'];

// Table cells run together in Redoc's search index ("VOD.10059403The request…"): it joins the text of every cell
// with nothing between. A `&#32;` (a space that Markdown keeps) at the end of each cell separates them there and is
// invisible on the page.
const SEP = '&#32;';
const cell = (text) => `${String(text ?? '').replaceAll('|', '\\|')}${SEP}`;

/**
 * The error-code table for the docs, from the same x-error-codes as generated/error-codes.md but in three
 * columns (the page gives it the whole content width; docs/template.hbs keeps the code and status columns narrow):
 * the message cell holds the English message, the Chinese one and the note.
 */
export function errorCodesTable(catalogue) {
  const rows = catalogue.map((e) => {
    const codes = [e.code, ...(e.aliases ?? [])].map((c) => `\`${c}\``).join(' / ');
    const message = [e.message, e.message_zh, e.note && `*${e.note}*`].filter(Boolean).join(' ');
    return `| ${cell(codes)} | ${cell(e.status.join(', '))} | ${cell(message)} |`;
  });
  return [`| ${cell('Code')} | ${cell('HTTP status')} | ${cell('Message (中文)')} |`, '|---|---|---|', ...rows].join('\n');
}

const errorCodesSection = (catalogue) => `Errors come back as \`{ "error_code", "error_msg" }\` (the gateway adds
\`request_id\`). The HTTP status of a code differs between Huawei's pages, so accept this body with any 4xx or 5xx
status; the first status listed is the usual one. This table is generated from the spec's \`x-error-codes\`
catalogue.

${errorCodesTable(catalogue)}
`;

// Redoc 3 shows a security scheme's description only in a per-operation dialog, so the docs repeat every scheme
// (the token, the AK/SK signing steps, X-Project-Id, X-Security-Token) under the Authentication section, from the
// same text.
function schemesMarkdown(schemes) {
  return Object.entries(schemes)
    .map(([name, s]) => {
      // Plain-text headings: Redoc lists them in the sidebar, where inline code would be cut off.
      const where = s.type === 'apiKey' ? `${s.name} ${s.in}` : `HTTP ${s.scheme ?? s.type}`;
      return `### ${name}: ${where}\n\n${s.description.trim()}\n`;
    })
    .join('\n');
}

/** info.description split into its introduction and its `## ` sections: `{ intro, sections: [{ title, body }] }`. */
export function splitSections(description) {
  const [intro, ...rest] = `${description.trimEnd()}\n`.split(/\n(?=## )/);
  const sections = rest.map((s) => {
    const [heading, ...body] = s.split('\n');
    return { title: heading.replace(/^## /, '').trim(), body: body.join('\n').trim() };
  });
  return { intro: intro.startsWith('## ') ? '' : intro.trim(), sections };
}

/**
 * The sidebar: the operations first, grouped by tag, then the guides, then the reference sections that were
 * info.description's `## ` sections (Authentication with the security schemes, Vendor extensions) and the error
 * codes. Redoc lists info.description's headings before everything else, so those sections become tags with
 * x-traitTag (a tag that is a page of text, not a list of operations) in x-tagGroups.
 */
function arrangeNavigation(spec) {
  const { intro, sections } = splitSections(spec.info.description);
  const auth = sections.find((s) => s.title === 'Authentication');
  const authBody = `${auth?.body ?? ''}\n\n${schemesMarkdown(spec.components.securitySchemes)}`.trim();
  const reference = [
    { name: 'Authentication', description: authBody },
    ...sections.filter((s) => s !== auth).map((s) => ({ name: s.title, description: s.body })),
    { name: 'Error codes', description: errorCodesSection(spec['x-error-codes']) },
  ];
  const guide = { name: guideTitle, description: transferGuide(spec) };
  // The guides that are plain Markdown (no placeholders), beside the transfer guide: their leading HTML comment is
  // a note for maintainers, not for readers.
  const plainGuide = (name, file) => ({
    name,
    description: readFileSync(join(root, 'docs', file), 'utf8').replace(/^<!--[\s\S]*?-->\s*/, ''),
  });
  const guides = [guide, plainGuide('Upload a video', 'upload-guide.md'), plainGuide('Test your code offline', 'simulator-guide.md')];

  const operationTags = [];
  for (const { op } of operations(spec)) for (const t of op.tags ?? []) if (!operationTags.includes(t)) operationTags.push(t);
  const declared = new Map((spec.tags ?? []).map((t) => [t.name, t]));
  // The spec's tag order first, then any tag only an operation names.
  const ordered = [...(spec.tags ?? []).map((t) => t.name).filter((n) => operationTags.includes(n)),
    ...operationTags.filter((n) => !declared.has(n))];

  spec.info.description = intro;
  spec.tags = [
    ...ordered.map((name) => {
      const tag = declared.get(name) ?? { name };
      return { ...tag, 'x-displayName': tagDisplayName(tag) };
    }),
    ...guides.map((g) => ({ ...g, 'x-traitTag': true })),
    ...reference.map((t) => ({ ...t, 'x-traitTag': true })),
  ];
  spec['x-tagGroups'] = [
    { name: 'Operations', tags: ordered },
    { name: 'Guides', tags: guides.map((g) => g.name) },
    { name: 'Reference', tags: reference.map((t) => t.name) },
  ];
}

/**
 * An operation that lists `x-unsupported-regions` gets its own server whose region enum leaves them out, so that
 * Redoc's server picker and the samples offer only regions where it works.
 */
function restrictRegions(spec, { op, pathItem }) {
  if (!op['x-unsupported-regions']?.length) return;
  const { region, server } = operationServer(spec, op, pathItem);
  const unsupported = new Set(op['x-unsupported-regions']);
  const variable = server.variables.region;
  op.servers = [
    {
      ...server,
      variables: {
        ...server.variables,
        region: {
          ...variable,
          default: region,
          enum: variable.enum.filter((r) => !unsupported.has(r)),
          description: `${variable.description ?? 'Region.'} Not ${[...unsupported].join(' or ')}: this operation was never offered there.`,
        },
      },
    },
  ];
}

/**
 * Markdown with its soft line breaks joined into spaces. The spec's prose is wrapped at 120 columns; Redoc renders a
 * soft break as a space, but its search index drops it, so that snippets read "withthe" and a search for "with the"
 * misses. A line is joined to the one before it when both belong to the same paragraph or list item: not in a fenced
 * code block, not after a blank line, a heading, a table row or a hard break, and not when it starts a block of its
 * own (a list item, a table row, a heading, a quote, a fence, HTML).
 */
export function joinSoftBreaks(markdown) {
  const lines = markdown.split('\n');
  const out = [];
  let fenced = false;
  const startsBlock = (line) => /^\s*([-*+]\s|\d+[.)]\s|\||#{1,6}\s|>|```|~~~|<)/.test(line);
  const endsBlock = (line) => /^\s*(\||#{1,6}\s)/.test(line) || / {2}$|\\$/.test(line) || /^\s*(```|~~~)/.test(line);
  for (const line of lines) {
    const previous = out.at(-1);
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      out.push(line);
    } else if (!fenced && previous !== undefined && previous.trim() !== '' && line.trim() !== '' && !startsBlock(line) && !endsBlock(previous)) {
      // The line's own end is kept: two trailing spaces are a hard break that the next line must not be joined over.
      out[out.length - 1] = `${previous.trimEnd()} ${line.trimStart()}`;
    } else {
      out.push(line);
    }
  }
  return out.join('\n');
}

// Keys whose values are data (examples, defaults, enums) or generated code, not prose: a "description" inside them
// is an API field and keeps its newlines.
const DATA_KEYS = new Set(['example', 'examples', 'value', 'default', 'const', 'enum', 'x-codeSamples', 'x-error-codes']);

/** Every `description` of the docs spec (operations, parameters, schemas, tags, …) with its soft breaks joined. */
function joinDescriptions(node) {
  if (Array.isArray(node)) {
    for (const item of node) joinDescriptions(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && typeof value === 'string') node[key] = joinSoftBreaks(value);
    // An examples map of Example objects (media types, parameters) has prose in its summary and description.
    else if (key === 'examples' && !Array.isArray(value) && value && typeof value === 'object') {
      for (const example of Object.values(value)) {
        if (typeof example?.description === 'string') example.description = joinSoftBreaks(example.description);
      }
    } else if (!DATA_KEYS.has(key)) joinDescriptions(value);
  }
}

/**
 * Byte limits shown as byte limits only. A string with `x-max-bytes` also carries `maxLength` (the same number, as
 * characters: a bound that validators without the extension can still check), and Redoc shows that as
 * "<= 128 characters" right above the description's "at most 128 bytes of UTF-8", which is wrong for every
 * non-ASCII title. The docs copy drops the maxLength and makes sure that the description states the byte limit; a
 * string with `x-separated-list` gets its item count and item bytes stated the same way.
 */
export function byteLimitsOnly(node) {
  if (Array.isArray(node)) {
    for (const item of node) byteLimitsOnly(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const bytes = node['x-max-bytes'];
  if (typeof bytes === 'number') {
    if (node.maxLength !== undefined && node.maxLength !== bytes) {
      throw new Error(`maxLength ${node.maxLength} differs from x-max-bytes ${bytes}: say in scripts/docs.mjs how to show it`);
    }
    delete node.maxLength;
    if (!new RegExp(`\\b${bytes} bytes\\b`).test(node.description ?? '')) {
      node.description = `${(node.description ?? '').trimEnd()}\n\nAt most ${bytes} bytes of UTF-8 (a Chinese character takes 3).`.trimStart();
    }
  }
  const list = node['x-separated-list'];
  if (list && typeof list === 'object' && !new RegExp(`\\b${list.maxItemBytes} bytes\\b`).test(node.description ?? '')) {
    node.description = `${(node.description ?? '').trimEnd()}\n\nA list joined by \`${list.separator}\`: at most ${list.maxItems} items, each at most ${list.maxItemBytes} bytes of UTF-8.`.trimStart();
  }
  for (const [key, value] of Object.entries(node)) if (!DATA_KEYS.has(key)) byteLimitsOnly(value);
}

/**
 * The sidebar name of an operation tag: its name and the Chinese name of Huawei's table of contents, which the tag's
 * description gives in its first parentheses ("Getting media into VOD (媒资上传): …" → "Upload (媒资上传)"), so that
 * the navigation reads like Huawei's. The tag's name stays its anchor (#/upload/…).
 */
export function tagDisplayName(tag) {
  const chinese = (tag.description ?? '').match(/[(（]([^()（）]*\p{Script=Han}[^()（）]*)[)）]/u)?.[1];
  return chinese ? `${tag.name} (${chinese.trim()})` : tag.name;
}

/**
 * The 44 operation pages of Huawei's API reference in the order of its table of contents (index.md of the reference's
 * export: 媒资上传 创建媒资：上传方式, 获取分段上传授权, …, 水印模板管理 确认水印图片上传). The spec's order is its paths';
 * the docs list each tag's operations in this order, so that the navigation reads like Huawei's.
 */
export const huaweiContentsOrder = [
  // 媒资上传
  'CreateAssetByFileUpload', 'ShowAssetTempAuthority', 'ConfirmAssetUpload', 'UpdateBucketAuthorized', 'PublishAssetFromObs',
  'CreateTakeOverTask', 'UploadMetaDataByUrl', 'CheckMd5Duplication',
  // 媒资处理
  'UpdateAsset', 'CreateAssetProcessTask', 'CancelAssetTranscodeTask', 'CreateExtractAudioTask', 'CancelExtractAudioTask',
  'CreateAssetReviewTask', 'UpdateCoverByThumbnail',
  // 媒资管理
  'DeleteAssets', 'PublishAssets', 'UnpublishAssets', 'ShowAssetMeta', 'UpdateAssetMeta', 'ShowAssetDetail', 'ListAssetList',
  // OBS托管管理
  'ListTakeOverTask', 'ShowTakeOverTaskDetails', 'ShowTakeOverAssetDetails',
  // 媒资预热
  'CreatePreheatingAsset', 'ShowPreheatingAsset',
  // 媒资分类
  'CreateAssetCategory', 'UpdateAssetCategory', 'DeleteAssetCategory', 'ListAssetCategory',
  // 密钥查询
  'ShowAssetCipher',
  // 统计分析
  'ShowCdnStatistics', 'ShowVodStatistics', 'ListTopStatistics',
  // 转码模板组管理
  'CreateTemplateGroup', 'ListTemplateGroup', 'UpdateTemplateGroup', 'DeleteTemplateGroup',
  // 水印模板管理
  'CreateWatermarkTemplate', 'UpdateWatermarkTemplate', 'ListWatermarkTemplate', 'DeleteWatermarkTemplate', 'ConfirmImageUpload',
];

/**
 * Each tag's operations in the order of Huawei's table of contents, then those that only the SDK models describe (in
 * the spec's order), then the deprecated ones, whose pages the contents no longer list. Redoc lists a tag's
 * operations in the order of the spec's paths (and of the methods within a path), so the docs copy rebuilds `paths`
 * in that order.
 */
export function orderOperations(spec) {
  const entries = operations(spec);
  const rank = (op) => {
    if (op.deprecated) return 2e6 + entries.findIndex((e) => e.op === op);
    const toc = huaweiContentsOrder.indexOf(op.operationId);
    return toc === -1 ? 1e6 + entries.findIndex((e) => e.op === op) : toc;
  };
  const tagOrder = (spec['x-tagGroups']?.[0]?.tags ?? []).concat((spec.tags ?? []).map((t) => t.name));
  const tagRank = (op) => {
    const i = tagOrder.indexOf(op.tags?.[0]);
    return i === -1 ? tagOrder.length : i;
  };
  const sorted = [...entries].sort((a, b) => tagRank(a.op) - tagRank(b.op) || rank(a.op) - rank(b.op));
  const paths = {};
  for (const { path } of sorted) {
    if (paths[path]) continue;
    const item = spec.paths[path];
    const methods = sorted.filter((e) => e.path === path).map((e) => e.method);
    const rest = Object.fromEntries(Object.entries(item).filter(([key]) => !methods.includes(key)));
    paths[path] = { ...rest, ...Object.fromEntries(methods.map((m) => [m, item[m]])) };
  }
  // Paths without operations (none today) keep their place at the end.
  for (const [path, item] of Object.entries(spec.paths)) paths[path] ??= item;
  spec.paths = paths;
}

/** The operations as Redoc lists them: in the order of the paths and, within a path, of its keys (not HTTP_METHODS'). */
export function listedOperations(spec) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method, op]) => HTTP_METHODS.includes(method) && op?.operationId)
      .map(([method, op]) => ({ path, method, op, pathItem: item })),
  );
}

/**
 * The docs-only spec: the bundle with the cross-field rules as descriptions (docs-rules.mjs), the navigation
 * arranged (operations first, then the guide and the reference sections), operation servers without their
 * unsupported regions, x-codeSamples on every operation, each tag's operations in the order of Huawei's contents,
 * byte limits shown as bytes only, and the prose's soft line breaks joined (for the search index).
 */
export function docsSpec(bundle) {
  const spec = structuredClone(bundle);
  rulesToDescriptions(spec);
  const samples = codeSamples(bundle);
  for (const entry of operations(spec)) {
    restrictRegions(spec, entry);
    entry.op['x-codeSamples'] = samples[entry.op.operationId];
  }
  arrangeNavigation(spec);
  orderOperations(spec);
  byteLimitsOnly(spec);
  joinDescriptions(spec);
  return spec;
}

function withoutCdnImages(html) {
  const local = `data:image/svg+xml;base64,${readFileSync(badge).toString('base64')}`;
  for (const url of cdnImages) {
    if (!html.includes(url)) throw new Error(`Redoc no longer references ${url}: check the docs for outside requests`);
    html = html.replaceAll(url, local);
  }
  return html;
}

/**
 * build-docs prerenders the page without a router, so its links are paths (href="/section/error-codes"), but the
 * page then hydrates with Redoc's hash router, and React keeps the prerendered attributes: a copied link gave 404
 * when served and nothing from file://. Rewriting them to the hash form the router itself writes
 * (href="#/section/error-codes") makes the markup match what hydration expects, so a copied link opens its section.
 */
export function hashLinks(html) {
  const start = html.indexOf('<div id="redoc">');
  const end = html.indexOf('<script type="module">', start);
  if (start === -1 || end === -1) throw new Error('build-docs output changed: no prerendered <div id="redoc">');
  const prerendered = html.slice(start, end).replace(/ href="\/(?!\/)/g, ' href="#/');
  return html.slice(0, start) + prerendered + html.slice(end);
}

/**
 * The samples of every example, for the script in docs/template.hbs that shows the selected example's samples.
 * Keyed like the panel header shows an operation: "post /v1.0/{project_id}/asset/reproduction".
 */
export function samplesData(spec) {
  return Object.fromEntries(
    Object.values(allSamples(spec)).map((s) => [
      `${s.method} ${s.path}`,
      { examples: s.examples, samples: { curl: s.curl, typescript: s.typescript } },
    ]),
  );
}

const SAMPLES_MARKER = '<!-- vod-samples -->';

/**
 * Writes `${outDir}/openapi.json` (the docs-only spec) and `${outDir}/index.html`.
 * @returns {{ html: string, spec: string }} the two paths
 */
export function buildDocs({ outDir = docsDir } = {}) {
  mkdirSync(outDir, { recursive: true });
  const bundle = JSON.parse(readFileSync(join(root, 'generated', 'openapi.json'), 'utf8'));
  const specPath = join(outDir, 'openapi.json');
  const htmlPath = join(outDir, 'index.html');
  writeFileSync(specPath, `${JSON.stringify(docsSpec(bundle), null, 2)}\n`);

  // --inlineBundle puts Redoc's script into the page instead of a <script> from cdn.redocly.com.
  const args = ['build-docs', specPath, '-o', htmlPath, '--config', config, '--template', template, '--inlineBundle'];
  execFileSync(join(root, 'node_modules', '.bin', 'redocly'), args, {
    cwd: root,
    // Off for the CLI, and build-docs then also sets Redoc's disableTelemetry, so the page does not report to
    // otel.cloud.redocly.com either.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  let html = hashLinks(withoutCdnImages(readFileSync(htmlPath, 'utf8')));
  if (!html.includes('"disableTelemetry":true')) throw new Error('build-docs did not disable Redoc telemetry');
  if (!html.includes(SAMPLES_MARKER)) throw new Error(`docs/template.hbs lost its ${SAMPLES_MARKER} marker`);
  // JSON inside <script>: "<" escaped so that no "</script>" in a sample can end the element.
  const data = JSON.stringify(samplesData(bundle)).replaceAll('<', '\\u003c');
  html = html.replace(SAMPLES_MARKER, () => `<script type="application/json" id="vod-samples">${data}</script>`);
  writeFileSync(htmlPath, html);
  return { html: htmlPath, spec: specPath };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { html } = buildDocs();
  console.log(`docs written to ${html}`);
}
