// Code samples for the docs (x-codeSamples): a curl command and a call through the TypeScript client per
// operation, both built from the operation's first request example, so that they can never show a body the spec
// would reject. test/docs/code-samples.test.ts runs the curl sample's quoting through bash and type-checks the
// TypeScript sample against src/.

/** The package name the TypeScript sample imports, as published. */
export const packageName = 'huaweicloud-vod-openapi';

/** The first example of the operation's JSON request body: its name, value and summary. */
export function firstRequestExample(spec, op) {
  const examples = op.requestBody?.content?.['application/json']?.examples ?? {};
  const [name, example] = Object.entries(examples)[0] ?? [];
  if (!name) throw new Error(`${op.operationId}: no request example to build code samples from`);
  const { value, summary } = resolve(spec, example);
  return { name, value, summary };
}

function resolve(spec, node) {
  if (!node?.$ref) return node;
  const path = node.$ref.replace(/^#\//, '').split('/');
  return resolve(spec, path.reduce((at, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], spec));
}

/** The spec's first server with every variable at its default (https://vod.cn-north-4.myhuaweicloud.com). */
export function defaultServerUrl(spec) {
  const [server] = spec.servers;
  return server.url.replace(/\{(\w+)\}/g, (_, name) => server.variables[name].default);
}

// POSIX single quotes keep everything literal; a quote itself is closed, escaped and reopened.
const shellQuote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

export function curlSample({ serverUrl, path, method, body, exampleTitle }) {
  // $PROJECT_ID stays a shell variable: the URL is double-quoted so that the shell expands it.
  const url = `${serverUrl}${path.replace('{project_id}', '$PROJECT_ID')}`;
  return [
    '# TOKEN: an IAM token (X-Subject-Token of IAM\'s "obtain a user token")',
    '# PROJECT_ID: the project ID of the region',
    `# Body: the "${exampleTitle}" request example`,
    `curl -X ${method.toUpperCase()} "${url}" \\`,
    '  -H "Content-Type: application/json" \\',
    '  -H "X-Auth-Token: $TOKEN" \\',
    `  -d ${shellQuote(JSON.stringify(body, null, 2))}`,
  ].join('\n');
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `value` as a TypeScript literal in the house style: unquoted keys where possible, single-quoted strings. */
export function tsLiteral(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => tsLiteral(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, v]) => `${inner}${identifier.test(key) ? key : tsString(key)}: ${tsLiteral(v, inner)},`,
    );
    return `{\n${entries.join('\n')}\n${indent}}`;
  }
  return typeof value === 'string' ? tsString(value) : JSON.stringify(value);
}

// JSON's escapes are valid in a TypeScript string too; only the quoting changes: in '…' a " needs no escape, a ' does.
const tsString = (text) => `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;

/** The client's method for an operationId: PublishAssetFromObs → publishAssetFromObs. */
export const methodName = (operationId) => operationId[0].toLowerCase() + operationId.slice(1);

/**
 * A call through the client. `noContent`: the operation succeeds without a body (204), so the sample shows the
 * status instead of `data`.
 */
export function typescriptSample({ operationId, deprecated, noContent, body, region, exampleTitle }) {
  const method = methodName(operationId);
  const result = noContent ? '{ error, response }' : '{ data, error }';
  return [
    `import { createVodClient } from '${packageName}';`,
    '',
    'const vod = createVodClient({',
    "  projectId: '<project_id>',",
    `  region: '${region}', // or endpoint: 'https://…'`,
    '  // AK/SK signing; or credentials: { token }',
    '  credentials: {',
    '    ak: process.env.HUAWEICLOUD_SDK_AK!,',
    '    sk: process.env.HUAWEICLOUD_SDK_SK!,',
    '  },',
    '});',
    '',
    ...(deprecated ? ["// Deprecated: see the operation's description."] : []),
    `// Body: the "${exampleTitle}" request example`,
    `const ${result} = await vod.${method}(${tsLiteral(body)});`,
    'if (error) throw new Error(`${error.error_code}: ${error.error_msg}`);',
    noContent ? 'console.log(response.status); // 204, no body' : 'console.log(data);',
  ].join('\n');
}

/**
 * operationId → its x-codeSamples (curl, then TypeScript), for every operation of the bundled spec.
 * @returns {Record<string, { lang: string, label: string, source: string }[]>}
 */
export function codeSamples(spec) {
  const serverUrl = defaultServerUrl(spec);
  const region = spec.servers[0].variables.region.default;
  const samples = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op?.operationId) continue;
      const { name, value: body, summary } = firstRequestExample(spec, op);
      // Redoc's example picker does not change x-codeSamples, so each sample names the example it shows.
      const exampleTitle = summary ?? name;
      samples[op.operationId] = [
        { lang: 'Shell', label: 'curl', source: curlSample({ serverUrl, path, method, body, exampleTitle }) },
        {
          lang: 'TypeScript',
          label: 'TypeScript',
          source: typescriptSample({
            operationId: op.operationId,
            deprecated: Boolean(op.deprecated),
            noContent: !Object.keys(op.responses).some((code) => /^2/.test(code) && op.responses[code].content),
            body,
            region,
            exampleTitle,
          }),
        },
      ];
    }
  }
  return samples;
}
