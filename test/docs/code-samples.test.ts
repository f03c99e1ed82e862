// The docs' code samples stay valid: the curl command runs through bash (so its quoting is real shell quoting) and
// sends a body that the request schema accepts and that is one of the spec's examples; the TypeScript sample
// type-checks against the client in src/.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  allSamples,
  codeSamples,
  curlSample,
  defaultServerUrl,
  operations,
  operationServer,
  packageName,
  parametersOf,
  queryExample,
  tsLiteral,
  typescriptSample,
} from '../../scripts/code-samples.mjs';
import { transferProgram } from '../../scripts/docs-guide.mjs';
import { docsSpec, errorCodesTable, huaweiContentsOrder, joinSoftBreaks, listedOperations, tagDisplayName } from '../../scripts/docs.mjs';
import { deref, root, schemaAt, spec, specAjv, type Json } from '../helpers/spec.js';

const samples = codeSamples(spec);
const every = allSamples(spec) as Record<string, { examples: string[]; curl: string[]; typescript: string[] }>;
const ops = operations(spec) as { path: string; method: string; op: Json; pathItem: Json }[];
const operationIds = ops.map((o) => o.op.operationId as string);
function sample(operationId: string, label: string): string {
  const found = samples[operationId]?.find((s) => s.label === label);
  if (!found) throw new Error(`no ${label} sample for ${operationId}`);
  return found.source;
}

/** The arguments curl would get: bash runs the sample with a curl function that prints them NUL-separated. */
function curlArguments(source: string): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }\n${source}`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], {
    env: { PATH: process.env.PATH, TOKEN: 'tok', PROJECT_ID: 'proj', DOMAIN_ID: 'dom' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.toString('utf8').split('\0').slice(0, -1);
}

/** The value following `flag` in curl's arguments, for each time the flag occurs. */
const flagValues = (args: string[], flag: string) => args.flatMap((arg, i) => (arg === flag ? [args[i + 1]!] : []));

describe('curl samples', () => {
  const ajv = specAjv();

  it('exist for every operation of the spec, one per request example', () => {
    expect(operationIds.length).toBeGreaterThanOrEqual(83); // 50 from the pages, 33 from the SDK models
    for (const { op } of ops) {
      const named = Object.keys(op.requestBody?.content?.['application/json']?.examples ?? {}).length;
      expect(every[op.operationId]!.curl.length, op.operationId).toBe(Math.max(named, 1));
    }
  });

  it.each(ops.map((o) => [o.op.operationId, o] as const))('%s: each sends the operation with an example body or query', (_, entry) => {
    const { path, method, op, pathItem } = entry;
    const server = operationServer(spec, op, pathItem).url;
    const media = op.requestBody?.content?.['application/json'];
    const examples = media ? Object.values<Json>(media.examples).map((e) => deref(e).value) : [];
    for (const source of every[op.operationId]!.curl) {
      const args = curlArguments(source);
      expect(flagValues(args, '-X')).toEqual([method.toUpperCase()]);
      const url = new URL(args.find((a) => a.startsWith('https://'))!);
      expect(`${url.origin}${url.pathname}`).toBe(`${server}${path.replace('{project_id}', 'proj').replace('{domain_id}', 'dom')}`);
      // The query: each parameter as it declares (explode: true repeats the key, explode: false joins with commas).
      const query = queryExample(spec, op, pathItem);
      for (const param of parametersOf(spec, op, pathItem).filter((p: Json) => p.in === 'query')) {
        const value = query[param.name];
        if (value === undefined) expect(url.searchParams.has(param.name)).toBe(false);
        else if (Array.isArray(value) && (param.explode ?? true)) expect(url.searchParams.getAll(param.name)).toEqual(value.map(String));
        else if (Array.isArray(value)) expect(url.searchParams.getAll(param.name)).toEqual([value.join(',')]);
        else expect(url.searchParams.getAll(param.name)).toEqual([String(value)]);
      }
      const [data] = flagValues(args, '-d');
      if (!media) {
        expect(data).toBeUndefined();
        expect(flagValues(args, '-H')).toEqual(['X-Auth-Token: tok']);
        continue;
      }
      expect(flagValues(args, '-H')).toEqual(['Content-Type: application/json', 'X-Auth-Token: tok']);
      const body = JSON.parse(data!);
      const validate = schemaAt(ajv, media.schema.$ref);
      expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
      expect(examples).toContainEqual(body);
    }
  });

  it('fill each path variable from its own shell variable, explained above the command ({domain_id}: $DOMAIN_ID)', () => {
    const domainOps = ops.filter((o) => o.path.includes('{domain_id}'));
    expect(domainOps.length).toBeGreaterThanOrEqual(3); // the deprecated statistics operations
    for (const { op, path } of ops) {
      for (const source of every[op.operationId]!.curl) {
        expect(source.includes('$DOMAIN_ID'), op.operationId).toBe(path.includes('{domain_id}'));
        expect(source.includes('# DOMAIN_ID: '), op.operationId).toBe(path.includes('{domain_id}'));
        expect(source.includes('$PROJECT_ID'), op.operationId).toBe(path.includes('{project_id}'));
      }
    }
    expect(() => curlSample({ serverUrl: 'https://example.test', path: '/v1/{tenant}/x', method: 'get', body: undefined, source: 't' })).toThrow(/\{tenant\}/);
  });

  it('serialise array queries both ways: DeleteAssets joins with commas, ShowAssetMeta repeats the key', () => {
    const explodeOf = (id: string, name: string) => {
      const { op, pathItem } = ops.find((o) => o.op.operationId === id)!;
      return parametersOf(spec, op, pathItem).find((p: Json) => p.name === name)?.explode ?? true;
    };
    expect(explodeOf('DeleteAssets', 'asset_id')).toBe(false);
    expect(explodeOf('ShowAssetMeta', 'asset_id')).toBe(true);
    const del = curlArguments(every.DeleteAssets!.curl[0]!).find((a) => a.startsWith('https://'))!;
    expect(del).toMatch(/[?&]asset_id=[^&]+,[^&]+/);
    expect(new URL(del).searchParams.getAll('asset_id')).toHaveLength(1);
  });

  it('CreateSmartCover calls a region it was offered in, never cn-north-4 or cn-east-2', () => {
    const { op } = ops.find((o) => o.op.operationId === 'CreateSmartCover')!;
    expect(op['x-unsupported-regions']).toEqual(['cn-north-4', 'cn-east-2']);
    for (const source of [...every.CreateSmartCover!.curl, ...every.CreateSmartCover!.typescript]) {
      expect(source).not.toMatch(/cn-north-4|cn-east-2/);
      expect(source).toMatch(/cn-north-1/);
    }
    expect(defaultServerUrl(spec)).toBe('https://vod.cn-north-4.myhuaweicloud.com');
  });

  it('quotes any body for the shell: quotes, backslashes, $ and Chinese arrive unchanged', () => {
    const body = { title: `it's "新品" \\ $HOME $(id) \`id\``, tags: 'a,b' };
    const source = curlSample({ serverUrl: 'https://example.test', path: '/x', method: 'post', body, source: 't' });
    expect(JSON.parse(flagValues(curlArguments(source), '-d')[0]!)).toEqual(body);
  });
});

