// The "Transfer a video from OBS" guide (docs/transfer-guide.md) with its placeholders filled in from the spec:
// each step's request from the operation's first example, the rate limits from each operation's x-rate-limit,
// and the failure statuses from the AssetStatus schema. A piece the spec does not describe yet says so instead of
// inventing it, so the guide fills in as the operations land.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allSamples,
  clientSetup,
  curlSample,
  methodName,
  operations,
  operationServer,
  queryExample,
  requestExamples,
  serializeQuery,
  tsLiteral,
} from './code-samples.mjs';
import { root } from './paths.mjs';

export const guideFile = join(root, 'docs', 'transfer-guide.md');
export const guideTitle = 'Transfer a video from OBS';

/** The operations of the guide, in the order a transfer calls them. */
export const guideOperations = ['UpdateBucketAuthorized', 'PublishAssetFromObs', 'ShowAssetMeta', 'PublishAssets'];

/** Redoc's anchor of an operation: #/<tag slug>/<operationId in lower case>. */
export const tagSlug = (tag) => tag.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
export const operationHref = (op) => `#/${tagSlug(op.tags?.[0] ?? 'default')}/${op.operationId.toLowerCase()}`;

const find = (spec, id) => operations(spec).find((o) => o.op.operationId === id);
const missing = (id) => `*The spec does not describe \`${id}\` yet; this step fills in when it does.*`;

/**
 * AssetStatus: its values, the transient ones (x-transient-values), the failures and each value's meaning, as
 * the schema gives them: x-enumDescriptions, else "`DELETED` 已删除, `CANCELLED` 上传取消, …" in its description's first
 * paragraph; the failures are its x-failure-values (any value named …FAIL… without them).
 */
export function assetStatuses(spec) {
  const schema = spec.components?.schemas?.AssetStatus;
  if (!schema) return undefined;
  const values = schema.enum ?? [];
  const paragraphs = (schema.description ?? '').split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' '));
  const described = { ...(schema['x-enumDescriptions'] ?? {}) };
  for (const m of (paragraphs[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`\s+([^`]+?)(?:,\s*(?=`)|\.(?:\s|$))/g)) {
    if (values.includes(m[1])) described[m[1]] ??= m[2];
  }
  const named = schema['x-failure-values'] ?? [];
  const failures = named.length ? values.filter((v) => named.includes(v)) : values.filter((v) => /FAIL/.test(v));
  return { values, transient: schema['x-transient-values'] ?? [], failures, described };
}

/** A step's operation and its curl command; `only`: the query parameters to send (default: all with examples). */
function step(spec, id, only) {
  const found = find(spec, id);
  if (!found) return missing(id);
  const { method, path, op, pathItem } = found;
  let curl = allSamples(spec)[id].curl[0];
  if (only) {
    const query = Object.fromEntries(Object.entries(queryExample(spec, op, pathItem)).filter(([k]) => only.includes(k)));
    curl = curlSample({
      serverUrl: operationServer(spec, op, pathItem).url,
      path,
      method,
      query: serializeQuery(spec, op, pathItem, query),
      source: `Query: ${only.join(', ')} (the parameter's example in the spec)`,
    });
  }
  const limit = op['x-rate-limit'];
  const head = `[\`${method.toUpperCase()} ${path}\`](${operationHref(op)}) (${op.summary ?? id})${
    limit ? `, rate-limit group \`${limit.group}\`` : ''
  }. With curl:`;
  return `${head}\n\n\`\`\`shell\n${curl}\n\`\`\``;
}

