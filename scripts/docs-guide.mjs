// The "Transfer a video from OBS" guide (docs/transfer-guide.md) with its placeholders filled in from the spec:
// each step's request from the operation's first example, the rate limits from each operation's x-rate-limit,
// and the failure statuses from the AssetStatus schema. A piece the spec does not describe yet says so instead of
// inventing it, so the guide fills in as the operations land.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allSamples, clientSetup, methodName, operations, requestExamples, tsLiteral } from './code-samples.mjs';
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

/** AssetStatus: its values, the transient ones, and each value's description where the spec gives one. */
export function assetStatuses(spec) {
  const schema = spec.components?.schemas?.AssetStatus;
  if (!schema) return undefined;
  const values = schema.enum ?? (schema.oneOf ?? []).map((s) => s.const).filter((v) => v !== undefined);
  const described = { ...(schema['x-enumDescriptions'] ?? {}) };
  for (const s of schema.oneOf ?? []) if (s.const !== undefined && s.description) described[s.const] ??= s.description;
  // Otherwise from the description's lines, e.g. "- `OBS_CREATE_FAILED`: the transfer from OBS failed".
  for (const line of (schema.description ?? '').split('\n')) {
    const m = line.match(/`([A-Z][A-Z0-9_]*)`\s*(?:\([^)]*\))?\s*[:：=–—-]+\s*(.+)$/);
    if (m && values.includes(m[1])) described[m[1]] ??= m[2].trim();
  }
  return { values, transient: schema['x-transient-values'] ?? [], described };
}

/** The statuses a finished asset can have that mean something went wrong (named …FAIL… by the service). */
export const failureStatuses = (statuses) => statuses.values.filter((v) => /FAIL/.test(v));

function step(spec, samples, id) {
  const found = find(spec, id);
  if (!found) return missing(id);
  const { method, path, op } = found;
  const limit = op['x-rate-limit'];
  const head = `[\`${method.toUpperCase()} ${path}\`](${operationHref(op)}) (${op.summary ?? id})${
    limit ? `, rate-limit group \`${limit.group}\`` : ''
  }. With curl:`;
  return `${head}\n\n\`\`\`shell\n${samples[id].curl[0]}\n\`\`\``;
}

/** The whole transfer through the TypeScript client, from the spec's first examples. */
export function transferProgram(spec) {
  const ops = Object.fromEntries(guideOperations.map((id) => [id, find(spec, id)]));
  const absent = guideOperations.filter((id) => !ops[id]);
  if (absent.length) return `*Appears once the spec describes ${absent.map((id) => `\`${id}\``).join(', ')}.*`;
  const body = (id) => requestExamples(spec, ops[id].op)[0].value;
  const statuses = assetStatuses(spec);
  const failed = statuses ? failureStatuses(statuses) : [];
  const check = (name) => `if (${name}.error) throw new Error(\`\${${name}.error.error_code}: \${${name}.error.error_msg}\`);`;
  const publishBody = { ...body('PublishAssets') };
  const lines = [
    ...clientSetup(spec.servers[0].variables.region.default),
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
    'const asset = await vod.waitForAsset(created.data.asset_id, { timeoutMs: 30 * 60_000 });',
    `const failures: readonly string[] = ${tsLiteral(failed)};`,
    'if (failures.includes(asset.status ?? \'\')) throw new Error(`transfer of ${asset.asset_id} ended in ${asset.status}`);',
    '',
    '// 4. Publish it.',
    `const published = await vod.${methodName('PublishAssets')}(${tsLiteral({ ...publishBody, asset_id: ['__ASSET__'] }).replace("'__ASSET__'", 'asset.asset_id')});`,
    check('published'),
    'console.log(`published ${asset.asset_id}`);',
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
  const rows = failureStatuses(statuses).map(
    (v) => `| \`${v}\` | ${statuses.described[v] ?? '*the spec gives no description*'} |`,
  );
  return ['| Status | What it means |', '|---|---|', ...rows].join('\n');
}

/** The guide as Markdown, every placeholder filled in. */
export function transferGuide(spec) {
  const samples = allSamples(spec);
  const statuses = assetStatuses(spec);
  const template = readFileSync(guideFile, 'utf8').replace(/^<!--[\s\S]*?-->\n/, '');
  const filled = template.replace(/\{\{([\w-]+)(?::(\w+))?\}\}/g, (whole, name, arg) => {
    if (name === 'step') return step(spec, samples, arg);
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