describe('TypeScript samples', () => {
  it('write any JSON value as a literal that evaluates back to it', () => {
    const value = { 'x-key': [1, { a: `it's "新品" \\ \n \u2028` }], plain: null, list: ['a', 2, true] };
    expect(new Function(`return ${tsLiteral(value)};`)()).toEqual(value);
  });

  it('pass domainId to the client for the {domain_id} operations, and only for those', () => {
    for (const { op, path } of ops) {
      for (const source of every[op.operationId]!.typescript) {
        expect(source.includes("domainId: '<domain_id>'"), op.operationId).toBe(path.includes('{domain_id}'));
      }
    }
  });

  it('sign in with an IAM token where the operation takes no AK/SK signature, with AK/SK elsewhere', () => {
    const tokenOps = ops.filter(({ op }) => (op.security ?? spec.security).every((r: Json) => Object.keys(r).join() === 'iamToken'));
    expect(tokenOps.length).toBeGreaterThanOrEqual(1); // the deprecated play statistics
    for (const { op } of ops) {
      const token = tokenOps.some((o) => o.op === op);
      for (const source of every[op.operationId]!.typescript) {
        expect(source.includes('credentials: { token: process.env.HUAWEICLOUD_IAM_TOKEN! }'), op.operationId).toBe(token);
        expect(source.includes('ak: process.env.HUAWEICLOUD_SDK_AK!'), op.operationId).toBe(!token);
      }
    }
  });

  it('call an operation that takes no input with no argument', () => {
    const bare = ops.filter(({ op, pathItem }) => !op.requestBody && Object.keys(queryExample(spec, op, pathItem)).length === 0);
    expect(bare.length, 'operations with neither a body nor query examples').toBeGreaterThan(0);
    for (const { op } of bare) {
      const method = op.operationId[0].toLowerCase() + op.operationId.slice(1);
      expect(every[op.operationId]!.typescript[0], op.operationId).toContain(`await vod.${method}();`);
    }
  });

  // Inside the repository, so that the samples see its node_modules (@types/node, openapi-fetch) and tsconfig.
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', 'code-samples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-check against src/ (and a sample with a wrong body does not)', () => {
    // Every example's sample of every operation, and the transfer guide's whole program.
    const files: Record<string, string> = Object.fromEntries(
      operationIds.flatMap((id) => every[id]!.typescript.map((source, i) => [`${id}${i}.ts`, source])),
    );
    files['TransferGuide.ts'] = transferProgram(spec);
    expect(files['TransferGuide.ts']).toContain('vod.waitForAsset(');
    // The negative control: without it a broken setup (say, the import resolving to `any`) would pass everything.
    files['Broken.ts'] = typescriptSample({
      operationId: 'PublishAssetFromObs',
      deprecated: false,
      noContent: false,
      region: 'cn-north-4',
      source: 'broken',
      argument: { video_type: 'MP4', input: { bucket: 'b', location: 'cn-north-4', object: 'o' } }, // no title
    });
    for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
    // The samples import the package by its published name; `paths` points that name at the sources.
    const tsconfig = {
      extends: '../../tsconfig.json',
      compilerOptions: { noEmit: true, paths: { [packageName]: ['../../src/index.ts'] } },
      files: Object.keys(files),
      include: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

    const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
      cwd: root,
      encoding: 'utf8',
    });
    const errors = tsc.stdout.split('\n').filter((line) => line.includes('error TS'));
    expect(errors.filter((line) => !line.includes('Broken.ts'))).toEqual([]);
    expect(errors.join('\n')).toMatch(/Broken\.ts\(\d+,\d+\): error TS2345: Argument of type/);
    expect(tsc.stdout).toContain("Property 'title' is missing");
  });
});