/** The whole transfer through the TypeScript client, from the spec's first examples. */
export function transferProgram(spec) {
  const ops = Object.fromEntries(guideOperations.map((id) => [id, find(spec, id)]));
  const absent = guideOperations.filter((id) => !ops[id]);
  if (absent.length) return `*Appears once the spec describes ${absent.map((id) => `\`${id}\``).join(', ')}.*`;
  const body = (id) => requestExamples(spec, ops[id].op)[0].value;
  const check = (name) => `if (${name}.error) throw new Error(\`\${${name}.error.error_code}: \${${name}.error.error_msg}\`);`;
  const publishBody = { ...body('PublishAssets') };
  const lines = [
    // The client exports the spec's failure statuses (AssetStatus x-failure-values) as failedAssetStatuses.
    ...clientSetup(spec.servers[0].variables.region.default).map((line) =>
      line.startsWith('import { createVodClient }') ? line.replace('{ createVodClient }', '{ createVodClient, failedAssetStatuses }') : line,
    ),
    '',
    '// 1. Authorise the bucket (once per bucket).',
    `const authorised = await vod.${methodName('UpdateBucketAuthorized')}(${tsLiteral(body('UpdateBucketAuthorized'))});`,
    check('authorised'),
    '',
    '// 2. Transfer the object: the asset exists from now on, its file arrives in the background. Never retried.',
    `const created = await vod.${methodName('PublishAssetFromObs')}(${tsLiteral(body('PublishAssetFromObs'))});`,
    check('created'),
    '',
    '// 3. Wait until VOD has finished (polls ShowAssetMeta; gives up with VodTimeoutError after 30 minutes).',
    'const assetId = created.data.asset_id;',
    'const asset = await vod.waitForAsset(assetId, { timeoutMs: 30 * 60_000 });',
    'if (failedAssetStatuses.includes(asset.status ?? \'\')) throw new Error(`transfer of ${assetId} ended in ${asset.status}: ${asset.description}`);',
    '',
    '// 4. Publish it.',
    `const published = await vod.${methodName('PublishAssets')}(${tsLiteral({ ...publishBody, asset_id: ['__ASSET__'] }).replace("'__ASSET__'", 'assetId')});`,
    check('published'),
    'console.log(`published ${assetId}`);',
  ];
  return lines.join('\n');
}

function rateLimits(spec) {
  const rows = guideOperations.map((id) => {
    const found = find(spec, id);
    if (!found) return `| \`${id}\` | *not in the spec yet* | | |`;
    const limit = found.op['x-rate-limit'];
    if (!limit) return `| \`${id}\` | *no x-rate-limit in the spec yet* | | |`;
    return `| \`${id}\` | \`${limit.group}\` | ${limit.perTenantPerMinute ?? '–'} | ${limit.overallPerMinute ?? '–'} |`;
  });
  return ['| Operation | Group | Per tenant, per minute | Overall, per minute |', '|---|---|---|---|', ...rows].join('\n');
}

function failureTable(spec) {
  const statuses = assetStatuses(spec);
  if (!statuses) return '*The spec does not describe the asset statuses (`AssetStatus`) yet.*';
  const rows = statuses.failures.map(
    (v) => `| \`${v}\` | ${statuses.described[v] ?? '*the spec gives no description*'} |`,
  );
  return ['| Status | What it means |', '|---|---|', ...rows].join('\n');
}

/** The guide as Markdown, every placeholder filled in. */
export function transferGuide(spec) {
  const statuses = assetStatuses(spec);
  const template = readFileSync(guideFile, 'utf8').replace(/^<!--[\s\S]*?-->\n/, '');
  const filled = template.replace(/\{\{([\w-]+)(?::(\w+))?(?::([\w,]+))?\}\}/g, (whole, name, arg, only) => {
    if (name === 'step') return step(spec, arg, only?.split(','));
    if (name === 'program') {
      const program = transferProgram(spec);
      return program.startsWith('*') ? program : `\`\`\`typescript\n${program}\n\`\`\``;
    }
    if (name === 'rate-limits') return rateLimits(spec);
    if (name === 'failure-statuses') return failureTable(spec);
    if (name === 'transient-statuses') {
      return statuses?.transient.length ? statuses.transient.map((v) => `\`${v}\``).join(', ') : 'see `AssetStatus`';
    }
    throw new Error(`${guideFile}: unknown placeholder ${whole}`);
  });
  return filled.trim();
}