describe('the docs-only spec', () => {
  it('carries exactly these samples on every operation, curl first', () => {
    const docs = docsSpec(spec);
    for (const { path, method, op } of ops) {
      expect(docs.paths[path][method]['x-codeSamples']).toEqual(samples[op.operationId]);
      expect(samples[op.operationId]?.map((s) => s.label)).toEqual(['curl', 'TypeScript']);
    }
    // The source stays untouched: the samples exist only in the docs copy.
    expect(ops[0]!.op['x-codeSamples']).toBeUndefined();
  });

  it('keeps the if/then rules out of the docs copy and states them in the request bodies', () => {
    const docs = docsSpec(spec);
    expect(JSON.stringify(docs)).not.toContain('"if":');
    expect(spec.components.schemas.PublishAssetFromObsRequest.allOf).toHaveLength(2); // the spec keeps them
    const publish = docs.paths['/v1.0/{project_id}/asset/reproduction'].post.requestBody.description;
    expect(publish).toContain('When `storage_mode` is `1`: `output_bucket` and `output_path` are required.');
    expect(publish).toContain('When `thumbnail.type` is `dots`: `thumbnail.dots` is required.');
  });

  it('lists the operation tags first, in the spec\'s order and with their Chinese names, then the guide, then the reference', () => {
    const docs = docsSpec(spec);
    const used = new Set(ops.map((o) => o.op.tags[0]));
    // The spec's tags in its order (the groups of Huawei's table of contents), each used by an operation.
    const tags = spec.tags.map((t: Json) => t.name).filter((name: string) => used.has(name));
    expect(tags).toHaveLength(used.size);
    expect(tags.length).toBeGreaterThanOrEqual(10);
    expect(docs['x-tagGroups'].map((g: Json) => g.name)).toEqual(['Operations', 'Guides', 'Reference']);
    expect(docs['x-tagGroups'][0].tags).toEqual(tags);
    for (const name of tags) {
      const tag = docs.tags.find((t: Json) => t.name === name);
      expect(tag['x-displayName'], name).toMatch(new RegExp(`^${name} \\([^)]*\\p{Script=Han}[^)]*\\)$`, 'u'));
    }
    expect(tagDisplayName({ name: 'Upload', description: 'Getting media into VOD (媒资上传): create an asset (e.g. by URL).' })).toBe('Upload (媒资上传)');
    expect(tagDisplayName({ name: 'Keys', description: 'No Chinese (here).' })).toBe('Keys');
    expect(docs['x-tagGroups'][2].tags).toEqual(['Authentication', 'Vendor extensions', 'Error codes']);
    expect(docs.info.description).not.toMatch(/^## /m);
  });

  it("lists each tag's operations as Huawei's contents do, then the SDK-only ones, the deprecated last", () => {
    // The list names the 44 pages of the contents, each an operation of the spec that is not deprecated.
    expect(huaweiContentsOrder).toHaveLength(44);
    expect(new Set(huaweiContentsOrder).size).toBe(44);
    for (const id of huaweiContentsOrder) expect(ops.find((o) => o.op.operationId === id)?.op.deprecated, id).toBe(undefined);
    const docs = docsSpec(spec);
    const listed = listedOperations(docs) as { op: Json }[];
    expect(listed).toHaveLength(ops.length);
    for (const tag of new Set(ops.map((o) => o.op.tags[0]))) {
      const ids = listed.filter((o) => o.op.tags[0] === tag).map((o) => o.op.operationId as string);
      const rank = (id: string) => {
        const { op } = ops.find((o) => o.op.operationId === id)!;
        if (op.deprecated) return 2;
        return huaweiContentsOrder.includes(id) ? 0 : 1;
      };
      expect(ids.map(rank), tag).toEqual([...ids.map(rank)].sort());
      const toc = ids.filter((id) => rank(id) === 0);
      expect(toc, tag).toEqual(huaweiContentsOrder.filter((id) => toc.includes(id)));
    }
    const upload = listed.filter((o) => o.op.tags[0] === 'Upload').map((o) => o.op.operationId);
    expect(upload.slice(0, 3)).toEqual(['CreateAssetByFileUpload', 'ShowAssetTempAuthority', 'ConfirmAssetUpload']);
  });

  it('has every error code and every security scheme in its reference sections', () => {
    const docs = docsSpec(spec);
    const tag = (name: string) => docs.tags.find((t: Json) => t.name === name).description as string;
    expect(tag('Error codes')).toContain(errorCodesTable(spec['x-error-codes']));
    for (const e of spec['x-error-codes']) expect(tag('Error codes')).toContain(`\`${e.code}\``);
    for (const scheme of Object.values<Json>(spec.components.securitySchemes)) {
      // As the docs show it: wrapped lines joined (see joinSoftBreaks).
      expect(tag('Authentication')).toContain(joinSoftBreaks(scheme.description.trim()));
    }
    // The generated/error-codes.md table is the same catalogue.
    const table = readFileSync(join(root, 'generated', 'error-codes.md'), 'utf8');
    for (const e of spec['x-error-codes']) expect(table).toContain(`\`${e.code}\``);
  });

  it('shows byte limits as bytes only: no maxLength beside x-max-bytes, and the description states the bytes', () => {
    const docs = docsSpec(spec);
    const limited: Json[] = [];
    const walk = (node: Json) => {
      if (!node || typeof node !== 'object') return;
      if (typeof node['x-max-bytes'] === 'number') limited.push(node);
      for (const [key, value] of Object.entries<Json>(node)) if (!['example', 'examples', 'x-codeSamples'].includes(key)) walk(value);
    };
    walk(docs);
    expect(limited.length).toBeGreaterThanOrEqual(2); // PublishAssetFromObs' title and description at least
    for (const node of limited) {
      expect(node.maxLength).toBeUndefined();
      expect(node.description).toContain(`${node['x-max-bytes']} bytes`);
    }
    // The spec keeps its maxLength for validators that do not know the extension.
    expect(spec.components.schemas.PublishAssetFromObsRequest.properties.title.maxLength).toBe(128);
  });

  it('joins the soft line breaks of the prose, so that the search index keeps the space between words', () => {
    const docs = docsSpec(spec);
    const publish = docs.paths['/v1.0/{project_id}/asset/status/publish'].post.description;
    expect(spec.paths['/v1.0/{project_id}/asset/status/publish'].post.description).toMatch(/[a-z]\n[a-z]/);
    expect(publish).not.toMatch(/[a-z,]\n[a-z]/);
    const markdown = [
      'A paragraph wrapped',
      'over two lines.',
      '',
      '- a list item',
      '  continued',
      '- another',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```shell',
      'curl -X GET \\',
      '  -H x',
      '```',
      '### A heading',
      'text after it',
      'hard break  ',
      'next line',
    ].join('\n');
    expect(joinSoftBreaks(markdown)).toBe([
      'A paragraph wrapped over two lines.',
      '',
      '- a list item continued',
      '- another',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```shell',
      'curl -X GET \\',
      '  -H x',
      '```',
      '### A heading',
      'text after it hard break  ',
      'next line',
    ].join('\n'));
    // Example values are data: a "description" field inside an example keeps its newlines.
    const values = (examples: Json) => Object.values<Json>(examples ?? {}).map((e) => e.value);
    expect(values(spec.components.examples).length).toBeGreaterThan(0);
    expect(values(docs.components.examples)).toEqual(values(spec.components.examples));
  });
});
